"""Quiz cards in the daily queue, beside the drills (``practice.plan`` calls ``plan_quiz``).

One FSRS card per family (key ``"quiz:<family>"``, kind ``"quiz"``). In today's queue:

1. **Due quiz cards** (due on or before today, most overdue first), as ``review`` items,
   right after the challenge reviews, within what is left of the time budget (the first
   one always fits when the queue would otherwise be empty).
2. **One new family a day** (``QUIZ_NEW_PER_DAY``), in the families' order, as a ``new``
   item, once the learner has taken any quiz: trying a quiz (from the home screen, the
   palette or ``gradrill quiz``) opts into them. A family met today outside the queue
   counts as today's new one.

An item's estimate is the target time of the family's next problem (at its next level).
A quiz item is done when a problem of its family is graded that day, wherever it was
answered (the store marks it, ``QuizMixin.record_quiz``).
"""

from __future__ import annotations

from datetime import date

from ..store import SessionItem, Store, local_day
from ..store.quiz import QUIZ_KIND, quiz_key
from .families import FAMILIES, Family, next_level

QUIZ_NEW_PER_DAY = 1


def family_of(key: str) -> str | None:
    """``"quiz:reuse"`` -> ``"reuse"``; None for a challenge key."""
    prefix = QUIZ_KIND + ":"
    return key[len(prefix):] if key.startswith(prefix) and key[len(prefix):] in FAMILIES else None


def estimate(store: Store, fam: Family) -> int:
    level = next_level(fam, store.quiz_last(fam.name))
    return int(round(fam.generate(0, level).target_s))


def plan_quiz(store: Store, day: date, room_s: int, in_queue: set[str], have_any: bool) -> list[SessionItem]:
    """The quiz items to add to ``day``'s queue, within ``room_s`` seconds (see the docstring)."""
    cards = {c.key: c for c in store.cards(kind=QUIZ_KIND) if family_of(c.key)}
    if not cards:
        return []
    items: list[SessionItem] = []
    due = sorted((c for c in cards.values() if c.key not in in_queue and local_day(c.due) <= day),
                 key=lambda c: (c.due, c.id))
    for card in due:
        cost = estimate(store, FAMILIES[family_of(card.key)])
        if cost <= room_s or not (have_any or items):
            items.append(SessionItem(0, card.key, "review", cost, due=card.due))
            room_s -= cost
    met_today = {k for k, c in cards.items() if local_day(c.created_at) == day}
    queued_new = {k for k in in_queue if family_of(k) and k not in cards}
    room_new = QUIZ_NEW_PER_DAY - len(met_today | queued_new)
    for fam in FAMILIES.values():
        if room_new <= 0:
            break
        key = quiz_key(fam.name)
        if key in cards or key in in_queue:
            continue
        cost = estimate(store, fam)
        if cost > room_s and (have_any or items):
            break
        items.append(SessionItem(0, key, "new", cost))
        room_s -= cost
        room_new -= 1
    return items


def pick_family(store: Store, day: date) -> str:
    """The family to practise when none is named: the most overdue due card, else one in
    today's queue not done yet, else the first never practised, else the one due soonest."""
    cards = sorted((c for c in store.cards(kind=QUIZ_KIND) if family_of(c.key)), key=lambda c: (c.due, c.id))
    due = [c for c in cards if local_day(c.due) <= day]
    if due:
        return family_of(due[0].key)
    session = store.session(day)
    for item in session.items if session else ():
        if family_of(item.key) and not item.done:
            return family_of(item.key)
    have = {family_of(c.key) for c in cards}
    fresh = [name for name in FAMILIES if name not in have]
    if fresh:
        return fresh[0]
    return family_of(cards[0].key) if cards else next(iter(FAMILIES))
