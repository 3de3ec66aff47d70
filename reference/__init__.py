"""The canonical micrograd that gradrill's learner works towards."""

from .engine import Value
from .nn import Module, Neuron, Layer, MLP

__all__ = ["Value", "Module", "Neuron", "Layer", "MLP"]
