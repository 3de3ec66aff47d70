"""The app's own messages, as dataclasses (Textual's ``Message`` supports them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from ..core.graph import Graph, TextGraph
from ..core.results import Verdict


@dataclass
class GradingFinished(Message):
    """A grading worker is done: its verdict on ``code`` (the file as it was graded)."""

    verdict: Verdict
    code: str
    trigger: str  # "save", "check", "watch", "editor"


@dataclass
class FileChangedOnDisk(Message):
    """The watcher saw the learner's file change; ``text`` is its new content (None: gone)."""

    path: Path
    text: str | None


@dataclass
class OpenChallenge(Message):
    """Someone (the tree, the today panel, a command) asks to open a drill."""

    challenge_id: str


@dataclass
class GraphReady(Message):
    graph: Graph
    drawing: TextGraph


@dataclass
class GraphFailed(Message):
    error: str


@dataclass
class SpeedrunGraded(Message):
    """A speedrun save has its verdict (graded as it was saved; stamped with the save's time)."""

    save: object  # gradrill.core.speedrun.mode.Save
    verdict: Verdict
