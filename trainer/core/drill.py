"""One drill at one challenge, without any UI: the attempt, the file, hints, the end.

The challenge screen owns one ``Drill``; every store and workspace write goes through it,
on the UI thread (the store's connection is shared, so no two threads write at once).

What counts is the store's rule (``store.attempts``; README, "What counts"); here it
meets the screen:

- Opening a drill starts nothing. A drill always starts from the starter (a different
  file is archived first), unless an attempt is running, which is resumed.
- The clock starts at the learner's first change (``start``: the first keystroke in the
  editor, or the first change seen on disk); opening and leaving records nothing.
- A grading is recorded only in the attempt that was running when it began; once the
  drill has ended (a pass, a give-up) or the solution has been seen, nothing more is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import clock, scheduling
from .catalog import Challenge
from .results import Verdict
from .store import Attempt, Store
from .text import display_path

TUI_PATIENCE_S = 1.0  # how long the UI thread waits for a busy database before a run is spooled


@dataclass(frozen=True)
class PassReport:
    """What a timed pass means: time, target, the personal best before it, the review it earned."""

    duration: float | None  # None: an untimed pass (no longer recorded; kept for callers)
    target: int
    best_before: float | None
    rating: str | None = None  # "again", "hard", "good", "easy"
    next_due: datetime | None = None
    spooled: bool = False  # the database was busy: recorded on the next open

    @property
    def new_best(self) -> bool:
        return self.duration is not None and (self.best_before is None or self.duration < self.best_before)

    @property
    def delta(self) -> float | None:
        """Against the best before, in whole seconds (as both times are shown)."""
        if self.duration is None or self.best_before is None:
            return None
        return round(self.duration) - round(self.best_before)


@dataclass(frozen=True)
class RunOutcome:
    """What became of one grading: ``recorded`` (in a running attempt), ``spooled`` (the database
    was busy), and the ``report`` of a pass that ended the drill."""

    recorded: bool
    report: PassReport | None = None
    spooled: bool = False


def review_words(rating: str | None, due: datetime | None, today: date | None = None) -> str:
    """``rated Good · next review Thu 08 Jan (in 3 days)``."""
    if rating is None:
        return ""
    text = f"rated {rating.capitalize()}"
    if due is not None:
        today = today or clock.local_today()
        days = (clock.local_today(due) - today).days
        when = "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"
        text += f" · next review {due.astimezone().strftime('%a %d %b')} ({when})"
    return text


class Drill:
    def __init__(self, challenge: Challenge, store: Store, workspace):
        self.challenge = challenge
        self.store = store
        self.workspace = workspace
        self.attempt: Attempt | None = None
        self.hints_seen = 0  # hints shown on screen (each one counted, see ``next_hint``)
        self.ended_as: str | None = None  # "pass", "gave_up", or "studied" (solution seen, no drill)
        self.duration: float | None = None
        self.rating: str | None = None  # the review the end earned
        self.next_due: datetime | None = None

    @property
    def id(self) -> str:
        return self.challenge.id

    @property
    def path(self) -> Path:
        return self.workspace.path_for(self.challenge)

    def begin(self) -> str | None:
        """Resume the running attempt, or get the starter ready for a new one (the clock waits
        for the first change); returns a notice for the learner, if any."""
        attempt = self.store.open_attempt(self.id)
        notice = None
        if attempt is None:
            _, archived = self.workspace.start(self.challenge)
            if archived:
                notice = f"A fresh drill. Your previous file is archived at {display_path(archived)}"
        else:
            self.workspace.ensure(self.challenge)
        self.attempt = attempt
        self.hints_seen = self.store.hints_used(self.id)
        self.ended_as, self.duration = None, None
        self.rating, self.next_due = None, None
        return notice

    @property
    def started(self) -> bool:
        """The clock is running (or ran: the drill may have ended since)."""
        return self.attempt is not None

    @property
    def running(self) -> bool:
        return self.attempt is not None and not self.finished

    @property
    def started_at(self) -> datetime | None:
        return self.attempt.started_at if self.attempt else None

    @property
    def finished(self) -> bool:
        return self.ended_as is not None

    def start(self, now: datetime | None = None) -> bool:
        """The learner changed the file: start the clock (at ``now``), unless it runs already or
        this drill is over. Returns True when it started now."""
        if self.attempt is not None or self.finished:
            return False
        self.attempt = self.store.start_attempt(self.id, now=now or clock.now())
        self.hints_seen = max(self.hints_seen, self.attempt.hints_used)
        return True

    def best(self) -> float | None:
        return self.store.best_time(self.id)

    def grading_key(self) -> int | None:
        """The attempt a grading starting now belongs to (None: it counts for nothing)."""
        return self.attempt.id if self.running else None

    def record(self, verdict: Verdict, code: str, attempt_id: int | None) -> RunOutcome:
        """Store a grading that began while attempt ``attempt_id`` was running (None: none was,
        and it is not recorded); a pass ends the drill and is reported."""
        if attempt_id is None or not self.running or self.attempt.id != attempt_id:
            return RunOutcome(False)
        best_before = self.store.best_time(self.id)
        now = clock.now()
        result = self.store.record_run_or_spool(self.id, verdict, code, now=now, attempt_id=attempt_id,
                                                patience=TUI_PATIENCE_S)
        if result.attempt is not None and not result.spooled:
            self.attempt = result.attempt
        if not verdict.passed:
            return RunOutcome(True, spooled=result.spooled)
        if result.spooled:
            duration = max(0.0, (now - self.attempt.started_at).total_seconds())
            rating = scheduling.RATING_NAMES[scheduling.rate(
                passed=True, hints=self.attempt.hints_used, duration_s=duration,
                target_s=self.challenge.target_seconds)]
            due = None
        else:
            duration = self.attempt.duration_s
            review = self.store.review_of(self.attempt.id)
            rating, due = (review.rating_name, review.due_after) if review else (None, None)
        self.ended_as, self.duration = "pass", duration
        self.rating, self.next_due = rating, due
        return RunOutcome(True, PassReport(duration, self.challenge.target_seconds, best_before, rating, due,
                                           result.spooled), result.spooled)

    def next_hint(self) -> tuple[int, str] | None:
        """The next hint. It counts for the running drill, or (none running: a hint never
        starts one) for the next drill of this challenge."""
        hints = self.challenge.hints
        if self.hints_seen >= len(hints):
            return None
        self.hints_seen = self.store.use_hint(self.id, shown=self.hints_seen + 1)
        n = min(self.hints_seen, len(hints))
        return n, hints[n - 1]

    def solution_unlocked(self) -> bool:
        """Seeing the solution needs no give-up: after a pass or a give-up, while no drill runs."""
        return not self.running and (self.finished or self.store.solution_unlocked(self.id))

    def studied(self) -> None:
        """The solution was shown with no drill running: this screen times nothing more (a reset
        starts a new drill)."""
        if not self.finished:
            self.ended_as = "studied"

    def give_up(self, code: str | None) -> None:
        attempt = self.store.give_up(self.id, code)
        self.attempt = attempt
        self.ended_as, self.duration = "gave_up", attempt.duration_s
        review = self.store.review_of(attempt.id)
        self.rating, self.next_due = (review.rating_name, review.due_after) if review else (None, None)

    def reset(self) -> Path | None:
        """Start over: the starter again (the old file archived); the running attempt, if any, is
        left unfinished; the clock waits for the first change."""
        _, archived = self.workspace.start(self.challenge)
        self.store.abandon(self.id)
        self.attempt = None
        self.hints_seen = self.store.hints_used(self.id)
        self.ended_as, self.duration = None, None
        self.rating, self.next_due = None, None
        return archived
