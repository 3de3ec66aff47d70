"""The store's foundation: the connection, one transaction per write, corruption and migrations.

- One file (``locations.database_path()``), WAL journal, ``synchronous=FULL``: a
  committed write survives ``kill -9`` and power loss; two trainer instances at once
  take turns (``BEGIN IMMEDIATE`` and ``busy_timeout``) rather than corrupting anything.
- Every write is one transaction (``with self._tx():``).
- A file that is not a gradrill database, or fails SQLite's integrity check, is moved
  aside as ``progress.sqlite3.corrupt-<UTC time>`` and a new one started; ``notice``
  says so, for the CLI and the TUI to tell the learner. An empty file is simply
  initialised; a file from an older gradrill is migrated. A file from a *newer* gradrill
  is left alone (``StoreError``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ... import locations
from .. import clock
from .schema import APP_ID, MIGRATIONS, TABLES

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


class StoreBase:
    """The connection and its rules; ``Store`` adds each area's records and queries (mixins)."""

    def __init__(self, path: Path | None = None, catalog=None):
        self.path = Path(path) if path else locations.database_path()
        self.notice: str | None = None
        self._catalog = catalog
        self._targets: Callable[[str], float | None] | None = None
        self._lock = threading.RLock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = self._open()

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

    @staticmethod
    def _wal(conn: sqlite3.Connection, patience: float = 10.0) -> None:
        """Switch to write-ahead logging (once per database: it persists). Two processes opening a
        new database at once race for it, and SQLite answers that race with "locked" at once,
        without waiting in its busy handler: so wait here."""
        deadline = time.monotonic() + patience
        while True:
            try:
                if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    def _check(self, conn: sqlite3.Connection) -> None:
        self._wal(conn)
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
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = sorted(TABLES - have)
        if missing:  # a table dropped by hand or by a tool: damaged, like a failed integrity check
            raise _Corrupt(f"missing table(s): {', '.join(missing)}")

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

    def __enter__(self) -> "StoreBase":
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
                    from ..catalog import load_catalog

                    catalog = self._catalog = load_catalog(strict=False)
                except Exception:  # noqa: BLE001 - no catalog: ratings ignore time
                    catalog = None
            targets = {c.id: float(c.target_seconds) for c in catalog} if catalog is not None else {}
            self._targets = targets.get
        return self._targets(challenge)

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


