import math
import random


# given: engine.Value


class Neuron:

    def __init__(self, nin):
        # TODO: nin weights and one bias, each a Value(random.uniform(-1, 1))
        self.w = []
        self.b = None

    def __call__(self, x):
        # TODO: w · x + b, squashed by tanh
        return None

    def parameters(self):
        # TODO: every Value this neuron learns
        return []
