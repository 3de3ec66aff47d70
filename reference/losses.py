"""Loss functions: how wrong is the network, as a single Value."""

import math

from .engine import Value


def squared_error_loss(model, xs, ys):
    """The lecture's loss: sum over examples of (prediction - target)**2."""
    ypred = [model(x) for x in xs]
    return sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))


def max_margin_loss(model, X, y, alpha=1e-4):
    """The micrograd demo's SVM loss plus L2 regularization; returns (loss, accuracy)."""
    scores = [model(xi) for xi in X]
    losses = [(1 - yi*si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p*p for p in model.parameters())
    accuracy = [(yi > 0) == (si.data > 0) for yi, si in zip(y, scores)]
    return data_loss + reg_loss, sum(accuracy) / len(accuracy)


def log(x):
    """Natural log as a graph op. An op needs only its data, children and a local gradient."""
    out = Value(math.log(x.data), (x,), 'log')

    def _backward():
        x.grad += (1 / x.data) * out.grad
    out._backward = _backward

    return out


def softmax(logits):
    """Turn logits into probabilities that sum to 1."""
    max_val = max(v.data for v in logits)  # subtracting the max avoids overflow in exp
    exps = [(v - max_val).exp() for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def cross_entropy(logits, target):
    """Negative log probability of the target class."""
    probs = softmax(logits)
    return -log(probs[target])
