class Value:

    # given: engine.Value: __init__ __repr__ __add__

    def __mul__(self, other):
        out = Value(self.data * other.data, (self, other), '*')
        # TODO: define _backward (the chain rule for *), and attach it to out
        return out
