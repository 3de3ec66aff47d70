"""One drill at one challenge, without any UI: the attempt, the file, hints, the end.

The challenge screen owns one ``Drill``; every store and workspace write goes through it,
on the UI thread (the store's connection is shared, so no two threads write at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import clock
from .catalog import Challenge
from .results import Verdict
from .store import Attempt, Store
from .workspace import Workspace
from .text import display_path


@dataclass(frozen=True)
class PassReport:
    """What a timed pass means: time, target, the personal best before it."""

    duration: float | None  # None: an untimed pass
    target: int
    best_before: float | None

    @property
    def new_best(self) -> bool:
        return self.duration is not None and (self.best_before is None or self.duration < self.best_before)

    @property
    def delta(self) -> float | None:
        """Against the best before, in whole seconds (as both times are shown)."""
        if self.duration is None or self.best_before is None:
            return None
        return round(self.duration) - round(self.best_before)


class Drill:
    def __init__(self, challenge: Challenge, store: Store, workspace: Workspace):
        self.challenge = challenge
        self.store = store
        self.workspace = workspace
        self.attempt: Attempt | None = None
        self.hints_seen = 0  # hints shown on screen (counted ones, plus free ones after the end)
        self.ended_as: str | None = None  # "pass" or "gave_up" once the attempt is over
        self.duration: float | None = None

    @property
    def id(self) -> str:
        return self.challenge.id

    @property
    def path(self) -> Path:
        return self.workspace.path_for(self.challenge)

    def begin(self) -> str | None:
        """Resume the open attempt, or start a new one; returns a notice for the learner, if any.

        A challenge tried before (passed or given up) starts over from the starter: the old
        file is archived first, so a re-drill is a real drill and not a re-run of the answer.
        """
        attempt = self.store.open_attempt(self.id)
        notice = None
        if attempt is None and self.store.attempts(self.id):
            _, archived = self.workspace.start(self.challenge)
            if archived:
                notice = f"A fresh drill. Your previous file is archived at {display_path(archived)}"
            attempt = self.store.start_attempt(self.id, restart=True)
        else:
            self.workspace.ensure(self.challenge)
            attempt = attempt or self.store.start_attempt(self.id)
        self.attempt = attempt
        self.hints_seen = attempt.hints_used
        self.ended_as, self.duration = None, None
        return notice

    @property
    def started_at(self) -> datetime:
        return self.attempt.started_at if self.attempt else clock.now()

    @property
    def finished(self) -> bool:
        return self.ended_as is not None

    def best(self) -> float | None:
        return self.store.best_time(self.id)

    def record(self, verdict: Verdict, code: str) -> PassReport | None:
        """Store a grading (while the attempt is open); a pass ends it and is reported."""
        if self.finished:
            return None
        best_before = self.store.best_time(self.id)
        attempt = self.store.record_run(self.id, verdict, code)
        self.attempt = attempt
        if not verdict.passed:
            return None
        self.ended_as, self.duration = "pass", attempt.duration_s
        return PassReport(attempt.duration_s, self.challenge.target_seconds, best_before)

    def next_hint(self) -> tuple[int, str] | None:
        """The next hint (counted while the attempt is open; free after it ended)."""
        hints = self.challenge.hints
        if self.hints_seen >= len(hints):
            return None
        if self.finished:
            self.hints_seen += 1
        else:
            self.hints_seen = self.store.use_hint(self.id)
        n = min(self.hints_seen, len(hints))
        return n, hints[n - 1]

    def solution_unlocked(self) -> bool:
        return self.store.solution_unlocked(self.id)

    def give_up(self, code: str | None) -> None:
        attempt = self.store.give_up(self.id, code)
        self.attempt = attempt
        self.ended_as, self.duration = "gave_up", attempt.duration_s

    def reset(self) -> Path | None:
        """Start over: the starter again (the old file archived), a new attempt."""
        _, archived = self.workspace.start(self.challenge)
        self.attempt = self.store.start_attempt(self.id, restart=True)
        self.hints_seen = 0
        self.ended_as, self.duration = None, None
        return archived
