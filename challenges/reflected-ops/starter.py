class Value:

    # given: engine.Value: __init__ __repr__

    def __add__(self, other):
        # TODO: let other be a plain number too
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad
        out._backward = _backward

        return out

    def __mul__(self, other):
        # TODO: let other be a plain number too
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward

        return out

    # given: engine.Value: __pow__ backward __neg__

    def __radd__(self, other):  # other + self
        pass  # TODO

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __rsub__(self, other):  # other - self
        pass  # TODO

    def __rmul__(self, other):  # other * self
        pass  # TODO

    # given: engine.Value: __truediv__

    def __rtruediv__(self, other):  # other / self
        pass  # TODO
