"""Asking and grading one quiz problem, and the rating it earns.

**Numbers** (``NumericRun``): the learner fills ``grad`` for every node, walking back from
the output: a node can be answered once every node that uses it has been (its grad is then
known). Each answer is graded at once against the exact grad: it is right when
``|answer - grad| <= max(ABS_TOL, REL_TOL * |grad|)`` (``TOLERANCE_TEXT`` says so on
screen). An answer may be a number or arithmetic on numbers (``0.5 * -3``); it is read by
the formula parser, never evaluated as Python. A malformed answer gets a one-line message
and another try (it does not count). A wrong answer is shown with the node's worked chain
rule (and the likely mistake named), and the right grad is filled in, so one slip does not
spoil the nodes below it.

**Formulas** (``FormulaRun``): one expression for ``x.grad += ?``; a wrong answer gets its
mistake named and one more try (``FORMULA_TRIES`` in all); then the right answer is shown.

**Rating** (one FSRS review per finished problem, from correctness and time):

======================================================================  =========
the problem                                                              rating
======================================================================  =========
a node answered wrong, a formula still wrong after its retry, revealed  Again
all right, but a formula only on its retry, or slower than the target   Hard
all right within the target time                                        Good
all right at the first try within ``EASY_FRACTION`` of the target       Easy
======================================================================  =========

The time is from the moment the problem is shown to its last answer. Only a real, timed,
graded problem is a review: a problem left before its end is no review, unless an answer
was already wrong (then it is Again: the slip happened).

**Level** (``next_level``): a family starts at level 1; a Good or Easy review moves its
next problem one level up, an Again one level down, a Hard keeps it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .. import clock
# the ratings and next_level live with the families (the home screen needs them without a session)
from .families import AGAIN, EASY, FAMILIES, GOOD, HARD, Family, family, next_level  # noqa: F401
from .formulas import FormulaCard, FormulaError, Verdict, check, parse_number
from .graph import Problem, Worked, num

if TYPE_CHECKING:
    from .families import Generated

ABS_TOL = 0.001
REL_TOL = 0.005
TOLERANCE_TEXT = ("Type each grad as a number (arithmetic like 0.5 * -3 is fine), to 3 decimals or 4 "
                  "significant digits: an answer within 0.5% (or 0.001) of the exact grad is right.")
FORMULA_TRIES = 2
EASY_FRACTION = 0.5

RATING_NAMES = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}


class AnswerError(ValueError):
    """A malformed answer (one line for the learner); it does not count as a try."""


def close_enough(answer: float, exact: float) -> bool:
    return abs(answer - exact) <= max(ABS_TOL, REL_TOL * abs(exact))


def new_seed() -> int:
    """A fresh seed for a review: new numbers every time (not the global random state)."""
    return random.SystemRandom().randrange(1, 2 ** 31)


# ---------------------------------------------------------------------------------------
# Outcome and rating


@dataclass(frozen=True)
class Outcome:
    family: str
    level: int
    seed: int
    kind: str                 # "numeric" or "formula"
    asked: int                # nodes (or 1 formula)
    right: int                # right at the first try (numbers) / 1 or 0 (formula)
    wrong: int                # answered wrong (numbers) / wrong tries (formula)
    retried: bool             # a formula right only on its retry
    revealed: bool            # the learner asked for the answers
    finished: bool
    duration_s: float
    target_s: float
    started_at: datetime
    ended_at: datetime

    @property
    def all_right(self) -> bool:
        return self.finished and not self.revealed and self.wrong == 0 and self.right == self.asked

    @property
    def review(self) -> bool:
        """Is this a review (a real, graded problem)? See the module docstring."""
        return self.finished or self.wrong > 0

    @property
    def rating(self) -> int | None:
        return rate(self) if self.review else None

    @property
    def accuracy(self) -> float:
        return self.right / self.asked if self.asked else 0.0

    def to_dict(self) -> dict:
        rating = self.rating
        return {"family": self.family, "level": self.level, "seed": self.seed, "kind": self.kind,
                "asked": self.asked, "right": self.right, "wrong": self.wrong, "retried": self.retried,
                "revealed": self.revealed, "finished": self.finished, "duration_seconds": round(self.duration_s, 3),
                "target_seconds": self.target_s, "rating": RATING_NAMES.get(rating) if rating else None}


def rate(outcome: Outcome) -> int:
    """The rating a finished problem earns (the table in the module docstring)."""
    if outcome.revealed or not outcome.finished or outcome.right < outcome.asked:
        return AGAIN
    if outcome.retried or outcome.duration_s > outcome.target_s:
        return HARD
    if outcome.duration_s <= EASY_FRACTION * outcome.target_s:
        return EASY
    return GOOD


# ---------------------------------------------------------------------------------------
# Numbers


@dataclass(frozen=True)
class NodeResult:
    name: str
    given: str
    value: float | None       # None when revealed
    right: bool
    expected: float
    message: str              # the named mistake, "" when right
    worked: Worked

    @property
    def revealed(self) -> bool:
        return self.value is None


class NumericRun:
    """One numeric problem being answered (see the module docstring)."""

    def __init__(self, problem: Problem, started: datetime | None = None) -> None:
        self.problem = problem
        self.started_at = started or clock.now()
        self.ended_at: datetime | None = None
        self.results: dict[str, NodeResult] = {}
        self.revealed = False

    @property
    def order(self) -> list[str]:
        """The asked nodes, output first (reverse forward order)."""
        return [n.name for n in self.problem.asked]

    @property
    def pending(self) -> list[str]:
        return [name for name in self.order if name not in self.results]

    @property
    def finished(self) -> bool:
        return not self.pending

    def ready(self, name: str) -> bool:
        """Can ``name`` be answered now? Every node that uses it has been answered."""
        if name in self.results or name not in self.problem or self.problem[name].const:
            return False
        return all(user.name in self.results or user.const for user, _ in self.problem.users(name))

    @property
    def next(self) -> str | None:
        return next((name for name in self.pending if self.ready(name)), None)

    def answer(self, name: str, text: str) -> NodeResult:
        if name not in self.problem or self.problem[name].const:
            raise AnswerError(f"there is no node {name} to answer")
        if name in self.results:
            raise AnswerError(f"{name}.grad is already answered")
        if not self.ready(name):
            waiting = [u.name for u, _ in self.problem.users(name) if u.name not in self.results]
            raise AnswerError(f"walk back from the output: answer {', '.join(dict.fromkeys(waiting))} first")
        text = (text or "").strip()
        for head in (f"{name}.grad =", f"{name}.grad="):
            if text.startswith(head):
                text = text[len(head):].strip()
        try:
            value = parse_number(text)
        except FormulaError as exc:
            raise AnswerError(str(exc)) from None
        node = self.problem[name]
        worked = self.problem.explain(name)
        right = close_enough(value, node.grad)
        result = NodeResult(name, text, value, right, node.grad, "" if right else diagnose(self.problem, worked, value),
                            worked)
        self.results[name] = result
        self._maybe_end()
        return result

    def reveal(self) -> list[NodeResult]:
        """Give up: every pending node is shown (the problem counts as Again)."""
        shown = []
        for name in self.pending:
            node = self.problem[name]
            r = NodeResult(name, "", None, False, node.grad, "revealed", self.problem.explain(name))
            self.results[name] = r
            shown.append(r)
        self.revealed = True
        self._maybe_end()
        return shown

    def _maybe_end(self) -> None:
        if self.finished and self.ended_at is None:
            self.ended_at = clock.now()

    def detail(self) -> dict:
        """What was asked and answered, for the record (``quiz_answers.detail``)."""
        return {"nodes": [{"name": r.name, "given": r.given, "right": r.right, "grad": r.expected,
                           "revealed": r.revealed} for r in (self.results[n] for n in self.order if n in self.results)]}

    def outcome(self, now: datetime | None = None) -> Outcome:
        ended = self.ended_at or now or clock.now()
        answered = [r for r in self.results.values() if not r.revealed]
        return Outcome(self.problem.family, self.problem.level, self.problem.seed, "numeric", len(self.order),
                       sum(r.right for r in answered), sum(not r.right for r in answered), False, self.revealed,
                       self.finished, max(0.0, (ended - self.started_at).total_seconds()), self.problem.target_s,
                       self.started_at, ended)


def diagnose(problem: Problem, worked: Worked, value: float) -> str:
    """Name the likely mistake behind a wrong numeric grad (or "" if none fits)."""
    name = worked.name
    if worked.output:
        return f"the output's grad is 1: d{name}/d{name} = 1, where backward() starts"
    parts = [g * t.local for t, g in zip(worked.terms, worked.parent_grads)]
    if close_enough(value, -worked.grad) and worked.grad:
        return "the sign is flipped"
    if len(parts) > 1:
        for i, part in enumerate(parts):
            if close_enough(value, part):
                t = worked.terms[i]
                same_user = len({x.parent for x in worked.terms}) == 1
                if same_user:
                    times = {2: "twice", 3: "three times"}.get(len(parts), f"{len(parts)} times")
                    return (f"that counts one use only: {t.parent} uses {name} {times}, and each use adds "
                            f"(+= in _backward)")
                others = sorted({x.parent for x in worked.terms if x.parent != t.parent})
                return (f"that is only the part through {t.parent}: {name} is also used by {', '.join(others)}, "
                        f"and the gradients add")
        for skip in range(len(parts)):
            if close_enough(value, sum(parts) - parts[skip]):
                t = worked.terms[skip]
                return f"a part is missing: the one through {t.parent} ({t.symbolic()}); the gradients of every use add"
        return ""
    t, g = worked.terms[0], worked.parent_grads[0]
    if t.local != 1 and close_enough(value, t.local) and g != 1:
        return f"that is the local derivative ({t.local_text}) alone: the chain rule multiplies it by {t.parent}.grad"
    if t.local != 1 and close_enough(value, g):
        return (f"that copies {t.parent}.grad; {problem[t.parent].formula()} scales it by the local derivative "
                f"{t.local_text}")
    parent = problem[t.parent]
    if parent.op == "*" and close_enough(value, g * problem[name].data) and problem[name].data != t.local:
        return f"the local derivative of * is the other factor ({t.local_text}), not {name}'s own data"
    if parent.op == "tanh" and close_enough(value, g * (1 - parent.data)):
        return f"tanh's local derivative is 1 - {parent.name}.data**2: the square is missing"
    return ""


# ---------------------------------------------------------------------------------------
# Formulas


@dataclass(frozen=True)
class FormulaTry:
    text: str
    verdict: Verdict


class FormulaRun:
    """One formula card being answered: up to ``FORMULA_TRIES`` tries."""

    def __init__(self, card: FormulaCard, started: datetime | None = None) -> None:
        self.card = card
        self.started_at = started or clock.now()
        self.ended_at: datetime | None = None
        self.tries: list[FormulaTry] = []
        self.revealed = False

    @property
    def right(self) -> bool:
        return bool(self.tries) and self.tries[-1].verdict.right

    @property
    def finished(self) -> bool:
        return self.right or self.revealed or len(self.tries) >= FORMULA_TRIES

    @property
    def tries_left(self) -> int:
        return max(0, FORMULA_TRIES - len(self.tries))

    def answer(self, text: str, verdict: Verdict | None = None) -> Verdict:
        """Grade ``text`` (or take ``verdict``, ``formulas.check(text, card)`` computed in a
        worker thread: sympy may take a moment)."""
        if self.finished:
            raise AnswerError("this card is answered")
        verdict = verdict or check(text, self.card)
        if verdict.malformed:
            raise AnswerError(verdict.message)
        self.tries.append(FormulaTry(text.strip(), verdict))
        if self.finished and self.ended_at is None:
            self.ended_at = clock.now()
        return verdict

    def reveal(self) -> str:
        self.revealed = True
        if self.ended_at is None:
            self.ended_at = clock.now()
        return self.card.answer

    def detail(self) -> dict:
        return {"card": self.card.out_text, "question": self.card.question, "answer": self.card.answer,
                "tries": [{"text": t.text, "right": t.verdict.right, "message": t.verdict.message} for t in self.tries],
                "revealed": self.revealed}

    def outcome(self, now: datetime | None = None) -> Outcome:
        ended = self.ended_at or now or clock.now()
        wrong = sum(not t.verdict.right for t in self.tries)
        right = 1 if self.right and not self.revealed else 0
        retried = self.right and wrong > 0
        return Outcome(self.card.family, self.card.level, self.card.seed, "formula", 1, right, wrong, retried,
                       self.revealed, self.finished, max(0.0, (ended - self.started_at).total_seconds()),
                       self.card.target_s, self.started_at, ended)


Run = NumericRun | FormulaRun


def start(item: Generated, started: datetime | None = None) -> Run:
    """A run for a generated problem or card."""
    return FormulaRun(item, started) if isinstance(item, FormulaCard) else NumericRun(item, started)


def new_problem(name: str, level: int | None = None, seed: int | None = None,
                last: tuple[int, int | None] | None = None) -> Generated:
    """A fresh problem of family ``name``: at ``level`` (else from the last review), seed (else new)."""
    fam = family(name)
    return fam.generate(new_seed() if seed is None else seed, level or next_level(fam, last))


__all__ = ["ABS_TOL", "REL_TOL", "TOLERANCE_TEXT", "FORMULA_TRIES", "AnswerError", "Outcome", "NodeResult",
           "NumericRun", "FormulaRun", "FormulaTry", "rate", "next_level", "start", "new_problem", "new_seed",
           "diagnose", "close_enough", "FAMILIES", "num"]
