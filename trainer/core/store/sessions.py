"""The daily session (``practice``), stored per local day, so that it stays the same all day
and can be left and resumed."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Iterable

from .. import clock
from .base import StoreError
from .records import Session, SessionItem, _dt, _iso


class SessionsMixin:
    """The daily queue, one per local day."""

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

