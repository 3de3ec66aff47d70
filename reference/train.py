"""Training loops: forward, zero the grads, backward, update. Repeat."""

from .losses import squared_error_loss, max_margin_loss, softmax, cross_entropy
from .optim import AdamW


def train_lecture(model, xs, ys, steps=20, lr=0.1):
    """Gradient descent on the squared error, as at the end of the lecture."""
    losses = []
    for k in range(steps):
        # forward pass
        loss = squared_error_loss(model, xs, ys)
        # backward pass (zero the grads first: they accumulate)
        model.zero_grad()
        loss.backward()
        # update
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses


def train_moons(model, X, y, steps=100, on_step=None):
    """The micrograd demo: max-margin loss, SGD with a decaying learning rate.

    Returns a list of (loss, accuracy), one per step. `on_step(k, loss, accuracy)`
    is called after each update, if given.
    """
    history = []
    for k in range(steps):
        loss, acc = max_margin_loss(model, X, y)
        model.zero_grad()
        loss.backward()
        lr = 1.0 - 0.9*k/steps
        for p in model.parameters():
            p.data -= lr * p.grad
        history.append((loss.data, acc))
        if on_step:
            on_step(k, loss.data, acc)
    return history


def classifier_loss(model, X, y):
    """Mean cross-entropy of the model's logits over the dataset."""
    losses = [cross_entropy(model(xi), yi) for xi, yi in zip(X, y)]
    return sum(losses) * (1.0 / len(losses))


def train_classifier(model, X, y, steps=100, optimizer=None, on_step=None):
    """The LLM101n module: softmax cross-entropy with AdamW; returns the losses."""
    optimizer = optimizer or AdamW(model.parameters())
    losses = []
    for k in range(steps):
        loss = classifier_loss(model, X, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
        if on_step:
            on_step(k, loss.data)
    return losses
