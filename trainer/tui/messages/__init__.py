"""The app's own messages, as dataclasses (Textual's ``Message`` supports them): here the
app-wide ones (what opens a drill or a quiz), and one module per mode for that mode's own
(``drill``, ``lab``, ``quiz``, ``speedrun``), imported with its screen.

A message is an event, the same only as itself: no generated ``__eq__`` (``eq=False``), one
method less to compile for each.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass(eq=False)
class OpenChallenge(Message):
    """Someone (the tree, the today panel, a command) asks to open a drill."""

    challenge_id: str


@dataclass(eq=False)
class OpenQuiz(Message):
    """Someone (home, the today panel, a command) asks for a quiz: ``family`` None is the most due."""

    family: str | None = None
