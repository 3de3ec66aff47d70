import math
import random


class Value:
    """ stores a single scalar value and its gradient """

    # given: engine.Value: __init__ __repr__ __add__ __mul__ __pow__ tanh exp

    def log(self):
        out = Value(math.log(self.data), (self,), 'log')

        def _backward():
            self.grad += (1 / self.data) * out.grad
        out._backward = _backward

        return out

    # given: engine.Value: relu backward __neg__ __radd__ __sub__ __rsub__ __rmul__ __truediv__ __rtruediv__


def softmax(logits):
    # subtract the max so that exp never overflows (softmax does not change under a shift)
    max_val = max(v.data for v in logits)
    exps = [(v - max_val).exp() for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def cross_entropy(logits, target):
    # the negative log probability of the target class
    probs = softmax(logits)
    return -probs[target].log()
