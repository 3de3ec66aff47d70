import math


class Value:

    # given: engine.Value: __init__ __repr__ __add__ __mul__

    def tanh(self):
        # TODO: build out = Value(tanh(self.data), (self,), 'tanh'), give it a _backward
        # closure that sends the local gradient back to self, and return out
        pass

    # given: engine.Value: backward
