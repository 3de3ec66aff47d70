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


# given: library.Module library.Neuron library.Layer library.MLP


def cross_entropy(logits, target):
    # TODO: softmax of the logits (subtract the largest logit's data before exp), then
    # the negative log of the target's probability, as a Value
    return None


def accuracy(model, images, labels):
    # TODO: the fraction of images whose largest logit is at their label's index
    return 0.0


def train_digits(model, images, labels, steps=40, batch_size=10, lr=0.7):
    history = []
    # TODO: each step k: the batch of examples (k*batch_size + j) % len(images), j < batch_size;
    # the mean cross-entropy over it; zero the grads; backward; p.data -= lr * p.grad;
    # record loss.data
    return history
