class Value:

    # given: engine.Value: __init__ __repr__ __add__ __mul__

    def __pow__(self, other):
        # TODO: for a plain int/float exponent `other` (assert it), build
        # out = Value(self.data**other, (self,), f'**{other}'), give it a _backward closure
        # that sends the local gradient back to self, and return out
        pass

    # given: engine.Value: backward
