"""Neurons, layers and MLPs built out of Values."""

import random

from .engine import Value


class Module:

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        return []


class Neuron(Module):

    def __init__(self, nin, nonlin=True, act="tanh"):
        assert act in ("tanh", "relu")
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))
        self.nonlin = nonlin
        self.act = act

    def __call__(self, x):
        # w * x + b
        out = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)
        if not self.nonlin:
            return out
        return out.tanh() if self.act == "tanh" else out.relu()

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        kind = {"tanh": "Tanh", "relu": "ReLU"}[self.act] if self.nonlin else "Linear"
        return f"{kind}Neuron({len(self.w)})"


class Layer(Module):

    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):

    def __init__(self, nin, nouts, act="tanh", linear_out=None):
        # the lecture squashes every layer with tanh; the library's relu net
        # (and a classifier's logits) keep the last layer linear
        if linear_out is None:
            linear_out = act == "relu"
        sz = [nin] + nouts
        self.layers = [
            Layer(sz[i], sz[i+1], act=act, nonlin=not (linear_out and i == len(nouts) - 1))
            for i in range(len(nouts))
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
