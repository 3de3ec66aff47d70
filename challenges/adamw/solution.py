import math
import random


# given: engine.Value


class AdamW:
    """Adam with decoupled weight decay, as in the LLM101n micrograd module."""

    def __init__(self, parameters, lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=1e-4):
        self.parameters = list(parameters)
        self.lr = lr
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.weight_decay = weight_decay
        self.t = 0                                   # steps taken
        self.m = [0.0 for _ in self.parameters]      # running mean of each gradient
        self.v = [0.0 for _ in self.parameters]      # running mean of each squared gradient

    def step(self):
        self.t += 1
        for i, p in enumerate(self.parameters):
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * p.grad
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * p.grad**2
            m_hat = self.m[i] / (1 - self.beta1**self.t)   # bias correction: m and v start at 0
            v_hat = self.v[i] / (1 - self.beta2**self.t)
            p.data -= self.lr * (m_hat / (v_hat**0.5 + self.eps) + self.weight_decay * p.data)

    def zero_grad(self):
        for p in self.parameters:
            p.grad = 0.0
