import math
import random


# given: engine.Value


# given: lecture.Neuron lecture.Layer


class MLP:

    def __init__(self, nin, nouts):
        # TODO: one Layer per entry of nouts; each layer takes the previous layer's outputs
        self.layers = []

    def __call__(self, x):
        # TODO: run x through every layer in turn
        return None

    def parameters(self):
        # TODO: every layer's parameters, in one flat list
        return []
