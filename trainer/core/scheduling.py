"""Spaced repetition with FSRS (the ``fsrs`` package, 6.x).

One FSRS card per challenge (key: the challenge id) and, later, per quiz card (key:
``"<kind>:<id>"``; challenge ids never contain a colon). The store reviews a card when an
attempt ends, in the same transaction (see ``Store``); this module holds the rules.

**Rating, from the attempt itself** (no self-grading):

============================================================  =========
the attempt                                                    rating
============================================================  =========
gave up, or restarted after failing runs (a fail)              Again
passed with at least one hint, or slower than the target       Hard
passed                                                         Good
passed without hints in at most ``EASY_FRACTION`` of target    Easy
============================================================  =========

A grading outside a timed attempt is never a review (the store does not even record it;
an untimed pass from an older gradrill, with no duration, is no review either). An attempt
restarted before any grading is no review at all.

**The scheduler** works in whole days: no minute-long learning steps (a drill is not a
flashcard to repeat ten minutes later; a failed drill comes back tomorrow), no fuzz (the
same history always gives the same schedule, so an export re-imported elsewhere schedules
identically), intervals capped at ``MAXIMUM_INTERVAL_DAYS``.

Review logs are kept (table ``reviews``) so that the FSRS parameters can be fitted to the
learner later: ``optimize_parameters`` needs the optional extra ``gradrill[optimizer]``
(it pulls in torch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Sequence

from fsrs import Card, Rating, ReviewLog, Scheduler, State

from .clock import utc

EASY_FRACTION = 0.5
DESIRED_RETENTION = 0.9
MAXIMUM_INTERVAL_DAYS = 365

RATING_NAMES = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good", Rating.Easy: "easy"}
STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}

__all__ = [
    "Card", "Rating", "ReviewLog", "State", "EASY_FRACTION", "scheduler", "rate", "rate_attempt",
    "new_card", "review", "replay", "utc", "interval_days", "optimize_parameters", "RATING_NAMES",
]




_SCHEDULERS: dict[tuple[float, ...] | None, Scheduler] = {}


def scheduler(parameters: Sequence[float] | None = None) -> Scheduler:
    """gradrill's FSRS scheduler: whole days, no fuzz (see the module docstring)."""
    key = tuple(parameters) if parameters else None
    if key not in _SCHEDULERS:
        kwargs = {"parameters": key} if key else {}
        _SCHEDULERS[key] = Scheduler(desired_retention=DESIRED_RETENTION, learning_steps=(),
                                     relearning_steps=(), maximum_interval=MAXIMUM_INTERVAL_DAYS,
                                     enable_fuzzing=False, **kwargs)
    return _SCHEDULERS[key]


def rate(*, passed: bool, hints: int = 0, duration_s: float | None = None,
         target_s: float | None = None) -> Rating:
    """The rating an attempt earns (the table in the module docstring)."""
    if not passed:
        return Rating.Again
    if hints > 0:
        return Rating.Hard
    if duration_s is None or not target_s:
        return Rating.Good
    if duration_s > target_s:
        return Rating.Hard
    if duration_s <= EASY_FRACTION * target_s:
        return Rating.Easy
    return Rating.Good


def rate_attempt(attempt, target_s: float | None, failed_runs: int = 0) -> Rating | None:
    """The rating for an ended ``store.Attempt``; None when the attempt is no review."""
    if attempt.status == "pass":
        if attempt.duration_s is None:  # untimed (an older gradrill recorded those): no review
            return None
        return rate(passed=True, hints=attempt.hints_used, duration_s=attempt.duration_s, target_s=target_s)
    if attempt.status == "gave_up":
        return Rating.Again
    if attempt.status == "abandoned" and failed_runs > 0:
        return Rating.Again
    return None


def new_card(card_id: int, created: datetime) -> Card:
    return Card(card_id=card_id, due=utc(created))


def review(card: Card, rating: Rating, when: datetime, duration_s: float | None = None,
           parameters: Sequence[float] | None = None) -> tuple[Card, ReviewLog]:
    ms = None if duration_s is None else int(round(duration_s * 1000))
    return scheduler(parameters).review_card(card, Rating(rating), review_datetime=utc(when), review_duration=ms)


@dataclass(frozen=True)
class PastReview:
    rating: int
    when: datetime
    duration_ms: int | None = None


def replay(card_id: int, created: datetime, history: Iterable[PastReview],
           parameters: Sequence[float] | None = None) -> tuple[Card, list[Card]]:
    """The card after every review of ``history`` in time order; also the card after each one."""
    card = new_card(card_id, created)
    after: list[Card] = []
    sched = scheduler(parameters)
    for past in sorted(history, key=lambda p: utc(p.when)):
        card, _ = sched.review_card(card, Rating(past.rating), review_datetime=utc(past.when),
                                    review_duration=past.duration_ms)
        after.append(card)
    return card, after


def interval_days(card: Card) -> float | None:
    """Days from the card's last review to its due time (None before the first review)."""
    if card.last_review is None:
        return None
    return (card.due - card.last_review) / timedelta(days=1)


def optimize_parameters(logs: list[ReviewLog]) -> list[float]:
    """Fit the FSRS parameters to the learner's review logs (``Store.review_logs()``).

    Needs the optional extra: ``pip install 'gradrill[optimizer]'`` (torch)."""
    try:
        from fsrs import Optimizer

        optimizer = Optimizer(logs)  # without torch, fsrs's stand-in raises ImportError here
    except ImportError as exc:
        raise RuntimeError("optimising FSRS parameters needs the optional extra: "
                           "pip install 'gradrill[optimizer]' (it installs torch)") from exc
    return list(optimizer.compute_optimal_parameters())
