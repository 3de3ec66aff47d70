"""The record the quiz store hands out: one graded quiz problem (a row of ``quiz_answers``).

A module of its own, imported when an answer is first read: the trainer's first screen never
needs it, and each dataclass costs a millisecond or two to make at import (Python 3.11).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .records import _dt


@dataclass(frozen=True)
class QuizAnswer:
    id: int
    family: str
    level: int
    seed: int
    kind: str               # "numeric" or "formula"
    started_at: datetime
    ended_at: datetime
    duration_s: float
    target_s: float
    asked: int
    right: int
    wrong: int
    retried: bool
    revealed: bool
    rating: int
    detail: Any

    @property
    def all_right(self) -> bool:
        return not self.revealed and self.wrong == 0 and self.right == self.asked

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "QuizAnswer":
        return cls(row["id"], row["family"], row["level"], row["seed"], row["kind"], _dt(row["started_at"]),
                   _dt(row["ended_at"]), row["duration_s"], row["target_s"], row["asked"], row["right"],
                   row["wrong"], bool(row["retried"]), bool(row["revealed"]), row["rating"],
                   json.loads(row["detail"]) if row["detail"] else None)
