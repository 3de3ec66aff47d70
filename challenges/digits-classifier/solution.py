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
    # softmax, with the largest logit subtracted first so that exp never overflows
    max_val = max(v.data for v in logits)
    exps = [(v - max_val).exp() for v in logits]
    total = sum(exps)
    probs = [e / total for e in exps]
    # the negative log probability of the right class
    return -probs[target].log()


def accuracy(model, images, labels):
    right = 0
    for image, label in zip(images, labels):
        scores = [v.data for v in model(image)]
        predicted = max(range(len(scores)), key=lambda k: scores[k])
        right += predicted == label
    return right / len(images)


def train_digits(model, images, labels, steps=40, batch_size=10, lr=0.7):
    history = []
    n = len(images)
    for k in range(steps):
        # the next batch_size examples in order, wrapping round the end of the data
        batch = [(k * batch_size + j) % n for j in range(batch_size)]
        # forward: the mean cross-entropy over the batch
        losses = [cross_entropy(model(images[i]), labels[i]) for i in batch]
        loss = sum(losses) * (1.0 / batch_size)
        # backward
        model.zero_grad()
        loss.backward()
        # update (sgd)
        for p in model.parameters():
            p.data -= lr * p.grad
        history.append(loss.data)
    return history
