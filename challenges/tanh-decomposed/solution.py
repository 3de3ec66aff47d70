import math


class Value:
    """ stores a single scalar value and its gradient """

    # given: engine.Value: __init__ __repr__ __add__ __mul__ __pow__ tanh exp backward __neg__ __radd__ __sub__ __rsub__ __rmul__ __truediv__ __rtruediv__


def tanh_decomposed(x):
    """tanh(x) built from exp, +, -, / (not x.tanh()): returns a Value."""
    e = (2*x).exp()
    return (e - 1) / (e + 1)


def neuron():
    """The lecture's neuron with tanh_decomposed as its activation (drawn by the graph view)."""
    x1 = Value(2.0, label='x1')
    x2 = Value(0.0, label='x2')
    w1 = Value(-3.0, label='w1')
    w2 = Value(1.0, label='w2')
    b = Value(6.8813735870195432, label='b')
    n = x1*w1 + x2*w2 + b
    n.label = 'n'
    return tanh_decomposed(n)
