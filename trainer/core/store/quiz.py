"""Quiz answers: one row per graded quiz problem (table ``quiz_answers``, migration 3), and the
FSRS review of its family's card (key ``"quiz:<family>"``, kind ``"quiz"``), in one transaction.

Only a real, timed, graded problem is recorded and reviewed (``Outcome.review`` in
``gradrill.core.quiz.session``, which also holds the rating rules: a wrong node is Again;
all right but slow, or a formula right only on its retry, is Hard; all right within the
target is Good; within half of it at the first try, Easy). Recording a problem also marks
its family's item in that day's practice queue done (result ``pass`` when all right, else
``fail``).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .records import _dt, _iso, local_day

QUIZ_KIND = "quiz"


def quiz_key(family: str) -> str:
    return f"{QUIZ_KIND}:{family}"


@dataclass(frozen=True)
class QuizAnswer:
    id: int
    family: str
    level: int
    seed: int
    kind: str               # "numeric" or "formula"
    started_at: datetime
    ended_at: datetime
    duration_s: float
    target_s: float
    asked: int
    right: int
    wrong: int
    retried: bool
    revealed: bool
    rating: int
    detail: Any

    @property
    def all_right(self) -> bool:
        return not self.revealed and self.wrong == 0 and self.right == self.asked

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "QuizAnswer":
        return cls(row["id"], row["family"], row["level"], row["seed"], row["kind"], _dt(row["started_at"]),
                   _dt(row["ended_at"]), row["duration_s"], row["target_s"], row["asked"], row["right"],
                   row["wrong"], bool(row["retried"]), bool(row["revealed"]), row["rating"],
                   json.loads(row["detail"]) if row["detail"] else None)


class QuizMixin:
    """Quiz answers and their reviews."""

    def record_quiz(self, outcome, detail: Any = None) -> QuizAnswer | None:
        """Store a graded problem (a ``session.Outcome``) and review its family's card, in one
        transaction; None (nothing stored) when the outcome is no review."""
        rating = outcome.rating
        if not outcome.review or rating is None:
            return None
        key = quiz_key(outcome.family)
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO quiz_answers (family, level, seed, kind, started_at, ended_at, duration_s, target_s, "
                "asked, right, wrong, retried, revealed, rating, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (outcome.family, int(outcome.level), int(outcome.seed), outcome.kind, _iso(outcome.started_at),
                 _iso(outcome.ended_at), float(outcome.duration_s), float(outcome.target_s), int(outcome.asked),
                 int(outcome.right), int(outcome.wrong), int(outcome.retried), int(outcome.revealed), int(rating),
                 json.dumps(detail) if detail is not None else None))
            self._review(conn, key, QUIZ_KIND, rating, outcome.ended_at, outcome.duration_s, None)
            self._mark_quiz_done(conn, key, outcome.ended_at, "pass" if outcome.all_right else "fail")
            row = conn.execute("SELECT * FROM quiz_answers WHERE id = ?", (cur.lastrowid,)).fetchone()
        return QuizAnswer.from_row(row)

    @staticmethod
    def _mark_quiz_done(conn: sqlite3.Connection, key: str, when: datetime, result: str) -> None:
        day = local_day(when).isoformat()
        conn.execute("UPDATE session_items SET done_at = ?, result = ? WHERE day = ? AND key = ? AND done_at IS NULL",
                     (_iso(when), result, day, key))
        left = conn.execute("SELECT count(*) FROM session_items WHERE day = ? AND done_at IS NULL", (day,)).fetchone()[0]
        if not left:
            conn.execute("UPDATE sessions SET completed_at = COALESCE(completed_at, ?) WHERE day = ? "
                         "AND EXISTS (SELECT 1 FROM session_items WHERE day = ?)", (_iso(when), day, day))

    def quiz_answers(self, family: str | None = None) -> list[QuizAnswer]:
        if family:
            rows = self._all("SELECT * FROM quiz_answers WHERE family = ? ORDER BY ended_at, id", (family,))
        else:
            rows = self._all("SELECT * FROM quiz_answers ORDER BY ended_at, id")
        return [QuizAnswer.from_row(r) for r in rows]

    def quiz_last(self, family: str) -> tuple[int, int] | None:
        """The (level, rating) of the family's last recorded problem, for the next level."""
        row = self._one("SELECT level, rating FROM quiz_answers WHERE family = ? ORDER BY ended_at DESC, id DESC "
                        "LIMIT 1", (family,))
        return (row["level"], row["rating"]) if row else None
