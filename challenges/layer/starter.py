import math
import random


# given: engine.Value


# given: lecture.Neuron


class Layer:

    def __init__(self, nin, nout):
        # TODO: nout independent neurons, each taking nin inputs
        self.neurons = []

    def __call__(self, x):
        # TODO: every neuron's output for the same x (a lone Value when there is one neuron)
        return None

    def parameters(self):
        # TODO: the parameters of every neuron, in one flat list
        return []
