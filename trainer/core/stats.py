"""Stats, for ``gradrill stats`` and the TUI's stats screen.

All days are the learner's local calendar days (``clock.local_today``).

The days practised and the streak (what counts as a drill, a completed day, a rest day) are
``days``'s rules.

**Lapses**: Again ratings of a card already learned (a new card's first Again is none).

**Pass rate**: passes / finished attempts, where finished means passed, given up, or
restarted after failing runs (a fail). Open attempts and restarts with no grading do not
count. **Personal best**: the fastest timed pass. **Time trend**: the durations of the
timed passes, oldest first.

**Forecast**: reviews due on each of the next days; overdue cards count on today.

**Quiz accuracy** (per family): answers right at the first try over answers asked, across
the family's graded problems (a node is one answer; a formula right only on its retry is
not right at the first try).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from . import clock
from . import settings as settings_mod
from .catalog import Catalog
from .days import DayStat, History, Streak, days_in, heatmap_start, streak_of
from .quiz.families import FAMILIES, next_level
from .store import Attempt, Store, local_day
from .store.quiz import quiz_key


@dataclass(frozen=True)
class ChallengeStats:
    id: str
    title: str
    chapter: str | None
    target_s: int | None
    attempts: int
    finished: int
    passes: int
    gave_up: int
    best_s: float | None
    last_s: float | None
    times: tuple[float, ...]
    hints: int
    state: str | None
    due: datetime | None
    interval_days: float | None
    stability: float | None
    difficulty: float | None
    reviews: int
    lapses: int
    last_rating: str | None

    @property
    def pass_rate(self) -> float | None:
        return self.passes / self.finished if self.finished else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "chapter": self.chapter, "target_seconds": self.target_s,
            "attempts": self.attempts, "finished": self.finished, "passes": self.passes, "gave_up": self.gave_up,
            "pass_rate": None if self.pass_rate is None else round(self.pass_rate, 4),
            "best_seconds": _r(self.best_s), "last_seconds": _r(self.last_s),
            "times": [_r(t) for t in self.times], "hints": self.hints,
            "card": None if self.state is None else {
                "state": self.state, "due": self.due.isoformat() if self.due else None,
                "interval_days": _r(self.interval_days), "stability": _r(self.stability, 3),
                "difficulty": _r(self.difficulty, 3), "reviews": self.reviews, "lapses": self.lapses,
                "last_rating": self.last_rating,
            },
        }


def _r(x: float | None, n: int = 1) -> float | None:
    return None if x is None else round(x, n)


@dataclass(frozen=True)
class QuizStats:
    """One quiz family: its graded problems and how many answers were right at the first try."""

    family: str
    title: str
    kind: str                    # "numeric" or "formula"
    problems: int
    all_right: int               # problems with every answer right at the first try
    asked: int                   # answers asked (nodes, or one per formula)
    right: int                   # of them right at the first try
    level: int                   # the level of the next problem
    last_at: datetime | None
    due: datetime | None

    @property
    def accuracy(self) -> float | None:
        return self.right / self.asked if self.asked else None

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "title": self.title, "kind": self.kind, "problems": self.problems,
                "all_right": self.all_right, "asked": self.asked, "right": self.right,
                "accuracy": None if self.accuracy is None else round(self.accuracy, 4), "next_level": self.level,
                "last": self.last_at.isoformat() if self.last_at else None,
                "due": self.due.isoformat() if self.due else None}


@dataclass(frozen=True)
class Stats:
    today: date
    streak: Streak
    days: tuple[DayStat, ...]  # the heatmap's days, oldest first, ending today
    challenges: tuple[ChallengeStats, ...]
    forecast: tuple[tuple[date, int], ...]
    totals: dict[str, Any] = field(default_factory=dict)
    quiz: tuple[QuizStats, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "streak": self.streak.to_dict(),
            "totals": self.totals,
            "days": [d.to_dict() for d in self.days if d.drills or d.queue or d.complete],
            "challenges": [c.to_dict() for c in self.challenges],
            "forecast": [{"day": d.isoformat(), "due": n} for d, n in self.forecast],
            "quiz": [q.to_dict() for q in self.quiz],
        }


# -- challenges and forecast ---------------------------------------------------------------


def challenge_stats(store: Store, catalog: Catalog | None = None) -> list[ChallengeStats]:
    """One row per challenge of the catalog (in curriculum order), then any other challenge
    with attempts (no longer in the catalog)."""
    attempts: dict[str, list[Attempt]] = defaultdict(list)
    for a in store.attempts(with_code=False):
        attempts[a.challenge].append(a)
    failed = store.failed_runs()
    cards = {c.key: c for c in store.cards(kind="challenge")}
    reviews: dict[str, list] = defaultdict(list)
    for r in store.reviews():
        reviews[r.key].append(r)
    ids = [c.id for c in catalog] if catalog is not None else []
    ids += sorted(k for k in attempts if k not in set(ids))
    out = []
    for cid in ids:
        challenge = catalog.get(cid) if catalog is not None and cid in catalog else None
        mine = attempts.get(cid, [])
        passes = [a for a in mine if a.passed and a.counted]
        gave_up = sum(1 for a in mine if a.status == "gave_up")
        fails = sum(1 for a in mine if a.status == "abandoned" and failed.get(a.id))
        times = tuple(a.duration_s for a in sorted(passes, key=lambda a: a.ended_at) if a.duration_s is not None)
        card = cards.get(cid)
        revs = reviews.get(cid, [])
        out.append(ChallengeStats(
            id=cid, title=challenge.title if challenge else cid, chapter=challenge.chapter if challenge else None,
            target_s=challenge.target_seconds if challenge else None, attempts=len(mine),
            finished=len(passes) + gave_up + fails, passes=len(passes), gave_up=gave_up,
            best_s=min(times) if times else None, last_s=times[-1] if times else None, times=times,
            hints=sum(a.hints_used for a in mine),
            state=card.state if card else None, due=card.due if card else None,
            interval_days=card.interval_days if card else None,
            stability=card.card.stability if card else None, difficulty=card.card.difficulty if card else None,
            reviews=len(revs), lapses=sum(1 for r in revs[1:] if r.rating == 1),  # a new card's Again is no lapse
            last_rating=revs[-1].rating_name if revs else None,
        ))
    return out


def forecast(store: Store, today: date | None = None, days: int = 14, kind: str | None = "challenge",
             catalog: Catalog | None = None) -> list[tuple[date, int]]:
    """Reviews due on each of the next ``days`` days (overdue ones on today)."""
    today = today or clock.local_today()
    counts = {today + timedelta(days=n): 0 for n in range(days)}
    for card in store.cards(kind=kind):
        if catalog is not None and card.kind == "challenge" and card.key not in catalog:
            continue
        d = max(today, local_day(card.due))
        if d in counts:
            counts[d] += 1
    return sorted(counts.items())


def quiz_stats(store: Store) -> list[QuizStats]:
    """Quiz accuracy per family (every family, in order): answers right at the first try (a
    formula right only on its retry is not) over answers asked, across graded problems."""
    answers: dict[str, list] = defaultdict(list)
    for a in store.quiz_answers():
        answers[a.family].append(a)
    out = []
    for fam in FAMILIES.values():
        mine = answers.get(fam.name, [])
        card = store.card(quiz_key(fam.name))
        last = mine[-1] if mine else None
        out.append(QuizStats(
            family=fam.name, title=fam.title, kind=fam.kind, problems=len(mine),
            all_right=sum(1 for a in mine if a.all_right and not a.retried), asked=sum(a.asked for a in mine),
            right=sum(a.right - (1 if a.retried else 0) for a in mine),
            level=next_level(fam, (last.level, last.rating) if last else None),
            last_at=last.ended_at if last else None, due=card.due if card else None))
    return out


def collect(store: Store, catalog: Catalog | None = None, now: datetime | None = None,
            settings: settings_mod.Settings | None = None, weeks: int = 26, horizon: int = 14) -> Stats:
    """Everything the stats views show."""
    today = clock.local_today(now)
    settings = settings or settings_mod.load()
    history = History(store, catalog, settings)
    start = heatmap_start(today, weeks)
    days = tuple(days_in(history, start, today))
    challenges = tuple(challenge_stats(store, catalog))
    all_days = days_in(history, history.first_day, today) if history.first_day else []
    totals = {
        "drills": sum(d.drills for d in all_days),
        "passes": sum(d.passes for d in all_days),
        "seconds": round(sum(d.seconds for d in all_days), 1),
        "active_days": sum(1 for d in all_days if d.drills),
        "completed_days": sum(1 for d in all_days if d.complete),
        "challenges_passed": sum(1 for c in challenges if c.passes),
        "challenges": len(catalog) if catalog is not None else len(challenges),
        "cards": len(store.cards(kind="challenge")),
    }
    quiz = tuple(quiz_stats(store))
    totals["quiz_problems"] = sum(q.problems for q in quiz)
    return Stats(today, streak_of(history, today), days, challenges,
                 tuple(forecast(store, today, horizon, catalog=catalog)), totals, quiz)
