"""Attempts at challenges and their runs (gradings).

What counts (the rule the CLI and the TUI share; README, "What counts"):

- An *attempt* is a timed drill. It starts on an explicit ``start_attempt`` (``gradrill
  start``, or the trainer when the learner first changes the file), and ends at its first
  pass or an explicit give-up. Each grading inside it is a *run*.
- A grading with no attempt open (re-checking a file after its pass, checking a file
  nobody started) is shown to the learner and recorded nowhere: it is no run, no review,
  no personal best, no drill and no streak day (``record_run`` returns ``None``).
- A hint never opens an attempt. A hint read while none is open is *pending*: it counts
  towards the next attempt at that challenge (table ``pending_hints``).
- While an attempt is open, the solution is locked (seeing it is giving up).
- One copy of the learner's code per attempt (the latest graded one, at most
  ``CODE_CAP`` characters); runs keep the verdicts only.

Writes that must not be lost (a run) are retried while the database is busy (another
gradrill writing), and if it stays busy they are *spooled*: appended to a small file
beside the database (``<database>.pending``) that the next open replays, in one
transaction, idempotently (a run is keyed by its attempt and its time).
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import clock
from .records import Attempt, ChallengeProgress, _iso, _utc

if TYPE_CHECKING:  # the verdicts' classes: imported when a spooled run is replayed, not at every start
    from ..results import Verdict

CODE_CAP = 256 * 1024  # characters of the learner's code kept per attempt
RECORD_PATIENCE_S = 20.0  # how long a run's write waits for a busy database before it is spooled


def record_patience() -> float:
    """``RECORD_PATIENCE_S``, or ``GRADRILL_BUSY_PATIENCE`` (seconds) when set."""
    try:
        return max(0.0, float(os.environ.get("GRADRILL_BUSY_PATIENCE", RECORD_PATIENCE_S)))
    except ValueError:
        return RECORD_PATIENCE_S


def cap_code(code: str | None) -> str | None:
    """The code as stored: at most ``CODE_CAP`` characters, with a note saying how much was cut."""
    if code is None or len(code) <= CODE_CAP:
        return code
    return code[:CODE_CAP] + f"\n# [gradrill kept the first {CODE_CAP} characters of {len(code)}]\n"


def is_busy(exc: BaseException) -> bool:
    """A write that failed because another connection holds the database (not corruption, not a bug)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return "locked" in text or "busy" in text


@dataclass(frozen=True)
class Recorded:
    """What became of a grading: ``attempt`` is None for a check outside any attempt (nothing
    recorded); ``spooled`` says the database was busy and the run waits in the pending file."""

    attempt: Attempt | None
    spooled: bool = False

    @property
    def recorded(self) -> bool:
        return self.attempt is not None


class AttemptsMixin:
    """Attempts at challenges: start, runs, hints, give-up, personal bests."""

    # -- attempts ---------------------------------------------------------------------------

    @staticmethod
    def _open_row(conn: sqlite3.Connection, challenge: str) -> sqlite3.Row | None:
        return conn.execute("SELECT * FROM attempts WHERE challenge = ? AND status = 'open' "
                            "ORDER BY id DESC LIMIT 1", (challenge,)).fetchone()

    @staticmethod
    def _row(conn: sqlite3.Connection, attempt_id: int) -> sqlite3.Row:
        return conn.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()

    def _begin_attempt(self, conn: sqlite3.Connection, challenge: str, mode: str, now: datetime,
                       restart: bool) -> sqlite3.Row:
        """Inside a transaction: the open attempt (resumed) or a new one, which takes over the
        challenge's pending hints."""
        row = self._open_row(conn, challenge)
        if row and not restart:
            return row
        if row:
            conn.execute("UPDATE attempts SET status = 'abandoned', ended_at = ? WHERE id = ?",
                         (_iso(now), row["id"]))
            self._review_attempt(conn, Attempt.from_row(self._row(conn, row["id"])), None)
            self._carry_hints(conn, challenge, row["hints_used"], now)
        pending = self._pending_hints(conn, challenge)
        cur = conn.execute("INSERT INTO attempts (challenge, mode, started_at, hints_used) VALUES (?, ?, ?, ?)",
                           (challenge, mode, _iso(now), pending))
        conn.execute("DELETE FROM pending_hints WHERE challenge = ?", (challenge,))
        return self._row(conn, cur.lastrowid)

    def open_attempt(self, challenge: str) -> Attempt | None:
        row = self._one("SELECT * FROM attempts WHERE challenge = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
                        (challenge,))
        return Attempt.from_row(row) if row else None

    def start_attempt(self, challenge: str, mode: str = "drill", now: datetime | None = None,
                      restart: bool = False) -> Attempt:
        """Start the clock: the open attempt at ``challenge`` (resumed), or a new one (``restart``
        abandons the old; an abandoned attempt with failing runs counts as a fail for spaced
        repetition)."""
        now = now or clock.now()
        self.replay_pending()  # a spooled run of the attempt this one may replace goes first
        with self._tx() as conn:
            row = self._begin_attempt(conn, challenge, mode, now, restart)
        return Attempt.from_row(row)

    # -- runs -------------------------------------------------------------------------------

    def record_run(self, challenge: str, verdict: Verdict, code: str | None = None,
                   now: datetime | None = None, attempt_id: int | None = None) -> Attempt | None:
        """Store one grading in the open attempt (or in attempt ``attempt_id``, the one open when
        the grading began); a pass ends it, timed from its start, and reviews the challenge's
        card (same transaction). With no attempt open, nothing is recorded: returns None."""
        now = now or clock.now()
        target = self._target(challenge) if verdict.passed else None
        with self._tx() as conn:
            return self._apply_run(conn, challenge, verdict, cap_code(code), now, attempt_id, target)

    def _apply_run(self, conn: sqlite3.Connection, challenge: str, verdict: Verdict, code: str | None,
                   now: datetime, attempt_id: int | None, target: float | None) -> Attempt | None:
        """Inside a transaction: one run. Idempotent (a run is its attempt and its time); a run of an
        attempt that is no longer open is kept in its history and changes nothing else."""
        row = self._row(conn, attempt_id) if attempt_id is not None else self._open_row(conn, challenge)
        if row is None or row["challenge"] != challenge:
            return None
        attempt = Attempt.from_row(row)
        if not verdict.about_the_code:
            return attempt  # gradrill could not judge the code: nothing about the learner to record
        at = _iso(now)
        if conn.execute("SELECT 1 FROM runs WHERE attempt_id = ? AND at = ?", (attempt.id, at)).fetchone():
            return Attempt.from_row(self._row(conn, attempt.id))  # replayed twice: already there
        conn.execute("INSERT INTO runs (attempt_id, at, verdict, passed, total, results, code) "
                     "VALUES (?, ?, ?, ?, ?, ?, NULL)",
                     (attempt.id, at, verdict.status, verdict.count("pass"), len(verdict.tests),
                      json.dumps(verdict.to_dict())))
        if not attempt.is_open:
            return Attempt.from_row(self._row(conn, attempt.id))
        results = json.dumps(verdict.to_dict())
        if verdict.passed:
            duration = max(0.0, (_utc(now) - _utc(attempt.started_at)).total_seconds())
            conn.execute("UPDATE attempts SET status = 'pass', ended_at = ?, duration_s = ?, verdict = ?, "
                         "results = ?, code = COALESCE(?, code) WHERE id = ?",
                         (at, duration, verdict.status, results, code, attempt.id))
            self._review_attempt(conn, Attempt.from_row(self._row(conn, attempt.id)), target)
        else:
            conn.execute("UPDATE attempts SET verdict = ?, results = ?, code = COALESCE(?, code) WHERE id = ?",
                         (verdict.status, results, code, attempt.id))
        return Attempt.from_row(self._row(conn, attempt.id))

    def record_run_or_spool(self, challenge: str, verdict: Verdict, code: str | None = None,
                            now: datetime | None = None, attempt_id: int | None = None,
                            patience: float | None = None) -> Recorded:
        """``record_run``, retried while the database is busy for up to ``patience`` seconds; if it
        stays busy, the run goes to the pending file (never dropped) and ``spooled`` says so."""
        now = now or clock.now()
        if not verdict.about_the_code:
            return Recorded(None)  # nothing to record (``record_run`` would skip it too)
        if attempt_id is None:
            opened = self.open_attempt(challenge)  # a read: it works while another writer holds the lock
            if opened is None:
                return Recorded(None)
            attempt_id = opened.id
        patience = record_patience() if patience is None else patience
        deadline = time.monotonic() + patience
        try:
            self.replay_pending(patience)  # older records first
            attempt = self._patiently(lambda: self.record_run(challenge, verdict, code, now, attempt_id),
                                      deadline - time.monotonic())
            return Recorded(attempt)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
        self._spool({"op": "run", "challenge": challenge, "attempt_id": attempt_id, "at": _iso(now),
                     "verdict": verdict.to_dict(), "code": cap_code(code)})
        row = self._one("SELECT * FROM attempts WHERE id = ?", (attempt_id,))
        return Recorded(Attempt.from_row(row) if row else None, spooled=True)

    def _patiently(self, write, patience: float):
        """Run ``write`` (one transaction), trying again while the database is busy, for about
        ``patience`` seconds in all (each try waits in SQLite's own busy handler)."""
        deadline = time.monotonic() + max(0.0, patience)
        with self._lock:
            try:
                while True:
                    left = deadline - time.monotonic()
                    self._conn.execute(f"PRAGMA busy_timeout = {int(max(0.0, min(left, 10.0)) * 1000)}")
                    try:
                        return write()
                    except sqlite3.OperationalError as exc:
                        if not is_busy(exc) or time.monotonic() >= deadline:
                            raise
                        time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
            finally:
                self._conn.execute("PRAGMA busy_timeout = 10000")

    # -- the pending file (runs written while the database was busy) ----------------------

    @property
    def pending_path(self) -> Path:
        return self.path.with_name(self.path.name + ".pending")

    def _spool(self, entry: dict[str, Any]) -> None:
        """Append one record to the pending file, durably (fsync), under a lock shared with replay."""
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        while True:
            fd = os.open(self.pending_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if os.fstat(fd).st_nlink == 0:  # replayed and removed while we waited: a new file
                    continue
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
                return
            finally:
                os.close(fd)

    def pending_count(self) -> int:
        """Records waiting in the pending file."""
        try:
            with open(self.pending_path, encoding="utf-8") as f:
                return sum(1 for line in f if line.strip())
        except FileNotFoundError:
            return 0

    def replay_pending(self, patience: float = 0.0) -> int:
        """Apply the pending file's records in one transaction, then remove it; idempotent. Returns
        how many were applied (0 when there is none, or the database is still busy after
        ``patience`` seconds)."""
        try:
            fd = os.open(self.pending_path, os.O_RDWR)
        except FileNotFoundError:
            return 0
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_nlink == 0:
                return 0
            with os.fdopen(os.dup(fd), encoding="utf-8") as f:
                lines = [line for line in f.read().splitlines() if line.strip()]
            entries = []
            for line in lines:
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError:
                    continue  # a line cut short by a crash mid-write: the rest still count
            targets = {e["challenge"]: self._target(e["challenge"]) for e in entries if e.get("op") == "run"}

            from ..results import Verdict

            def apply() -> None:
                with self._tx() as conn:
                    for e in entries:
                        if e.get("op") == "run":
                            verdict = Verdict.from_dict(e["verdict"])
                            self._apply_run(conn, e["challenge"], verdict, e.get("code"),
                                            datetime.fromisoformat(e["at"]), e.get("attempt_id"),
                                            targets[e["challenge"]] if verdict.passed else None)
            try:
                self._patiently(apply, patience)
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    return 0
                raise
            os.unlink(self.pending_path)
            return len(entries)
        finally:
            os.close(fd)

    # -- hints ------------------------------------------------------------------------------

    @staticmethod
    def _pending_hints(conn: sqlite3.Connection, challenge: str) -> int:
        row = conn.execute("SELECT hints FROM pending_hints WHERE challenge = ?", (challenge,)).fetchone()
        return row[0] if row else 0

    def use_hint(self, challenge: str, now: datetime | None = None, shown: int = 0) -> int:
        """Count one more hint: on the open attempt, or (none open: a hint never opens one) as
        pending, for the next attempt at ``challenge``. ``shown``: how many hints the learner
        has seen with this one, if more (hints read after a drill ended, in the same screen).
        Returns how many count now."""
        now = now or clock.now()
        with self._tx() as conn:
            row = self._open_row(conn, challenge)
            if row is not None:
                conn.execute("UPDATE attempts SET hints_used = max(hints_used + 1, ?) WHERE id = ?",
                             (shown, row["id"]))
                return conn.execute("SELECT hints_used FROM attempts WHERE id = ?", (row["id"],)).fetchone()[0]
            conn.execute("INSERT INTO pending_hints (challenge, hints, taken_at) VALUES (?, max(1, ?), ?) "
                         "ON CONFLICT (challenge) DO UPDATE SET hints = max(hints + 1, ?), "
                         "taken_at = excluded.taken_at",
                         (challenge, shown, _iso(now), shown))
            return self._pending_hints(conn, challenge)

    def hints_used(self, challenge: str) -> int:
        """The hints that count for the open attempt, or (none open) for the next one."""
        attempt = self.open_attempt(challenge)
        if attempt is not None:
            return attempt.hints_used
        row = self._one("SELECT hints FROM pending_hints WHERE challenge = ?", (challenge,))
        return row[0] if row else 0

    def abandon(self, challenge: str, now: datetime | None = None) -> Attempt | None:
        """Leave the open attempt unfinished (a reset): it counts as a fail for spaced repetition
        if it had failing runs; its hints stay pending for the next attempt. Returns it (None if
        none was open)."""
        now = now or clock.now()
        with self._tx() as conn:
            row = self._open_row(conn, challenge)
            if row is None:
                return None
            conn.execute("UPDATE attempts SET status = 'abandoned', ended_at = ? WHERE id = ?",
                         (_iso(now), row["id"]))
            row = self._row(conn, row["id"])
            self._review_attempt(conn, Attempt.from_row(row), None)
            self._carry_hints(conn, challenge, row["hints_used"], now)
        return Attempt.from_row(row)

    def _carry_hints(self, conn: sqlite3.Connection, challenge: str, hints: int, now: datetime) -> None:
        if hints:
            conn.execute("INSERT INTO pending_hints (challenge, hints, taken_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (challenge) DO UPDATE SET hints = max(hints, excluded.hints)",
                         (challenge, hints, _iso(now)))

    # -- give-up, solution ------------------------------------------------------------------

    def give_up(self, challenge: str, code: str | None = None, now: datetime | None = None) -> Attempt:
        """End the open attempt as given up: a fail, rated Again. With none open (the learner
        asks for the solution before starting), a zero-length attempt is opened and given up."""
        now = now or clock.now()
        with self._tx() as conn:
            row = self._begin_attempt(conn, challenge, "drill", now, restart=False)
            started = datetime.fromisoformat(row["started_at"])
            conn.execute("UPDATE attempts SET status = 'gave_up', gave_up = 1, ended_at = ?, duration_s = ?, "
                         "code = COALESCE(?, code) WHERE id = ?",
                         (_iso(now), max(0.0, (_utc(now) - _utc(started)).total_seconds()), cap_code(code),
                          row["id"]))
            row = self._row(conn, row["id"])
            self._review_attempt(conn, Attempt.from_row(row), None)
        return Attempt.from_row(row)

    def solution_unlocked(self, challenge: str) -> bool:
        """After a pass or a give-up, while no attempt is open (during a drill, seeing the
        solution is giving up)."""
        if self.open_attempt(challenge) is not None:
            return False
        row = self._one("SELECT 1 FROM attempts WHERE challenge = ? AND status IN ('pass', 'gave_up') LIMIT 1",
                        (challenge,))
        return row is not None

    # -- reading ----------------------------------------------------------------------------

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

    def review_of(self, attempt_id: int):
        """The review an attempt earned (a ``Review``), or None."""
        from .records import Review

        row = self._one("SELECT r.*, c.key FROM reviews r JOIN cards c ON c.id = r.card_id WHERE r.attempt_id = ?",
                        (attempt_id,))
        return Review.from_row(row) if row else None
