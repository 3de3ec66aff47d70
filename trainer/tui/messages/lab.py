"""The lab's messages: from its engine and drawing processes, and its inspector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ...core.graph import TextGraph


@dataclass(eq=False)
class LabReady(Message):
    """The engine process built a fresh network."""


@dataclass(eq=False)
class LabStepped(Message):
    t: int
    loss: float
    acc: float


@dataclass(eq=False)
class LabDrawn(Message):
    """A decision boundary (2-D) or the digits' predictions, for the weights of step ``t``."""

    t: int
    grid: list[str] | None  # the boundary as pixel codes (core.lab.draw), or None
    axes: object  # the plot's Axes the grid was computed for, or None
    predictions: list[int] | None = None
    accuracy: float | None = None  # of the predictions


@dataclass(eq=False)
class LabFailed(Message):
    error: str
    kind: str  # "engine", "diverged", "timeout", "dead", "request"


@dataclass(eq=False)
class LabGraphReady(Message):
    inspect: object  # core.lab.session.InspectGraph
    drawing: TextGraph


@dataclass(eq=False)
class LabGraphFailed(Message):
    error: str
