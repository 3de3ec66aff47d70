import math
import random


# given: engine.Value


# given: lecture.Neuron lecture.Layer lecture.MLP lecture.loss_fn


xs = [
    [2.0, 3.0, -1.0],
    [3.0, -1.0, 0.5],
    [0.5, 1.0, 1.0],
    [1.0, 1.0, -1.0],
]
ys = [1.0, -1.0, -1.0, 1.0]  # desired targets


def train(model, xs, ys, steps=100, lr=0.05):
    losses = []
    for k in range(steps):
        # forward pass
        loss = loss_fn(model, xs, ys)

        # backward pass: zero the grads first, they accumulate
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()

        # update: a small step against the gradient
        for p in model.parameters():
            p.data += -lr * p.grad

        losses.append(loss.data)
    return losses
