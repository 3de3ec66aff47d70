import math
import random


# given: engine.Value


# given: library.Module library.Neuron library.Layer library.MLP


def max_margin_loss(model, X, y, alpha=1e-4):
    scores = [model(xi) for xi in X]
    # svm "max-margin" loss: a point costs nothing once y·score >= 1
    losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    # L2 regularization
    reg_loss = alpha * sum(p*p for p in model.parameters())
    total_loss = data_loss + reg_loss
    # accuracy: the sign of the score is the predicted label
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
    return total_loss, sum(accuracy) / len(accuracy)


def train_moons(model, X, y, steps=30):
    history = []
    for k in range(steps):
        # forward
        total_loss, acc = max_margin_loss(model, X, y)
        # backward
        model.zero_grad()
        total_loss.backward()
        # update (sgd), with a learning rate that decays from 1.0 to 0.1
        learning_rate = 1.0 - 0.9*k/steps
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append((total_loss.data, acc))
    return history
