import math
import random


# given: engine.Value


class AdamW:

    def __init__(self, parameters, lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=1e-4):
        # TODO: keep the parameters and the hyperparameters; a step counter t = 0; and, for
        # every parameter, a running mean of its gradient (m) and of its squared gradient (v)
        self.parameters = list(parameters)

    def step(self):
        # TODO: one AdamW update of every parameter
        pass

    def zero_grad(self):
        # TODO: reset every parameter's grad to 0
        pass
