"""The app's own messages, as dataclasses (Textual's ``Message`` supports them).

A message is an event, the same only as itself: no generated ``__eq__`` (``eq=False``), one
method less to compile for each at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # not imported at start-up: the home screen needs none of them
    from ..core.graph import Graph, TextGraph
    from ..core.results import Verdict


@dataclass(eq=False)
class GradingFinished(Message):
    """A grading worker is done: its verdict on ``code`` (the file as it was graded)."""

    verdict: Verdict
    code: str
    trigger: str  # "save", "check", "watch", "editor"
    attempt: int | None = None  # the attempt running when the grading began (None: it counts for nothing)
    generation: int = 0  # which grading of the screen this is: an older one's verdict is ignored


@dataclass(eq=False)
class FileChangedOnDisk(Message):
    """The watcher saw the learner's file change; ``text`` is its new content (None: gone)."""

    path: Path
    text: str | None


@dataclass(eq=False)
class OpenChallenge(Message):
    """Someone (the tree, the today panel, a command) asks to open a drill."""

    challenge_id: str


@dataclass(eq=False)
class GraphReady(Message):
    graph: Graph
    drawing: TextGraph


@dataclass(eq=False)
class GraphFailed(Message):
    error: str


# -- the lab ---------------------------------------------------------------------------------


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


@dataclass(eq=False)
class OpenQuiz(Message):
    """Someone (home, the today panel, a command) asks for a quiz: ``family`` None is the most due."""

    family: str | None = None


@dataclass(eq=False)
class QuizDrawn(Message):
    """A quiz problem's graph is laid out (``widgets.quiz_graph.layout``); ``error`` if not."""

    drawing: TextGraph | None
    error: str = ""


@dataclass(eq=False)
class FormulaChecked(Message):
    """A formula answer was checked in a worker thread (sympy can take a moment)."""

    text: str
    verdict: object  # gradrill.core.quiz.formulas.Verdict


@dataclass(eq=False)
class SpeedrunGraded(Message):
    """A speedrun save has its verdict (graded as it was saved; stamped with the save's time)."""

    save: object  # gradrill.core.speedrun.mode.Save
    verdict: Verdict
