"""Attempts at challenges and their runs (gradings).

An *attempt* runs from opening a drill (``start_attempt``) to its first pass or an
explicit give-up. Each grading inside it is a *run*. Hints are counted per attempt."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from .. import clock
from ..results import Verdict
from .records import Attempt, ChallengeProgress, _iso, _utc


class AttemptsMixin:
    """Attempts at challenges: start, runs, hints, give-up, personal bests."""

    @staticmethod
    def _open_row(conn: sqlite3.Connection, challenge: str) -> sqlite3.Row | None:
        return conn.execute("SELECT * FROM attempts WHERE challenge = ? AND status = 'open' "
                            "ORDER BY id DESC LIMIT 1", (challenge,)).fetchone()

    @staticmethod
    def _row(conn: sqlite3.Connection, attempt_id: int) -> sqlite3.Row:
        return conn.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()

    def _begin_attempt(self, conn: sqlite3.Connection, challenge: str, mode: str, now: datetime,
                       restart: bool) -> sqlite3.Row:
        """Inside a transaction: the open attempt (resumed) or a new one."""
        row = self._open_row(conn, challenge)
        if row and not restart:
            return row
        if row:
            conn.execute("UPDATE attempts SET status = 'abandoned', ended_at = ? WHERE id = ?",
                         (_iso(now), row["id"]))
            self._review_attempt(conn, Attempt.from_row(self._row(conn, row["id"])), None)
        cur = conn.execute("INSERT INTO attempts (challenge, mode, started_at) VALUES (?, ?, ?)",
                           (challenge, mode, _iso(now)))
        return self._row(conn, cur.lastrowid)

    def open_attempt(self, challenge: str) -> Attempt | None:
        row = self._one("SELECT * FROM attempts WHERE challenge = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
                        (challenge,))
        return Attempt.from_row(row) if row else None

    def start_attempt(self, challenge: str, mode: str = "drill", now: datetime | None = None,
                      restart: bool = False) -> Attempt:
        """The open attempt at ``challenge`` (resumed), or a new one (``restart`` abandons the old;
        an abandoned attempt with failing runs counts as a fail for spaced repetition)."""
        now = now or clock.now()
        with self._tx() as conn:
            row = self._begin_attempt(conn, challenge, mode, now, restart)
        return Attempt.from_row(row)

    def record_run(self, challenge: str, verdict: Verdict, code: str | None = None,
                   now: datetime | None = None) -> Attempt:
        """Store one grading; a pass ends the open attempt, timed from its start, and reviews
        the challenge's card (same transaction).

        A grading with no open attempt (nobody started the drill) opens one that is
        untimed: its pass gets no duration, so it cannot fake a personal best.
        """
        now = now or clock.now()
        target = self._target(challenge) if verdict.passed else None
        results = json.dumps(verdict.to_dict())
        with self._tx() as conn:
            row = self._open_row(conn, challenge)
            timed = row is not None
            if row is None:
                row = self._begin_attempt(conn, challenge, "drill", now, restart=False)
            attempt = Attempt.from_row(row)
            conn.execute(
                "INSERT INTO runs (attempt_id, at, verdict, passed, total, results, code) VALUES (?,?,?,?,?,?,?)",
                (attempt.id, _iso(now), verdict.status, verdict.count("pass"), len(verdict.tests),
                 results, code))
            if verdict.passed:
                duration = max(0.0, (_utc(now) - _utc(attempt.started_at)).total_seconds()) if timed else None
                conn.execute(
                    "UPDATE attempts SET status = 'pass', ended_at = ?, duration_s = ?, verdict = ?, "
                    "results = ?, code = ? WHERE id = ?",
                    (_iso(now), duration, verdict.status, results, code, attempt.id))
                row = self._row(conn, attempt.id)
                self._review_attempt(conn, Attempt.from_row(row), target)
            else:
                conn.execute("UPDATE attempts SET verdict = ?, results = ?, code = ? WHERE id = ?",
                             (verdict.status, results, code, attempt.id))
                row = self._row(conn, attempt.id)
        return Attempt.from_row(row)

    def use_hint(self, challenge: str, now: datetime | None = None) -> int:
        """Count one more hint on the open attempt; return how many it has used."""
        now = now or clock.now()
        with self._tx() as conn:
            row = self._begin_attempt(conn, challenge, "drill", now, restart=False)
            conn.execute("UPDATE attempts SET hints_used = hints_used + 1 WHERE id = ?", (row["id"],))
            return conn.execute("SELECT hints_used FROM attempts WHERE id = ?", (row["id"],)).fetchone()[0]

    def hints_used(self, challenge: str) -> int:
        attempt = self.open_attempt(challenge)
        return attempt.hints_used if attempt else 0

    def give_up(self, challenge: str, code: str | None = None, now: datetime | None = None) -> Attempt:
        """End the open attempt (or a new one) as given up: a fail, rated Again."""
        now = now or clock.now()
        with self._tx() as conn:
            row = self._begin_attempt(conn, challenge, "drill", now, restart=False)
            started = datetime.fromisoformat(row["started_at"])
            conn.execute("UPDATE attempts SET status = 'gave_up', gave_up = 1, ended_at = ?, duration_s = ?, "
                         "code = COALESCE(?, code) WHERE id = ?",
                         (_iso(now), max(0.0, (_utc(now) - _utc(started)).total_seconds()), code, row["id"]))
            row = self._row(conn, row["id"])
            self._review_attempt(conn, Attempt.from_row(row), None)
        return Attempt.from_row(row)

    def solution_unlocked(self, challenge: str) -> bool:
        """After any pass, or a give-up, the learner may see the solution."""
        row = self._one("SELECT 1 FROM attempts WHERE challenge = ? AND status IN ('pass', 'gave_up') LIMIT 1",
                        (challenge,))
        return row is not None

    _LIGHT = ("SELECT id, challenge, mode, started_at, ended_at, duration_s, status, hints_used, gave_up, "
              "verdict, NULL AS results, NULL AS code FROM attempts")

    def attempts(self, challenge: str | None = None, *, with_code: bool = True) -> list[Attempt]:
        """Every attempt (at ``challenge``), oldest first; ``with_code=False`` leaves out the
        code snapshots and per-check results (for stats: much less to read)."""
        select = "SELECT * FROM attempts" if with_code else self._LIGHT
        if challenge:
            rows = self._all(select + " WHERE challenge = ? ORDER BY id", (challenge,))
        else:
            rows = self._all(select + " ORDER BY id")
        return [Attempt.from_row(r) for r in rows]

    def best_time(self, challenge: str) -> float | None:
        row = self._one("SELECT min(duration_s) FROM attempts WHERE challenge = ? AND status = 'pass'",
                        (challenge,))
        return row[0]

    def progress(self) -> dict[str, ChallengeProgress]:
        """Per challenge: attempts, passes, personal best, last activity, the open attempt."""
        out: dict[str, ChallengeProgress] = {}
        rows = self._all(
            "SELECT challenge, count(*) AS attempts, sum(status = 'pass') AS passes, "
            "min(CASE WHEN status = 'pass' THEN duration_s END) AS best, max(started_at) AS last "
            "FROM attempts GROUP BY challenge")
        opened = {a.challenge: a for a in (Attempt.from_row(r) for r in self._all(
            "SELECT * FROM attempts WHERE status = 'open' ORDER BY id"))}
        for r in rows:
            out[r["challenge"]] = ChallengeProgress(
                r["challenge"], r["attempts"], r["passes"] or 0, r["best"],
                datetime.fromisoformat(r["last"]) if r["last"] else None, opened.get(r["challenge"]))
        return out

    def runs(self, attempt_id: int) -> list[dict[str, Any]]:
        rows = self._all("SELECT * FROM runs WHERE attempt_id = ? ORDER BY id", (attempt_id,))
        return [dict(r) for r in rows]

    def failed_runs(self) -> dict[int, int]:
        """Attempt id -> number of runs that did not pass (for attempts that have any)."""
        rows = self._all("SELECT attempt_id, count(*) FROM runs WHERE verdict != 'pass' GROUP BY attempt_id")
        return {r[0]: r[1] for r in rows}

    def passed_challenges(self) -> set[str]:
        return {r[0] for r in self._all("SELECT DISTINCT challenge FROM attempts WHERE status = 'pass'")}

