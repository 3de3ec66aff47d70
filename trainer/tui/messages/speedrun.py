"""The speedrun's messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from ...core.results import Verdict


@dataclass(eq=False)
class SpeedrunGraded(Message):
    """A speedrun save has its verdict (graded as it was saved; stamped with the save's time)."""

    save: object  # gradrill.core.speedrun.mode.Save
    verdict: Verdict
