"""Training loops: forward, zero the grads, backward, update. Repeat."""

from .losses import squared_error_loss, max_margin_loss, cross_entropy
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


def moons_step(model, X, y, lr):
    """One step of the micrograd demo; returns (loss, accuracy) before the update."""
    loss, acc = max_margin_loss(model, X, y)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data, acc


def train_moons(model, X, y, steps=100, on_step=None):
    """The demo's loop: SGD with a learning rate decaying from 1.0 to 0.1.

    Returns [(loss, accuracy), ...], one per step. `on_step(k, loss, accuracy)`
    is called after each step, once that step's graph is garbage.
    """
    history = []
    for k in range(steps):
        loss, acc = moons_step(model, X, y, lr=1.0 - 0.9*k/steps)
        history.append((loss, acc))
        if on_step:
            on_step(k, loss, acc)
    return history


def classifier_loss(model, X, y):
    """Mean cross-entropy of the model's logits over the dataset."""
    losses = [cross_entropy(model(xi), yi) for xi, yi in zip(X, y)]
    return sum(losses) * (1.0 / len(losses))


def classifier_step(model, X, y, optimizer):
    """One step of the LLM101n module; returns the loss before the update."""
    loss = classifier_loss(model, X, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.data


def train_classifier(model, X, y, steps=100, optimizer=None, on_step=None):
    """Softmax cross-entropy with AdamW; returns the loss of each step."""
    optimizer = optimizer or AdamW(model.parameters())
    losses = []
    for k in range(steps):
        losses.append(classifier_step(model, X, y, optimizer))
        if on_step:
            on_step(k, losses[-1])
    return losses
