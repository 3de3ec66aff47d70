"""The records the speedrun store hands out: a run and its fired splits.

A module of their own, imported when a run is first read: the trainer's first screen never
needs them, and each dataclass costs a millisecond or two to make at import (Python 3.11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FiredSplit:
    position: int  # 0-based
    name: str
    ms: int  # on the run's clock
    saved_at: datetime  # wall time of the save that fired it
    code: str | None = None


@dataclass(frozen=True)
class SpeedrunRun:
    id: int
    category: str
    number: int  # the attempt's number in its category, from 1
    file: str
    started_at: datetime
    started_mono: float | None
    split_names: tuple[str, ...]
    status: str  # 'active', 'finished', 'reset'
    ended_at: datetime | None
    final_ms: int | None
    flags: frozenset[str]
    splits: tuple[FiredSplit, ...]

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    @property
    def times(self) -> list[int | None]:
        """Each split's time (None: not reached), in split order."""
        out: list[int | None] = [None] * len(self.split_names)
        for s in self.splits:
            if s.position < len(out):
                out[s.position] = s.ms
        return out

    @property
    def reached(self) -> int:
        return len(self.splits)

    @property
    def last_ms(self) -> int:
        return max((s.ms for s in self.splits), default=0)
