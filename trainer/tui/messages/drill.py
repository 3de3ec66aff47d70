"""A drill's messages: its gradings, its file changed on disk, its graph drawn."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ...core.graph import Graph, TextGraph
    from ...core.results import Verdict


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
class GraphReady(Message):
    graph: Graph
    drawing: TextGraph


@dataclass(eq=False)
class GraphFailed(Message):
    error: str
