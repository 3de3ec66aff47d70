"""The days practised: each day's record, which days are completed or rest days, the streak.

For the Today panel (the streak, at every start), the heatmap and ``gradrill stats`` (``stats``
builds on this). All days are the learner's local calendar days (``clock.local_today``).

**A drill** counts on the day its attempt ended: a timed pass or a give-up (what counts as
an attempt at all is the store's rule: README, "What counts"; a check outside a timed
drill is not recorded, so it is never a drill, a review, a personal best or a streak day).

**A completed day** (one that extends the streak): that day's queue was built and every
item of it done, *or* at least ``streak_min_drills`` drills (default 3, settings.toml)
were finished that day, queue or not.

**A rest day** neither extends nor breaks a streak: a day on which nothing was asked of
the learner: its queue was built and came out empty, or (no queue built) no card was due
that day and no new challenge was open to start (all learned, or waiting for
prerequisites, or ``new_per_day = 0``).

**The current streak** counts completed days back from today; today not completed *yet*
does not break it (it counts up to yesterday until today is completed). **The longest
streak** is the longest such run ever.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from . import clock
from . import settings as settings_mod
from .catalog import Catalog
from .store import Attempt, Store, local_day

ATTEMPT_SECONDS_CAP = 3600  # an attempt left open overnight counts for at most an hour of practice
HEAT_LEVELS = (0, 1, 2, 4, 6)  # drills in a day for each colour


@dataclass(frozen=True)
class DayStat:
    day: date
    drills: int = 0
    passes: int = 0
    seconds: float = 0.0
    queue: int = 0
    queue_done: int = 0
    complete: bool = False
    rest: bool = False

    @property
    def level(self) -> int:
        return max(i for i, low in enumerate(HEAT_LEVELS) if self.drills >= low)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["day"] = self.day.isoformat()
        d["seconds"] = round(self.seconds, 1)
        return d


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    today_complete: bool
    min_drills: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class History:
    """Everything the day-by-day view needs, read once."""

    def __init__(self, store: Store, catalog: Catalog | None, settings: settings_mod.Settings):
        self.catalog = catalog
        self.settings = settings
        self.attempts = store.attempts(with_code=False)
        failed = store.failed_runs()
        self.sessions = {s.day: s for s in store.sessions()}
        self.reviews = store.reviews()
        self.by_day: dict[date, list[Attempt]] = defaultdict(list)
        self.first_pass: dict[str, date] = {}
        for a in self.attempts:
            if a.counted:
                self.by_day[local_day(a.ended_at)].append(a)
            if a.passed:
                d = local_day(a.ended_at)
                self.first_pass[a.challenge] = min(d, self.first_pass.get(a.challenge, d))
        self.failed = failed
        self.reviews_by_card: dict[str, list] = defaultdict(list)
        for r in self.reviews:
            self.reviews_by_card[r.key].append(r)
        starts = [local_day(a.ended_at) for a in self.attempts if a.ended_at] + list(self.sessions)
        self.first_day: date | None = min(starts) if starts else None
        self._memo: dict[date, DayStat] = {}

    def asked(self, day: date) -> bool:
        """Was anything due, or new and open to start, on ``day``? (No queue built that day.)"""
        learned = set()
        for key, reviews in self.reviews_by_card.items():
            before = [r for r in reviews if local_day(r.reviewed_at) < day]
            if not before:
                continue
            learned.add(key)
            if local_day(before[-1].due_after) <= day:
                return True
        if self.catalog is None:
            return True
        if self.settings.new_per_day == 0:
            return False
        for c in self.catalog:
            if c.id in learned:
                continue
            if all(p in self.first_pass and self.first_pass[p] < day for p in c.prerequisites):
                return True
        return False

    def day(self, day: date) -> DayStat:
        if day not in self._memo:
            self._memo[day] = self._day(day)
        return self._memo[day]

    def _day(self, day: date) -> DayStat:
        ended = self.by_day.get(day, [])
        passes = sum(1 for a in ended if a.passed)
        seconds = sum(min(a.duration_s or 0.0, ATTEMPT_SECONDS_CAP) for a in ended)
        session = self.sessions.get(day)
        queue = len(session.items) if session else 0
        queue_done = session.done_count if session else 0
        complete = bool(session and session.complete) or len(ended) >= self.settings.streak_min_drills
        rest = False
        if not complete:
            if session is not None:
                rest = not session.items
            elif not ended and self.first_day is not None and day > self.first_day:
                rest = not self.asked(day)
        return DayStat(day, len(ended), passes, seconds, queue, queue_done, complete, rest)


def day_stats(store: Store, catalog: Catalog | None = None, start: date | None = None, end: date | None = None,
              settings: settings_mod.Settings | None = None) -> list[DayStat]:
    """One ``DayStat`` per day from ``start`` (default: the first active day) to ``end`` (today)."""
    history = History(store, catalog, settings or settings_mod.load())
    return days_in(history, start, end or clock.local_today())


def days_in(history: History, start: date | None, end: date) -> list[DayStat]:
    start = start or history.first_day or end
    return [history.day(start + timedelta(days=n)) for n in range((end - start).days + 1)]


def streak_of(history: History, today: date) -> Streak:
    if history.first_day is None:
        return Streak(0, 0, False, history.settings.streak_min_drills)
    days = days_in(history, history.first_day, today)
    longest = run = 0
    for d in days:
        if d.complete:
            run += 1
            longest = max(longest, run)
        elif not d.rest and d.day != today:
            run = 0
    current = 0
    today_stat = days[-1]
    for d in reversed(days):
        if d.complete:
            current += 1
        elif d.rest or d.day == today:
            continue
        else:
            break
    return Streak(current, longest, today_stat.complete, history.settings.streak_min_drills)


def streak(store: Store, catalog: Catalog | None = None, today: date | None = None,
           settings: settings_mod.Settings | None = None) -> Streak:
    history = History(store, catalog, settings or settings_mod.load())
    return streak_of(history, today or clock.local_today())


def heatmap_start(today: date, weeks: int = 26) -> date:
    """The Monday ``weeks - 1`` weeks before this week's Monday."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
