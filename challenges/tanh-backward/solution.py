import math


class Value:

    # given: engine.Value: __init__ __repr__ __add__ __mul__

    def tanh(self):
        t = math.tanh(self.data)  # = (e^2x - 1) / (e^2x + 1)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward

        return out

    # given: engine.Value: backward
