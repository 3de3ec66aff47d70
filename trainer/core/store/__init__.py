"""The progress store: every attempt at every challenge, in SQLite.

``Store`` is one class made of one module per area, over one connection (``base``):

- ``base``: the file, WAL, one transaction per write, corruption set aside, migrations
  (``schema``), reset;
- ``attempts``: attempts at challenges and their runs (gradings), hints, give-ups;
- ``cards``: spaced repetition (FSRS cards and their review log), reviewed in the same
  transaction as the attempt that earns the review;
- ``sessions``: the daily practice queue, per local day;
- ``quiz``: graded quiz problems and the reviews of their family cards;
- ``speedrun``: speedrun runs and their splits;
- ``transfer``: export and import (docs/progress-format.md);
- ``records``: the dataclasses all of them hand out, but for those of the quiz and of
  speedruns (``quiz_records``, ``speedrun_records``), imported when first needed: the
  trainer's first screen never needs them, and each costs a millisecond or two to make.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .attempts import AttemptsMixin, Recorded
from .base import ImportFormatError, StoreBase, StoreError
from .cards import CardsMixin
from .records import (
    Attempt, CardInfo, ChallengeProgress, ImportReport, Review, Session, SessionItem, local_day,
)
from .schema import APP_ID, MIGRATIONS, SCHEMA_VERSION
from .quiz import QuizMixin
from .sessions import SessionsMixin
from .speedrun import RunActive, SpeedrunMixin
from .transfer import EXPORT_FORMAT, EXPORT_VERSION, TransferMixin

__all__ = [
    "Store", "StoreError", "ImportFormatError", "Attempt", "CardInfo", "ChallengeProgress", "ImportReport",
    "Review", "Session", "SessionItem", "local_day", "APP_ID", "MIGRATIONS", "SCHEMA_VERSION",
    "EXPORT_FORMAT", "EXPORT_VERSION", "Recorded", "FiredSplit", "RunActive", "SpeedrunRun",
]


def __getattr__(name: str):
    if name in ("FiredSplit", "SpeedrunRun"):  # made on first use (see above)
        from . import speedrun_records

        return getattr(speedrun_records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Store(AttemptsMixin, CardsMixin, SessionsMixin, QuizMixin, SpeedrunMixin, TransferMixin, StoreBase):
    """The progress database. ``catalog`` (optional) gives the target times for ratings;
    without one, the shipped catalog is loaded the first time a rating needs it."""

    def __init__(self, path: Path | None = None, catalog=None):
        super().__init__(path, catalog)
        try:
            self.replay_pending()  # runs spooled while the database was busy
            self.sync_reviews()
        except sqlite3.OperationalError:  # busy for longer than the timeout: next time
            pass
