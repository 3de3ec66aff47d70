"""The daily session ("chunked daily practice"): today's queue of drills.

The queue for a day is built the first time that day is opened (``today``) and stored
(table ``sessions``), so it stays the same all day: leave, come back, resume. An item is
done when an attempt at it ends that day (a pass or a give-up), wherever the drill was
taken (TUI or ``gradrill check``); the store marks it in the same transaction.

How the queue is built (``plan``):

1. **Due reviews first**, most overdue first: challenge cards due on or before today
   (in the learner's local calendar).
2. **Then new challenges in curriculum order** (the catalog's order), at most
   ``new_per_day`` a day (challenges first met today outside the queue count too). A new
   challenge's prerequisites must be passed, or come earlier in today's queue.
3. **Up to a time budget** (``daily_minutes``, or ``--minutes``): an item's estimate is
   its target time (a review) or ``NEW_FACTOR`` times it (a new challenge: reading the
   prompt, a first try). Reviews that do not fit wait for tomorrow (they stay due); new
   challenges stop at the first one that does not fit (curriculum order is kept). The
   queue always has at least one item if anything is due or new.
3b. **Quiz cards** (``core/quiz/plan.py``): due quiz cards, then one new quiz family a day
   once the learner has taken a quiz, after the challenge reviews and within the budget.
4. **Related challenges spaced apart**: within reviews and within new challenges, the next
   item is picked among the next ``SPACING_WINDOW`` by priority as the one least related
   to the one before (same chapter, shared tags), never before its prerequisites.

Asking for more minutes than the stored budget tops the queue up (new items appended);
asking for fewer changes nothing (the queue is stable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Sequence

from . import clock
from . import settings as settings_mod
from .catalog import Catalog, Challenge
from .quiz.families import FAMILIES
from .quiz.plan import family_of, plan_quiz
from .store import Session, SessionItem, Store, local_day

REVIEW_FACTOR = 1.0
NEW_FACTOR = 2.0
SPACING_WINDOW = 3


def estimate(challenge: Challenge, kind: str) -> int:
    return int(round(challenge.target_seconds * (NEW_FACTOR if kind == "new" else REVIEW_FACTOR)))


def relatedness(a: Challenge | None, b: Challenge | None) -> int:
    """How alike two challenges are: 2 for the same chapter, plus 1 per shared tag."""
    if a is None or b is None:
        return 0
    return 2 * (a.chapter == b.chapter) + len(set(a.tags) & set(b.tags))


def space(items: Sequence[Challenge], before: Sequence[Challenge] = (), window: int = SPACING_WINDOW,
          requires: dict[str, set[str]] | None = None) -> list[Challenge]:
    """Reorder ``items`` (given in priority order) so related ones are not back to back.

    ``before``: what comes just before (the last two count). ``requires``: id -> ids among
    ``items`` that must come earlier."""
    requires = requires or {}
    remaining = list(items)
    out: list[Challenge] = []
    while remaining:
        placed = {c.id for c in out} | {c.id for c in before}
        ready = [c for c in remaining if requires.get(c.id, set()) <= placed] or remaining[:1]
        candidates = ready[:window]
        tail = (list(before) + out)[-2:]
        last = tail[-1] if tail else None
        second = tail[-2] if len(tail) > 1 else None
        # least like the one before; on a tie, the one most like those still to place goes first
        # (the hardest to keep apart), then priority; the very first item is always the top priority
        best = min(candidates, key=lambda c: (relatedness(last, c), relatedness(second, c),
                                              -sum(relatedness(c, o) for o in remaining if o is not c)
                                              if last is not None else 0,
                                              remaining.index(c)))
        out.append(best)
        remaining.remove(best)
    return out


def plan(store: Store, catalog: Catalog, day: date, budget_s: int, new_cap: int,
         existing: Session | None = None) -> list[SessionItem]:
    """The items to add to ``day``'s queue (all of it, or a top-up of ``existing``)."""
    in_queue = {i.key for i in existing.items} if existing else set()
    used = existing.estimate_s if existing else 0
    have_any = bool(existing and existing.items)
    cards = store.cards(kind="challenge")
    learned = {c.key for c in cards}

    due = sorted((c for c in cards if c.key in catalog and c.key not in in_queue and local_day(c.due) <= day),
                 key=lambda c: (c.due, c.id))
    reviews: list[tuple[Challenge, datetime]] = []
    for card in due:
        challenge = catalog.get(card.key)
        cost = estimate(challenge, "review")
        if used + cost <= budget_s or not have_any:
            reviews.append((challenge, card.due))
            used += cost
            have_any = True

    quiz = plan_quiz(store, day, budget_s - used, in_queue, have_any)  # quiz cards: core/quiz/plan.py
    used += sum(i.estimate_s for i in quiz)
    have_any = have_any or bool(quiz)

    met_today = {c.key for c in cards if local_day(c.created_at) == day}
    queued_new = {i.key for i in existing.items if i.kind == "new"} if existing else set()
    room = max(0, new_cap - len(met_today | queued_new))
    passed = store.passed_challenges()
    fresh: list[Challenge] = []
    for challenge in catalog:
        if room <= len(fresh):
            break
        if challenge.id in learned or challenge.id in in_queue:
            continue
        ahead = passed | queued_new | {c.id for c in fresh}
        if not set(challenge.prerequisites) <= ahead:
            continue
        cost = estimate(challenge, "new")
        if used + cost > budget_s and have_any:
            break
        fresh.append(challenge)
        used += cost
        have_any = True

    before = [catalog.get(i.key) for i in existing.items if i.key in catalog][-2:] if existing else []
    due_at = {c.id: when for c, when in reviews}
    ordered_reviews = space([c for c, _ in reviews], before)
    fresh_ids = {c.id for c in fresh}
    requires = {c.id: set(c.prerequisites) & fresh_ids for c in fresh}
    ordered_new = space(fresh, (list(before) + ordered_reviews)[-2:], requires=requires)
    items = [SessionItem(0, c.id, "review", estimate(c, "review"), due=due_at[c.id]) for c in ordered_reviews]
    items += quiz
    items += [SessionItem(0, c.id, "new", estimate(c, "new")) for c in ordered_new]
    return items


@dataclass(frozen=True)
class QueueItem:
    position: int
    key: str
    kind: str  # 'review' or 'new'
    estimate_s: int
    challenge: Challenge | None  # None: no longer in the catalog
    due: datetime | None
    done: bool
    result: str | None  # 'pass' or 'gave_up' once done
    waiting_for: tuple[str, ...]  # a new item's prerequisites not passed yet (earlier in the queue)
    overdue_days: int

    @property
    def challenge_id(self) -> str:
        return self.key

    @property
    def quiz_family(self) -> str | None:
        """The quiz family of a quiz item (key ``"quiz:<family>"``), else None."""
        return family_of(self.key)

    @property
    def title(self) -> str:
        if self.quiz_family:
            return f"Quiz: {FAMILIES[self.quiz_family].title}"
        return self.challenge.title if self.challenge else self.key

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position, "id": self.key, "title": self.title, "kind": self.kind,
            "estimate_seconds": self.estimate_s, "due": self.due.isoformat() if self.due else None,
            "overdue_days": self.overdue_days, "done": self.done, "result": self.result,
            "waiting_for": list(self.waiting_for),
            "target_seconds": self.challenge.target_seconds if self.challenge else None,
            "chapter": self.challenge.chapter if self.challenge else None,
            "quiz": self.quiz_family,
        }


@dataclass(frozen=True)
class Today:
    day: date
    session: Session
    items: tuple[QueueItem, ...]

    @property
    def budget_s(self) -> int:
        return self.session.budget_s

    @property
    def new_cap(self) -> int:
        return self.session.new_cap

    @property
    def done_count(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def complete(self) -> bool:
        return self.session.complete

    @property
    def estimate_s(self) -> int:
        return sum(i.estimate_s for i in self.items)

    @property
    def remaining_s(self) -> int:
        return sum(i.estimate_s for i in self.items if not i.done)

    @property
    def next(self) -> QueueItem | None:
        """The first item not done whose prerequisites are passed (else the first not done)."""
        todo = [i for i in self.items if not i.done and (i.challenge is not None or i.quiz_family)]
        return next((i for i in todo if not i.waiting_for), todo[0] if todo else None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(), "budget_seconds": self.budget_s, "new_per_day": self.new_cap,
            "estimate_seconds": self.estimate_s, "remaining_seconds": self.remaining_s,
            "done": self.done_count, "total": len(self.items), "complete": self.complete,
            "next": self.next.key if self.next else None,
            "items": [i.to_dict() for i in self.items],
        }


def view(store: Store, catalog: Catalog, session: Session) -> Today:
    passed = store.passed_challenges()
    items = []
    for i in session.items:
        challenge = catalog.get(i.key) if i.key in catalog else None
        waiting = tuple(p for p in challenge.prerequisites if p not in passed) \
            if challenge and i.kind == "new" and not i.done else ()
        overdue = (session.day - local_day(i.due)).days if i.due else 0
        items.append(QueueItem(i.position, i.key, i.kind, i.estimate_s, challenge, i.due, i.done, i.result,
                               waiting, max(0, overdue)))
    return Today(session.day, session, tuple(items))


def today(store: Store, catalog: Catalog, minutes: float | None = None, now: datetime | None = None,
          settings: settings_mod.Settings | None = None) -> Today:
    """Today's queue: built and stored on the day's first call, the stored one after that."""
    now = now or clock.now()
    day = clock.local_today(now)
    settings = settings or settings_mod.load()
    store.attach_catalog(catalog)
    budget = int(round(minutes * 60)) if minutes else settings.daily_minutes * 60
    session = store.session(day)
    if session is None:
        items = plan(store, catalog, day, budget, settings.new_per_day)
        session = store.create_session(day, budget, settings.new_per_day, items, now)
    elif minutes and budget > session.budget_s:
        items = plan(store, catalog, day, budget, session.new_cap, existing=session)
        session = store.extend_session(day, budget, items)
    return view(store, catalog, session)


def stored_today(store: Store, catalog: Catalog, now: datetime | None = None) -> Today | None:
    """Today's queue if it has been built (never builds one: for 'what comes next')."""
    day = clock.local_today(now or clock.now())
    session = store.session(day)
    return view(store, catalog, session) if session is not None else None


@dataclass(frozen=True)
class Summary:
    """The end of a day's queue: what was done, how long it took, what comes tomorrow."""

    day: date
    items: int
    passes: int
    gave_up: int
    seconds: float
    streak: Any  # days.Streak
    due_tomorrow: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "items": self.items, "passes": self.passes, "gave_up": self.gave_up,
                "seconds": round(self.seconds, 1), "streak": self.streak.to_dict(),
                "due_tomorrow": list(self.due_tomorrow)}


def summary(store: Store, catalog: Catalog, t: Today, settings: settings_mod.Settings | None = None) -> Summary:
    """The session summary for ``t`` (shown when its last item is done)."""
    from datetime import timedelta

    from . import days

    settings = settings or settings_mod.load()
    ids = {i.attempt_id for i in t.session.items if i.attempt_id is not None}
    attempts = [a for a in store.attempts(with_code=False) if a.id in ids]
    seconds = sum(min(a.duration_s or 0.0, days.ATTEMPT_SECONDS_CAP) for a in attempts)
    tomorrow = t.day + timedelta(days=1)
    due = tuple(c.key for c in store.cards(kind="challenge")
                if c.key in catalog and local_day(c.due) <= tomorrow)
    return Summary(t.day, len(t.items), sum(1 for i in t.items if i.result == "pass"),
                   sum(1 for i in t.items if i.result == "gave_up"), seconds,
                   days.streak(store, catalog, t.day, settings), due)
