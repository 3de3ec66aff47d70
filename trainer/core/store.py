"""The progress store: every attempt at every challenge, in SQLite.

- One file (``locations.database_path()``), WAL journal, ``synchronous=FULL``: a
  committed write survives ``kill -9`` and power loss; two trainer instances at once
  take turns (``busy_timeout``) rather than corrupting anything.
- Every write is one transaction (``with self._tx():``).
- A versioned schema (``PRAGMA user_version``) with forward migrations in ``MIGRATIONS``.
- A file that is not a gradrill database, or fails SQLite's integrity check, is moved
  aside as ``progress.sqlite3.corrupt-<UTC time>`` and a new one started; ``notice``
  says so, for the CLI and the TUI to tell the learner.

An *attempt* runs from opening a drill (``start_attempt``) to its first pass or an
explicit give-up. Each grading inside it is a *run*. Hints are counted per attempt.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from .. import locations
from . import clock
from .results import Verdict

APP_ID = 0x67726472  # "grdr": marks the file as a gradrill database

MIGRATIONS: list[str] = [
    # 1: attempts and runs
    """
    CREATE TABLE attempts (
        id          INTEGER PRIMARY KEY,
        challenge   TEXT NOT NULL,
        mode        TEXT NOT NULL DEFAULT 'drill',
        started_at  TEXT NOT NULL,
        ended_at    TEXT,
        duration_s  REAL,
        status      TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'pass', 'gave_up', 'abandoned')),
        hints_used  INTEGER NOT NULL DEFAULT 0,
        gave_up     INTEGER NOT NULL DEFAULT 0,
        verdict     TEXT,
        results     TEXT,
        code        TEXT
    );
    CREATE INDEX attempts_by_challenge ON attempts (challenge, started_at);
    CREATE TABLE runs (
        id          INTEGER PRIMARY KEY,
        attempt_id  INTEGER NOT NULL REFERENCES attempts (id),
        at          TEXT NOT NULL,
        verdict     TEXT NOT NULL,
        passed      INTEGER NOT NULL,
        total       INTEGER NOT NULL,
        results     TEXT NOT NULL,
        code        TEXT
    );
    CREATE INDEX runs_by_attempt ON runs (attempt_id);
    """,
]


class StoreError(Exception):
    pass


@dataclass(frozen=True)
class Attempt:
    id: int
    challenge: str
    mode: str
    started_at: datetime
    ended_at: datetime | None
    duration_s: float | None
    status: str
    hints_used: int
    gave_up: bool
    verdict: str | None
    results: dict[str, Any] | None
    code: str | None

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Attempt":
        return cls(
            id=row["id"], challenge=row["challenge"], mode=row["mode"],
            started_at=datetime.fromisoformat(row["started_at"]),
            ended_at=datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else None,
            duration_s=row["duration_s"], status=row["status"], hints_used=row["hints_used"],
            gave_up=bool(row["gave_up"]), verdict=row["verdict"],
            results=json.loads(row["results"]) if row["results"] else None, code=row["code"],
        )


@dataclass(frozen=True)
class ChallengeProgress:
    challenge: str
    attempts: int
    passes: int
    best_s: float | None
    last_at: datetime | None
    open_attempt: Attempt | None

    @property
    def passed(self) -> bool:
        return self.passes > 0


class Store:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else locations.database_path()
        self.notice: str | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = self._open()

    # -- opening, corruption, migrations ------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            conn = self._connect()
            self._check(conn)
        except sqlite3.DatabaseError as exc:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass
            aside = self._set_aside()
            self.notice = (f"Your progress database {self.path} was unreadable ({exc}). It has been "
                           f"moved to {aside} and a new one started.")
            conn = self._connect()
            self._check(conn)
        return conn

    def _check(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id not in (0, APP_ID) or (app_id == 0 and tables):
            raise sqlite3.DatabaseError("not a gradrill database")
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer gradrill (schema {version}); "
                             f"this one knows schema {len(MIGRATIONS)}: upgrade gradrill")
        if tables:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {result}")
        self._migrate(conn, version)

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        for number in range(version + 1, len(MIGRATIONS) + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                if current >= number:  # another instance migrated meanwhile
                    conn.execute("ROLLBACK")
                    continue
                for statement in MIGRATIONS[number - 1].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APP_ID}")
                conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _set_aside(self) -> Path:
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                extra.rename(aside.with_name(aside.name + suffix))
        return aside

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    # -- attempts ---------------------------------------------------------------------

    def open_attempt(self, challenge: str) -> Attempt | None:
        row = self._conn.execute(
            "SELECT * FROM attempts WHERE challenge = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
            (challenge,)).fetchone()
        return Attempt.from_row(row) if row else None

    def start_attempt(self, challenge: str, mode: str = "drill", now: datetime | None = None,
                      restart: bool = False) -> Attempt:
        """The open attempt at ``challenge`` (resumed), or a new one (``restart`` abandons the old)."""
        now = now or clock.now()
        with self._tx() as conn:
            row = conn.execute("SELECT * FROM attempts WHERE challenge = ? AND status = 'open' "
                               "ORDER BY id DESC LIMIT 1", (challenge,)).fetchone()
            if row and not restart:
                return Attempt.from_row(row)
            if row:
                conn.execute("UPDATE attempts SET status = 'abandoned', ended_at = ? WHERE id = ?",
                             (now.isoformat(), row["id"]))
            cur = conn.execute("INSERT INTO attempts (challenge, mode, started_at) VALUES (?, ?, ?)",
                               (challenge, mode, now.isoformat()))
            row = conn.execute("SELECT * FROM attempts WHERE id = ?", (cur.lastrowid,)).fetchone()
        return Attempt.from_row(row)

    def record_run(self, challenge: str, verdict: Verdict, code: str | None = None,
                   now: datetime | None = None) -> Attempt:
        """Store one grading; a pass ends the open attempt, timed from its start.

        A grading with no open attempt (nobody started the drill) opens one that is
        untimed: its pass gets no duration, so it cannot fake a personal best.
        """
        now = now or clock.now()
        timed = self.open_attempt(challenge) is not None
        attempt = self.start_attempt(challenge, now=now)
        results = json.dumps(verdict.to_dict())
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO runs (attempt_id, at, verdict, passed, total, results, code) VALUES (?,?,?,?,?,?,?)",
                (attempt.id, now.isoformat(), verdict.status, verdict.count("pass"), len(verdict.tests),
                 results, code))
            if verdict.passed:
                duration = max(0.0, (now - attempt.started_at).total_seconds()) if timed else None
                conn.execute(
                    "UPDATE attempts SET status = 'pass', ended_at = ?, duration_s = ?, verdict = ?, "
                    "results = ?, code = ? WHERE id = ?",
                    (now.isoformat(), duration, verdict.status, results, code, attempt.id))
            else:
                conn.execute("UPDATE attempts SET verdict = ?, results = ?, code = ? WHERE id = ?",
                             (verdict.status, results, code, attempt.id))
            row = conn.execute("SELECT * FROM attempts WHERE id = ?", (attempt.id,)).fetchone()
        return Attempt.from_row(row)

    def use_hint(self, challenge: str, now: datetime | None = None) -> int:
        """Count one more hint on the open attempt; return how many it has used."""
        attempt = self.start_attempt(challenge, now=now)
        with self._tx() as conn:
            conn.execute("UPDATE attempts SET hints_used = hints_used + 1 WHERE id = ?", (attempt.id,))
            return conn.execute("SELECT hints_used FROM attempts WHERE id = ?", (attempt.id,)).fetchone()[0]

    def hints_used(self, challenge: str) -> int:
        attempt = self.open_attempt(challenge)
        return attempt.hints_used if attempt else 0

    def give_up(self, challenge: str, code: str | None = None, now: datetime | None = None) -> Attempt:
        now = now or clock.now()
        attempt = self.start_attempt(challenge, now=now)
        with self._tx() as conn:
            conn.execute("UPDATE attempts SET status = 'gave_up', gave_up = 1, ended_at = ?, duration_s = ?, "
                         "code = COALESCE(?, code) WHERE id = ?",
                         (now.isoformat(), (now - attempt.started_at).total_seconds(), code, attempt.id))
            row = conn.execute("SELECT * FROM attempts WHERE id = ?", (attempt.id,)).fetchone()
        return Attempt.from_row(row)

    def solution_unlocked(self, challenge: str) -> bool:
        """After any pass, or a give-up, the learner may see the solution."""
        row = self._conn.execute(
            "SELECT 1 FROM attempts WHERE challenge = ? AND status IN ('pass', 'gave_up') LIMIT 1",
            (challenge,)).fetchone()
        return row is not None

    def attempts(self, challenge: str | None = None) -> list[Attempt]:
        if challenge:
            rows = self._conn.execute("SELECT * FROM attempts WHERE challenge = ? ORDER BY id", (challenge,))
        else:
            rows = self._conn.execute("SELECT * FROM attempts ORDER BY id")
        return [Attempt.from_row(r) for r in rows]

    def best_time(self, challenge: str) -> float | None:
        row = self._conn.execute("SELECT min(duration_s) FROM attempts WHERE challenge = ? AND status = 'pass'",
                                 (challenge,)).fetchone()
        return row[0]

    def progress(self) -> dict[str, ChallengeProgress]:
        """Per challenge: attempts, passes, personal best, last activity, the open attempt."""
        out: dict[str, ChallengeProgress] = {}
        rows = self._conn.execute(
            "SELECT challenge, count(*) AS attempts, sum(status = 'pass') AS passes, "
            "min(CASE WHEN status = 'pass' THEN duration_s END) AS best, max(started_at) AS last "
            "FROM attempts GROUP BY challenge")
        opened = {a.challenge: a for a in (Attempt.from_row(r) for r in self._conn.execute(
            "SELECT * FROM attempts WHERE status = 'open' ORDER BY id"))}
        for r in rows:
            out[r["challenge"]] = ChallengeProgress(
                r["challenge"], r["attempts"], r["passes"] or 0, r["best"],
                datetime.fromisoformat(r["last"]) if r["last"] else None, opened.get(r["challenge"]))
        return out

    def runs(self, attempt_id: int) -> list[dict[str, Any]]:
        rows = self._conn.execute("SELECT * FROM runs WHERE attempt_id = ? ORDER BY id", (attempt_id,))
        return [dict(r) for r in rows]
