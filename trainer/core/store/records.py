"""What the store hands out: attempts, cards, reviews, daily sessions (frozen dataclasses), and the
time helpers every part of the store shares (times are stored as ISO text in UTC)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .. import clock

if TYPE_CHECKING:
    from .. import scheduling


_utc = clock.utc


def _iso(moment: datetime | None) -> str | None:
    return _utc(moment).isoformat() if moment else None


def _dt(text: str | None) -> datetime | None:
    return _utc(datetime.fromisoformat(text)) if text else None


def local_day(moment: datetime) -> date:
    """The learner's calendar day for a moment (see ``clock.local_today``)."""
    return clock.local_today(_utc(moment))


@dataclass(frozen=True)
class Attempt:
    id: int
    challenge: str
    mode: str
    started_at: datetime
    ended_at: datetime | None
    duration_s: float | None
    status: str
    hints_used: int
    gave_up: bool
    verdict: str | None
    results: dict[str, Any] | None
    code: str | None

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def ended(self) -> bool:
        """Ended by a pass or a give-up (a restart is not an end)."""
        return self.status in ("pass", "gave_up")

    @property
    def counted(self) -> bool:
        """A drill that counts in stats and streaks: ended by a timed pass or a give-up (an
        untimed pass, which older gradrills recorded for a check with no start, does not)."""
        return self.status == "gave_up" or (self.status == "pass" and self.duration_s is not None)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Attempt":
        return cls(
            id=row["id"], challenge=row["challenge"], mode=row["mode"],
            started_at=datetime.fromisoformat(row["started_at"]),
            ended_at=datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None,
            duration_s=row["duration_s"], status=row["status"], hints_used=row["hints_used"],
            gave_up=bool(row["gave_up"]), verdict=row["verdict"],
            results=json.loads(row["results"]) if row["results"] else None, code=row["code"],
        )


@dataclass(frozen=True)
class ChallengeProgress:
    challenge: str
    attempts: int
    passes: int
    best_s: float | None
    last_at: datetime | None
    open_attempt: Attempt | None

    @property
    def passed(self) -> bool:
        return self.passes > 0


@dataclass(frozen=True)
class CardInfo:
    """One FSRS card: ``card`` is the ``fsrs.Card`` itself."""

    id: int
    key: str
    kind: str
    created_at: datetime
    card: scheduling.Card

    @property
    def due(self) -> datetime:
        return self.card.due

    @property
    def state(self) -> str:
        from .. import scheduling

        return scheduling.STATE_NAMES.get(self.card.state, str(self.card.state))

    @property
    def interval_days(self) -> float | None:
        from .. import scheduling

        return scheduling.interval_days(self.card)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "CardInfo":
        from .. import scheduling

        return cls(row["id"], row["key"], row["kind"], _dt(row["created_at"]),
                   scheduling.Card.from_json(row["card"]))


@dataclass(frozen=True)
class Review:
    id: int
    card_id: int
    key: str
    attempt_id: int | None
    rating: int
    reviewed_at: datetime
    duration_ms: int | None
    due_after: datetime

    @property
    def rating_name(self) -> str:
        from .. import scheduling

        return scheduling.RATING_NAMES[scheduling.Rating(self.rating)]

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Review":
        return cls(row["id"], row["card_id"], row["key"], row["attempt_id"], row["rating"],
                   _dt(row["reviewed_at"]), row["duration_ms"], _dt(row["due_after"]))


@dataclass(frozen=True)
class SessionItem:
    position: int
    key: str
    kind: str  # 'review' or 'new'
    estimate_s: int
    due: datetime | None = None
    done_at: datetime | None = None
    attempt_id: int | None = None
    result: str | None = None  # 'pass' or 'gave_up' once done

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "SessionItem":
        return cls(row["position"], row["key"], row["kind"], row["estimate_s"], _dt(row["due"]),
                   _dt(row["done_at"]), row["attempt_id"], row["result"])


@dataclass(frozen=True)
class Session:
    """One day's practice queue, as built the first time that day was opened."""

    day: date
    created_at: datetime
    budget_s: int
    new_cap: int
    completed_at: datetime | None
    items: tuple[SessionItem, ...] = field(default=())

    @property
    def done_count(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def complete(self) -> bool:
        """Every item done (an empty queue is never 'complete': it is a rest day)."""
        return bool(self.items) and all(i.done for i in self.items)

    @property
    def estimate_s(self) -> int:
        return sum(i.estimate_s for i in self.items)

    @property
    def remaining_s(self) -> int:
        return sum(i.estimate_s for i in self.items if not i.done)


@dataclass
class ImportReport:
    attempts: int = 0
    runs: int = 0
    reviews: int = 0
    sessions: int = 0
    cards: int = 0
    duplicates: int = 0
    reopened_as_abandoned: int = 0
    skipped_sessions: int = 0
    quiz_answers: int = 0
    speedrun_runs: int = 0

    @property
    def nothing_new(self) -> bool:
        return not (self.attempts or self.reviews or self.sessions or self.quiz_answers or self.speedrun_runs)

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)
