"""The quiz's messages: its graph laid out, a formula checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ...core.graph import TextGraph


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
