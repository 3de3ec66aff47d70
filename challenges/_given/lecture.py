"""Given code: the network as the lecture writes it (every neuron squashed by tanh), and its loss.

Included in challenges' starter.py/solution.py with `# given: lecture.Neuron` lines (see
gradrill.core.given). tests/test_given.py proves these match reference/nn.py with act="tanh".
"""

import random

from gradrill.reference.engine import Value


class Neuron:

    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        # w · x + b, squashed by tanh
        act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]


class Layer:

    def __init__(self, nin, nout):
        self.neurons = [Neuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:

    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i+1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def loss_fn(model, xs, ys):
    ypred = [model(x) for x in xs]
    return sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
