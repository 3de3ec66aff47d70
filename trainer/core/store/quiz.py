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
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .base import ImportFormatError
from .records import _dt, _iso, local_day

if TYPE_CHECKING:
    from .quiz_records import QuizAnswer

QUIZ_KIND = "quiz"
_COLUMNS = ("family", "level", "seed", "kind", "started_at", "ended_at", "duration_s", "target_s", "asked", "right",
            "wrong", "retried", "revealed", "rating", "detail")


def quiz_key(family: str) -> str:
    return f"{QUIZ_KIND}:{family}"


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
        from .quiz_records import QuizAnswer

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
        from .quiz_records import QuizAnswer

        return [QuizAnswer.from_row(r) for r in rows]

    def quiz_last(self, family: str) -> tuple[int, int] | None:
        """The (level, rating) of the family's last recorded problem, for the next level."""
        row = self._one("SELECT level, rating FROM quiz_answers WHERE family = ? ORDER BY ended_at DESC, id DESC "
                        "LIMIT 1", (family,))
        return (row["level"], row["rating"]) if row else None

    # -- export / import (``transfer``: key "quiz_answers"; the reviews travel with the review log) --

    @staticmethod
    def _export_quiz(conn: sqlite3.Connection) -> list[dict[str, Any]]:
        rows = conn.execute("SELECT * FROM quiz_answers ORDER BY id").fetchall()
        out = []
        for r in rows:
            item = {c: r[c] for c in _COLUMNS}
            item["retried"], item["revealed"] = bool(r["retried"]), bool(r["revealed"])
            item["detail"] = json.loads(r["detail"]) if r["detail"] else None
            out.append(item)
        return out

    @staticmethod
    def _import_quiz(conn: sqlite3.Connection, rows: Any) -> int:
        """Inside the import's transaction: answers not here yet (same family and start time are
        the same answer); a malformed entry refuses the whole import."""
        if not isinstance(rows, list):
            raise ImportFormatError('"quiz_answers" must be a list')
        clean = []
        try:
            for r in rows:
                item = (str(r["family"]), int(r["level"]), int(r["seed"]), str(r["kind"]),
                        _iso(_dt(r["started_at"])), _iso(_dt(r["ended_at"])), float(r["duration_s"]),
                        float(r["target_s"]), int(r["asked"]), int(r["right"]), int(r["wrong"]), int(bool(r["retried"])),
                        int(bool(r["revealed"])), int(r["rating"]),
                        json.dumps(r["detail"]) if r.get("detail") is not None else None)
                if item[3] not in ("numeric", "formula") or item[13] not in (1, 2, 3, 4) or item[5] is None:
                    raise ValueError(f"bad quiz answer {r!r:.80}")
                clean.append(item)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ImportFormatError(f"malformed export: quiz_answers: {exc!r}") from exc
        added = 0
        for item in clean:
            if conn.execute("SELECT 1 FROM quiz_answers WHERE family = ? AND started_at = ?",
                            (item[0], item[4])).fetchone():
                continue
            conn.execute(f"INSERT INTO quiz_answers ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                         item)
            added += 1
        return added
