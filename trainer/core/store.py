"""The progress store: every attempt at every challenge, in SQLite.

- One file (``locations.database_path()``), WAL journal, ``synchronous=FULL``: a
  committed write survives ``kill -9`` and power loss; two trainer instances at once
  take turns (``BEGIN IMMEDIATE`` and ``busy_timeout``) rather than corrupting anything.
- Every write is one transaction (``with self._tx():``): an attempt's end, its review
  and the day's session are written together or not at all.
- A versioned schema (``PRAGMA user_version``) with forward migrations in ``MIGRATIONS``
  (append only: a migration, once shipped, is never edited).
- A file that is not a gradrill database, or fails SQLite's integrity check, is moved
  aside as ``progress.sqlite3.corrupt-<UTC time>`` and a new one started; ``notice``
  says so, for the CLI and the TUI to tell the learner. An empty file is simply
  initialised; a file from an older gradrill is migrated (and its past attempts reviewed,
  see ``sync_reviews``). A file from a *newer* gradrill is left alone (``StoreError``).

An *attempt* runs from opening a drill (``start_attempt``) to its first pass or an
explicit give-up. Each grading inside it is a *run*. Hints are counted per attempt.

Spaced repetition (schema 2): an FSRS *card* per challenge (and later per quiz card),
reviewed when an attempt ends (a pass, a give-up, or a restart after failing runs), in the
same transaction; every review is logged (table ``reviews``). The rules live in
``scheduling``. The *daily session* (``practice``) is stored per local day, so that it
stays the same all day and can be left and resumed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from .. import __version__, locations
from . import clock, scheduling
from .results import Verdict

APP_ID = 0x67726472  # "grdr": marks the file as a gradrill database
EXPORT_FORMAT = "gradrill-progress"
EXPORT_VERSION = 1

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
    # 2: spaced repetition (FSRS cards and their review log) and daily sessions
    """
    CREATE TABLE cards (
        id          INTEGER PRIMARY KEY,
        key         TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL DEFAULT 'challenge',
        created_at  TEXT NOT NULL,
        state       INTEGER NOT NULL,
        due         TEXT NOT NULL,
        last_review TEXT,
        card        TEXT NOT NULL
    );
    CREATE INDEX cards_by_due ON cards (due);
    CREATE TABLE reviews (
        id          INTEGER PRIMARY KEY,
        card_id     INTEGER NOT NULL REFERENCES cards (id),
        attempt_id  INTEGER UNIQUE REFERENCES attempts (id),
        rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at TEXT NOT NULL,
        duration_ms INTEGER,
        due_after   TEXT NOT NULL
    );
    CREATE INDEX reviews_by_card ON reviews (card_id, reviewed_at);
    CREATE TABLE sessions (
        day          TEXT PRIMARY KEY,
        created_at   TEXT NOT NULL,
        budget_s     INTEGER NOT NULL,
        new_cap      INTEGER NOT NULL,
        completed_at TEXT
    );
    CREATE TABLE session_items (
        day         TEXT NOT NULL REFERENCES sessions (day) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        key         TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('review', 'new')),
        estimate_s  INTEGER NOT NULL,
        due         TEXT,
        done_at     TEXT,
        attempt_id  INTEGER REFERENCES attempts (id),
        result      TEXT,
        PRIMARY KEY (day, position),
        UNIQUE (day, key)
    );
    CREATE INDEX attempts_by_end ON attempts (ended_at);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    pass


class ImportFormatError(StoreError):
    """An import file that is not a gradrill export, or from a newer gradrill."""


class _Corrupt(sqlite3.DatabaseError):
    pass


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    """Corruption, as opposed to a lock, a permission or a full disk (never set aside for those)."""
    if isinstance(exc, _Corrupt):
        return True
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    text = str(exc).lower()
    return not isinstance(exc, sqlite3.OperationalError) and (
        "not a database" in text or "malformed" in text)


def _utc(moment: datetime) -> datetime:
    return scheduling.utc(moment)


def _iso(moment: datetime | None) -> str | None:
    return _utc(moment).isoformat() if moment else None


def _dt(text: str | None) -> datetime | None:
    return _utc(datetime.fromisoformat(text)) if text else None


def local_day(moment: datetime) -> date:
    """The learner's calendar day for a moment (see ``clock.local_today``)."""
    return clock.local_today(_utc(moment))


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

    @property
    def ended(self) -> bool:
        """Ended by a pass or a give-up (a restart is not an end)."""
        return self.status in ("pass", "gave_up")

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


@dataclass(frozen=True)
class CardInfo:
    """One FSRS card: ``card`` is the ``fsrs.Card`` itself."""

    id: int
    key: str
    kind: str
    created_at: datetime
    card: scheduling.Card

    @property
    def due(self) -> datetime:
        return self.card.due

    @property
    def state(self) -> str:
        return scheduling.STATE_NAMES.get(self.card.state, str(self.card.state))

    @property
    def interval_days(self) -> float | None:
        return scheduling.interval_days(self.card)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "CardInfo":
        return cls(row["id"], row["key"], row["kind"], _dt(row["created_at"]),
                   scheduling.Card.from_json(row["card"]))


@dataclass(frozen=True)
class Review:
    id: int
    card_id: int
    key: str
    attempt_id: int | None
    rating: int
    reviewed_at: datetime
    duration_ms: int | None
    due_after: datetime

    @property
    def rating_name(self) -> str:
        return scheduling.RATING_NAMES[scheduling.Rating(self.rating)]

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Review":
        return cls(row["id"], row["card_id"], row["key"], row["attempt_id"], row["rating"],
                   _dt(row["reviewed_at"]), row["duration_ms"], _dt(row["due_after"]))


@dataclass(frozen=True)
class SessionItem:
    position: int
    key: str
    kind: str  # 'review' or 'new'
    estimate_s: int
    due: datetime | None = None
    done_at: datetime | None = None
    attempt_id: int | None = None
    result: str | None = None  # 'pass' or 'gave_up' once done

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "SessionItem":
        return cls(row["position"], row["key"], row["kind"], row["estimate_s"], _dt(row["due"]),
                   _dt(row["done_at"]), row["attempt_id"], row["result"])


@dataclass(frozen=True)
class Session:
    """One day's practice queue, as built the first time that day was opened."""

    day: date
    created_at: datetime
    budget_s: int
    new_cap: int
    completed_at: datetime | None
    items: tuple[SessionItem, ...] = field(default=())

    @property
    def done_count(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def complete(self) -> bool:
        """Every item done (an empty queue is never 'complete': it is a rest day)."""
        return bool(self.items) and all(i.done for i in self.items)

    @property
    def estimate_s(self) -> int:
        return sum(i.estimate_s for i in self.items)

    @property
    def remaining_s(self) -> int:
        return sum(i.estimate_s for i in self.items if not i.done)

    @property
    def next_item(self) -> SessionItem | None:
        return next((i for i in self.items if not i.done), None)


@dataclass
class ImportReport:
    attempts: int = 0
    runs: int = 0
    reviews: int = 0
    sessions: int = 0
    cards: int = 0
    duplicates: int = 0
    reopened_as_abandoned: int = 0
    skipped_sessions: int = 0

    @property
    def nothing_new(self) -> bool:
        return not (self.attempts or self.reviews or self.sessions)

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class Store:
    """The progress database. ``catalog`` (optional) gives the target times for ratings;
    without one, the shipped catalog is loaded the first time a rating needs it."""

    def __init__(self, path: Path | None = None, catalog=None):
        self.path = Path(path) if path else locations.database_path()
        self.notice: str | None = None
        self._catalog = catalog
        self._targets: Callable[[str], float | None] | None = None
        self._lock = threading.RLock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = self._open()
        try:
            self.sync_reviews()
        except sqlite3.OperationalError:  # busy for longer than the timeout: next time
            pass

    # -- opening, corruption, migrations ------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    def _inode(self) -> int | None:
        try:
            return os.stat(self.path).st_ino
        except FileNotFoundError:
            return None

    def _open(self) -> sqlite3.Connection:
        for _ in range(3):
            inode = self._inode()
            conn = None
            try:
                conn = self._connect()
                self._check(conn)
                return conn
            except sqlite3.DatabaseError as exc:
                if conn is not None:
                    try:
                        conn.close()
                    except Exception:  # noqa: BLE001
                        pass
                if not _is_corruption(exc):
                    raise StoreError(f"cannot open your progress database {self.path}: {exc}") from exc
                if self._inode() != inode:  # another instance set it aside meanwhile: look again
                    continue
                aside = self._set_aside("corrupt")
                self.notice = (f"Your progress database {self.path} was unreadable ({exc}). It has been "
                               f"moved to {aside} and a new one started.")
        raise StoreError(f"cannot open your progress database {self.path}")

    def _check(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")  # one consistent snapshot of the header and the schema
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.execute("COMMIT")
        if app_id not in (0, APP_ID) or (app_id == 0 and tables):
            raise _Corrupt("not a gradrill database")
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer gradrill (schema {version}); "
                             f"this one knows schema {len(MIGRATIONS)}: upgrade gradrill")
        if tables:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise _Corrupt(f"integrity check failed: {result}")
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

    def _set_aside(self, why: str) -> Path:
        stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.{why}-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.{why}-{stamp}-{n}")
        if self.path.exists():
            self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                extra.rename(aside.with_name(aside.name + suffix))
        return aside

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def _one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchone()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._one("PRAGMA user_version")[0]

    def integrity(self) -> str:
        """SQLite's full ``integrity_check``: 'ok' when the file is sound."""
        return self._one("PRAGMA integrity_check")[0]

    # -- target times (for ratings) -------------------------------------------------------

    def attach_catalog(self, catalog) -> None:
        """Use ``catalog`` for target times (instead of loading the shipped one)."""
        self._catalog = catalog
        self._targets = None

    def _target(self, challenge: str) -> float | None:
        if self._targets is None:
            catalog = self._catalog
            if catalog is None:
                try:
                    from .catalog import load_catalog

                    catalog = self._catalog = load_catalog(strict=False)
                except Exception:  # noqa: BLE001 - no catalog: ratings ignore time
                    catalog = None
            targets = {c.id: float(c.target_seconds) for c in catalog} if catalog is not None else {}
            self._targets = targets.get
        return self._targets(challenge)

    # -- attempts ---------------------------------------------------------------------

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

    # -- spaced repetition ----------------------------------------------------------------

    def _card_row(self, conn: sqlite3.Connection, key: str, kind: str, created: datetime) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM cards WHERE key = ?", (key,)).fetchone()
        if row is None:
            cur = conn.execute("INSERT INTO cards (key, kind, created_at, state, due, card) VALUES (?, ?, ?, 0, ?, '')",
                               (key, kind, _iso(created), _iso(created)))
            card = scheduling.new_card(cur.lastrowid, created)
            self._save_card(conn, cur.lastrowid, card)
            row = conn.execute("SELECT * FROM cards WHERE id = ?", (cur.lastrowid,)).fetchone()
        return row

    @staticmethod
    def _save_card(conn: sqlite3.Connection, card_id: int, card: scheduling.Card) -> None:
        conn.execute("UPDATE cards SET state = ?, due = ?, last_review = ?, card = ? WHERE id = ?",
                     (int(card.state), _iso(card.due), _iso(card.last_review), card.to_json(), card_id))

    def _review(self, conn: sqlite3.Connection, key: str, kind: str, rating: int, when: datetime,
                duration_s: float | None, attempt_id: int | None) -> scheduling.Card:
        """Inside a transaction: review card ``key`` and log it (replaying if out of order)."""
        row = self._card_row(conn, key, kind, when)
        card = scheduling.Card.from_json(row["card"])
        if card.last_review is not None and _utc(card.last_review) > _utc(when):
            conn.execute("INSERT INTO reviews (card_id, attempt_id, rating, reviewed_at, duration_ms, due_after) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         (row["id"], attempt_id, int(rating), _iso(when),
                          None if duration_s is None else int(round(duration_s * 1000)), _iso(when)))
            return self._replay(conn, row["id"])
        card, log = scheduling.review(card, rating, when, duration_s)
        conn.execute("INSERT INTO reviews (card_id, attempt_id, rating, reviewed_at, duration_ms, due_after) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (row["id"], attempt_id, int(rating), _iso(when), log.review_duration, _iso(card.due)))
        self._save_card(conn, row["id"], card)
        return card

    def _replay(self, conn: sqlite3.Connection, card_id: int) -> scheduling.Card:
        """Recompute a card from its whole review log, in time order."""
        row = conn.execute("SELECT * FROM cards WHERE id = ?", (card_id,)).fetchone()
        reviews = conn.execute("SELECT * FROM reviews WHERE card_id = ?", (card_id,)).fetchall()
        reviews = sorted(reviews, key=lambda r: (_dt(r["reviewed_at"]), r["id"]))
        card = scheduling.new_card(card_id, _dt(row["created_at"]))
        for r in reviews:
            card, _ = scheduling.review(card, r["rating"], _dt(r["reviewed_at"]),
                                        None if r["duration_ms"] is None else r["duration_ms"] / 1000)
            conn.execute("UPDATE reviews SET due_after = ? WHERE id = ?", (_iso(card.due), r["id"]))
        self._save_card(conn, card_id, card)
        return card

    def _review_attempt(self, conn: sqlite3.Connection, attempt: Attempt, target: float | None) -> None:
        """Inside a transaction: the review an attempt's end earns (idempotent), and the day's
        session item it completes."""
        if conn.execute("SELECT 1 FROM reviews WHERE attempt_id = ?", (attempt.id,)).fetchone():
            return
        failed = conn.execute("SELECT count(*) FROM runs WHERE attempt_id = ? AND verdict != 'pass'",
                              (attempt.id,)).fetchone()[0]
        rating = scheduling.rate_attempt(attempt, target, failed)
        if rating is None or attempt.ended_at is None:
            return
        self._review(conn, attempt.challenge, "challenge", rating, attempt.ended_at,
                     attempt.duration_s, attempt.id)
        if attempt.ended:
            self._mark_done(conn, attempt)

    def _mark_done(self, conn: sqlite3.Connection, attempt: Attempt) -> None:
        day = local_day(attempt.ended_at).isoformat()
        conn.execute("UPDATE session_items SET done_at = ?, attempt_id = ?, result = ? "
                     "WHERE day = ? AND key = ? AND done_at IS NULL",
                     (_iso(attempt.ended_at), attempt.id, attempt.status, day, attempt.challenge))
        left = conn.execute("SELECT count(*) FROM session_items WHERE day = ? AND done_at IS NULL",
                            (day,)).fetchone()[0]
        if not left:
            conn.execute("UPDATE sessions SET completed_at = COALESCE(completed_at, ?) WHERE day = ? "
                         "AND EXISTS (SELECT 1 FROM session_items WHERE day = ?)",
                         (_iso(attempt.ended_at), day, day))

    def review_card(self, key: str, rating: int, now: datetime | None = None, kind: str = "quiz",
                    duration_s: float | None = None) -> CardInfo:
        """Review a card that is not a challenge (e.g. a quiz card ``"quiz:<id>"``) with an explicit
        rating (1 Again, 2 Hard, 3 Good, 4 Easy)."""
        if kind == "challenge" or ":" not in key:
            raise ValueError("quiz-like cards are keyed '<kind>:<id>'; challenge cards are reviewed by attempts")
        now = now or clock.now()
        with self._tx() as conn:
            self._review(conn, key, kind, scheduling.Rating(rating), now, duration_s, None)
            row = conn.execute("SELECT * FROM cards WHERE key = ?", (key,)).fetchone()
        return CardInfo.from_row(row)

    def _unreviewed(self) -> list[sqlite3.Row]:
        return self._all(
            "SELECT a.* FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.attempt_id = a.id) "
            "AND a.ended_at IS NOT NULL AND (a.status IN ('pass', 'gave_up') OR (a.status = 'abandoned' "
            "AND EXISTS (SELECT 1 FROM runs WHERE runs.attempt_id = a.id AND runs.verdict != 'pass')))")

    def sync_reviews(self) -> int:
        """Review every ended attempt that has no review yet (attempts from an older schema, or an
        import); idempotent. Returns how many were reviewed."""
        pending = self._unreviewed()
        if not pending:
            return 0
        attempts = sorted((Attempt.from_row(r) for r in pending), key=lambda a: (_utc(a.ended_at), a.id))
        targets = {a.challenge: self._target(a.challenge) for a in attempts}
        with self._tx() as conn:
            for a in attempts:
                self._review_attempt(conn, a, targets[a.challenge])
        return len(attempts)

    def card(self, key: str) -> CardInfo | None:
        row = self._one("SELECT * FROM cards WHERE key = ?", (key,))
        return CardInfo.from_row(row) if row else None

    def cards(self, kind: str | None = None) -> list[CardInfo]:
        if kind:
            rows = self._all("SELECT * FROM cards WHERE kind = ? ORDER BY due, id", (kind,))
        else:
            rows = self._all("SELECT * FROM cards ORDER BY due, id")
        return [CardInfo.from_row(r) for r in rows]

    def reviews(self, key: str | None = None) -> list[Review]:
        sql = "SELECT r.*, c.key FROM reviews r JOIN cards c ON c.id = r.card_id"
        rows = self._all(sql + " WHERE c.key = ? ORDER BY r.reviewed_at, r.id", (key,)) if key else \
            self._all(sql + " ORDER BY r.reviewed_at, r.id")
        return [Review.from_row(r) for r in rows]

    def review_logs(self) -> list[scheduling.ReviewLog]:
        """Every review as an ``fsrs.ReviewLog``, for ``scheduling.optimize_parameters``."""
        return [scheduling.ReviewLog(r.card_id, scheduling.Rating(r.rating), r.reviewed_at, r.duration_ms)
                for r in self.reviews()]

    # -- daily sessions ---------------------------------------------------------------------

    def _session(self, conn: sqlite3.Connection, day: date) -> Session | None:
        row = conn.execute("SELECT * FROM sessions WHERE day = ?", (day.isoformat(),)).fetchone()
        if row is None:
            return None
        items = conn.execute("SELECT * FROM session_items WHERE day = ? ORDER BY position",
                             (day.isoformat(),)).fetchall()
        return Session(date.fromisoformat(row["day"]), _dt(row["created_at"]), row["budget_s"], row["new_cap"],
                       _dt(row["completed_at"]), tuple(SessionItem.from_row(i) for i in items))

    def session(self, day: date) -> Session | None:
        with self._lock:
            return self._session(self._conn, day)

    def sessions(self) -> list[Session]:
        days = [date.fromisoformat(r[0]) for r in self._all("SELECT day FROM sessions ORDER BY day")]
        with self._lock:
            return [s for s in (self._session(self._conn, d) for d in days) if s]

    def create_session(self, day: date, budget_s: int, new_cap: int, items: Iterable[SessionItem],
                       now: datetime | None = None) -> Session:
        """Store the queue for ``day``; if another instance stored one first, that one stands."""
        now = now or clock.now()
        with self._tx() as conn:
            existing = self._session(conn, day)
            if existing is not None:
                return existing
            conn.execute("INSERT INTO sessions (day, created_at, budget_s, new_cap) VALUES (?, ?, ?, ?)",
                         (day.isoformat(), _iso(now), int(budget_s), int(new_cap)))
            self._insert_items(conn, day, items, start=0)
            return self._session(conn, day)

    def extend_session(self, day: date, budget_s: int, items: Iterable[SessionItem]) -> Session:
        """Append items to ``day``'s queue (keys already in it are ignored) and raise its budget."""
        with self._tx() as conn:
            existing = self._session(conn, day)
            if existing is None:
                raise StoreError(f"no session for {day}")
            keys = {i.key for i in existing.items}
            fresh = [i for i in items if i.key not in keys]
            conn.execute("UPDATE sessions SET budget_s = max(budget_s, ?) WHERE day = ?", (int(budget_s), day.isoformat()))
            self._insert_items(conn, day, fresh, start=len(existing.items))
            if fresh:
                conn.execute("UPDATE sessions SET completed_at = NULL WHERE day = ?", (day.isoformat(),))
            return self._session(conn, day)

    @staticmethod
    def _insert_items(conn: sqlite3.Connection, day: date, items: Iterable[SessionItem], start: int) -> None:
        for n, item in enumerate(items, start):
            conn.execute("INSERT INTO session_items (day, position, key, kind, estimate_s, due, done_at, "
                         "attempt_id, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (day.isoformat(), n, item.key, item.kind, int(item.estimate_s), _iso(item.due),
                          _iso(item.done_at), item.attempt_id, item.result))

    # -- export, import, reset ----------------------------------------------------------------

    def export_data(self, now: datetime | None = None) -> dict[str, Any]:
        """All progress as one JSON-ready dict (format: docs/progress-format.md)."""
        with self._lock:
            self._conn.execute("BEGIN")  # one snapshot, even while another instance writes
            try:
                attempts = self._conn.execute("SELECT * FROM attempts ORDER BY id").fetchall()
                runs = self._conn.execute("SELECT * FROM runs ORDER BY id").fetchall()
                cards = self._conn.execute("SELECT * FROM cards ORDER BY id").fetchall()
                reviews = self._conn.execute("SELECT r.*, c.key FROM reviews r JOIN cards c ON c.id = r.card_id "
                                             "ORDER BY r.id").fetchall()
                days = [date.fromisoformat(r[0]) for r in self._conn.execute("SELECT day FROM sessions ORDER BY day")]
                sessions = [self._session(self._conn, d) for d in days]
            finally:
                self._conn.execute("COMMIT")
        runs_by: dict[int, list[dict[str, Any]]] = {}
        for r in runs:
            runs_by.setdefault(r["attempt_id"], []).append({
                "at": r["at"], "verdict": r["verdict"], "passed": r["passed"], "total": r["total"],
                "results": json.loads(r["results"]) if r["results"] else None, "code": r["code"]})
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": _iso(now or clock.now()),
            "gradrill": __version__,
            "schema": self.schema_version,
            "attempts": [{
                "id": a["id"], "challenge": a["challenge"], "mode": a["mode"], "started_at": a["started_at"],
                "ended_at": a["ended_at"], "duration_s": a["duration_s"], "status": a["status"],
                "hints_used": a["hints_used"], "verdict": a["verdict"],
                "results": json.loads(a["results"]) if a["results"] else None, "code": a["code"],
                "runs": runs_by.get(a["id"], []),
            } for a in attempts],
            "cards": [{"key": c["key"], "kind": c["kind"], "created_at": c["created_at"],
                       "fsrs": json.loads(c["card"])} for c in cards],
            "reviews": [{"card": r["key"], "attempt": r["attempt_id"], "rating": r["rating"],
                         "reviewed_at": r["reviewed_at"], "duration_ms": r["duration_ms"],
                         "due_after": r["due_after"]} for r in reviews],
            "sessions": [{
                "day": s.day.isoformat(), "created_at": _iso(s.created_at), "budget_s": s.budget_s,
                "new_cap": s.new_cap, "completed_at": _iso(s.completed_at),
                "items": [{"position": i.position, "key": i.key, "kind": i.kind, "estimate_s": i.estimate_s,
                           "due": _iso(i.due), "done_at": _iso(i.done_at), "attempt": i.attempt_id,
                           "result": i.result} for i in s.items],
            } for s in sessions],
        }

    def import_data(self, data: Mapping[str, Any]) -> ImportReport:
        """Merge an export into this store, in one transaction (see docs/progress-format.md):
        attempts already here (same challenge and start time) are skipped, never doubled;
        cards are recomputed from the merged review log; a day's session already here stays."""
        _validate_export(data)
        report = ImportReport()
        touched: set[int] = set()
        with self._tx() as conn:
            id_map: dict[int, int] = {}
            for a in data.get("attempts", []):
                started = _iso(_dt(a["started_at"]))
                same = conn.execute("SELECT id FROM attempts WHERE challenge = ? AND started_at = ?",
                                    (a["challenge"], started)).fetchone()
                if same:
                    report.duplicates += 1
                    if a.get("id") is not None:
                        id_map[a["id"]] = same["id"]
                    continue
                status = a.get("status", "open")
                if status == "open" and self._open_row(conn, a["challenge"]) is not None:
                    status = "abandoned"
                    report.reopened_as_abandoned += 1
                cur = conn.execute(
                    "INSERT INTO attempts (challenge, mode, started_at, ended_at, duration_s, status, hints_used, "
                    "gave_up, verdict, results, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (a["challenge"], a.get("mode", "drill"), started, _iso(_dt(a.get("ended_at"))),
                     a.get("duration_s"), status, int(a.get("hints_used", 0)), int(status == "gave_up"),
                     a.get("verdict"), json.dumps(a["results"]) if a.get("results") is not None else None,
                     a.get("code")))
                report.attempts += 1
                if a.get("id") is not None:
                    id_map[a["id"]] = cur.lastrowid
                for r in a.get("runs", []):
                    conn.execute("INSERT INTO runs (attempt_id, at, verdict, passed, total, results, code) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 (cur.lastrowid, _iso(_dt(r["at"])), r["verdict"], int(r.get("passed", 0)),
                                  int(r.get("total", 0)), json.dumps(r.get("results") or {}), r.get("code")))
                    report.runs += 1
            kinds = {c["key"]: c for c in data.get("cards", [])}
            for r in data.get("reviews", []):
                key = r["card"]
                meta = kinds.get(key, {})
                when = _dt(r["reviewed_at"])
                created = _dt(meta.get("created_at")) or when
                card = conn.execute("SELECT * FROM cards WHERE key = ?", (key,)).fetchone()
                if card is None:
                    cur = conn.execute("INSERT INTO cards (key, kind, created_at, state, due, card) "
                                       "VALUES (?, ?, ?, 0, ?, '')",
                                       (key, meta.get("kind", "challenge" if ":" not in key else key.split(":")[0]),
                                        _iso(created), _iso(created)))
                    self._save_card(conn, cur.lastrowid, scheduling.new_card(cur.lastrowid, created))
                    card = conn.execute("SELECT * FROM cards WHERE id = ?", (cur.lastrowid,)).fetchone()
                    report.cards += 1
                elif created < _dt(card["created_at"]):
                    conn.execute("UPDATE cards SET created_at = ? WHERE id = ?", (_iso(created), card["id"]))
                attempt_id = id_map.get(r["attempt"]) if r.get("attempt") is not None else None
                if attempt_id is not None and conn.execute("SELECT 1 FROM reviews WHERE attempt_id = ?",
                                                           (attempt_id,)).fetchone():
                    continue
                if conn.execute("SELECT 1 FROM reviews WHERE card_id = ? AND reviewed_at = ? AND rating = ?",
                                (card["id"], _iso(when), int(r["rating"]))).fetchone():
                    continue
                conn.execute("INSERT INTO reviews (card_id, attempt_id, rating, reviewed_at, duration_ms, due_after) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             (card["id"], attempt_id, int(r["rating"]), _iso(when), r.get("duration_ms"), _iso(when)))
                touched.add(card["id"])
                report.reviews += 1
            for card_id in touched:
                self._replay(conn, card_id)
            for s in data.get("sessions", []):
                day = date.fromisoformat(s["day"])
                if conn.execute("SELECT 1 FROM sessions WHERE day = ?", (day.isoformat(),)).fetchone():
                    report.skipped_sessions += 1
                    continue
                conn.execute("INSERT INTO sessions (day, created_at, budget_s, new_cap, completed_at) "
                             "VALUES (?, ?, ?, ?, ?)",
                             (day.isoformat(), _iso(_dt(s["created_at"])), int(s["budget_s"]), int(s["new_cap"]),
                              _iso(_dt(s.get("completed_at")))))
                items = [SessionItem(int(i["position"]), i["key"], i["kind"], int(i["estimate_s"]), _dt(i.get("due")),
                                     _dt(i.get("done_at")), id_map.get(i.get("attempt")), i.get("result"))
                         for i in sorted(s.get("items", []), key=lambda i: i["position"])]
                self._insert_items(conn, day, items, start=0)
                report.sessions += 1
        self.sync_reviews()  # ended attempts that came without reviews (e.g. from a schema 1 home)
        return report

    def reset(self) -> Path:
        """Start afresh: the current database is moved aside (``.reset-<UTC time>``) and kept."""
        with self._lock:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                self._conn.close()
            aside = self._set_aside("reset")
            self.notice = None
            self._conn = self._open()
        return aside


def _validate_export(data: Any) -> None:
    if not isinstance(data, Mapping) or data.get("format") != EXPORT_FORMAT:
        raise ImportFormatError(f"not a gradrill progress export (expected \"format\": \"{EXPORT_FORMAT}\")")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ImportFormatError(f"bad \"version\": {version!r}")
    if version > EXPORT_VERSION:
        raise ImportFormatError(f"this export is format version {version}, newer than this gradrill reads "
                                f"({EXPORT_VERSION}): upgrade gradrill")
    for name in ("attempts", "cards", "reviews", "sessions"):
        if not isinstance(data.get(name, []), list):
            raise ImportFormatError(f"\"{name}\" must be a list")
    try:
        for a in data.get("attempts", []):
            if not isinstance(a["challenge"], str) or not a["challenge"]:
                raise ValueError("attempt without a challenge")
            datetime.fromisoformat(a["started_at"])
            if a.get("status", "open") not in ("open", "pass", "gave_up", "abandoned"):
                raise ValueError(f"bad attempt status {a.get('status')!r}")
            for r in a.get("runs", []):
                datetime.fromisoformat(r["at"])
                str(r["verdict"])
        for r in data.get("reviews", []):
            if int(r["rating"]) not in (1, 2, 3, 4):
                raise ValueError(f"bad rating {r['rating']!r}")
            datetime.fromisoformat(r["reviewed_at"])
            str(r["card"])
        for s in data.get("sessions", []):
            date.fromisoformat(s["day"])
            datetime.fromisoformat(s["created_at"])
            int(s["budget_s"]), int(s["new_cap"])
            for i in s.get("items", []):
                if i["kind"] not in ("review", "new"):
                    raise ValueError(f"bad session item kind {i['kind']!r}")
                int(i["position"]), int(i["estimate_s"]), str(i["key"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFormatError(f"malformed export: {exc!r}") from exc
