"""Speedrun runs and their splits, stored as they happen.

A run is started (``speedrun_start``: one active run at a time), its splits fire one save
at a time (``speedrun_fire``: each with its time on the run's clock, the wall time of the
save and a snapshot of the code), and it ends when its last split fires (``finished``) or
when the runner resets it (``reset``: an attempt that got as far as its splits). Each is
one transaction, so a ``kill -9`` loses nothing already recorded.

Verdicts may come back out of order: a split keeps the *earliest* save that passed it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable

from .. import clock
from .base import StoreError
from .records import _dt, _iso

if TYPE_CHECKING:
    from .speedrun_records import SpeedrunRun


class RunActive(StoreError):
    """A run is already under way."""


class SpeedrunMixin:
    """Runs, splits, resets."""

    def _speedrun_row(self, conn: sqlite3.Connection, run_id: int, with_code: bool = False) -> SpeedrunRun | None:
        row = conn.execute("SELECT * FROM speedrun_runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        code = "code" if with_code else "NULL AS code"
        splits = conn.execute(f"SELECT position, name, ms, saved_at, {code} FROM speedrun_splits WHERE run_id = ? "
                              "ORDER BY position", (run_id,)).fetchall()
        return _run_from(row, splits)

    def speedrun_active(self) -> SpeedrunRun | None:
        with self._lock:
            row = self._conn.execute("SELECT id FROM speedrun_runs WHERE status = 'active'").fetchone()
            return self._speedrun_row(self._conn, row["id"]) if row else None

    def speedrun_run(self, run_id: int, with_code: bool = False) -> SpeedrunRun | None:
        with self._lock:
            return self._speedrun_row(self._conn, run_id, with_code)

    def speedrun_runs(self, category: str | None = None, with_code: bool = False) -> list[SpeedrunRun]:
        """Every run (of ``category``), oldest first."""
        with self._lock:
            if category:
                ids = self._conn.execute("SELECT id FROM speedrun_runs WHERE category = ? ORDER BY id",
                                         (category,)).fetchall()
            else:
                ids = self._conn.execute("SELECT id FROM speedrun_runs ORDER BY id").fetchall()
            return [self._speedrun_row(self._conn, r["id"], with_code) for r in ids]

    def speedrun_next_number(self, category: str) -> int:
        row = self._one("SELECT max(number) FROM speedrun_runs WHERE category = ?", (category,))
        return (row[0] or 0) + 1

    def speedrun_start(self, category: str, split_names: Iterable[str], file: str, started_at: datetime,
                       started_mono: float | None = None, number: int | None = None) -> SpeedrunRun:
        """A new active run; ``RunActive`` if one is under way already."""
        with self._tx() as conn:
            active = conn.execute("SELECT category, number FROM speedrun_runs WHERE status = 'active'").fetchone()
            if active:
                raise RunActive(f"run #{active['number']} of {active['category']} is under way: finish it or reset "
                                "it first (gradrill speedrun reset)")
            if number is None:
                number = (conn.execute("SELECT max(number) FROM speedrun_runs WHERE category = ?",
                                       (category,)).fetchone()[0] or 0) + 1
            cur = conn.execute(
                "INSERT INTO speedrun_runs (category, number, file, started_at, started_mono, split_names) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (category, number, file, _iso(started_at), started_mono, json.dumps(list(split_names))))
            return self._speedrun_row(conn, cur.lastrowid)

    def speedrun_fire(self, run_id: int, positions: Iterable[int], ms: int, saved_at: datetime,
                      code: str | None) -> tuple[SpeedrunRun, list[int]]:
        """Record that one save (at ``ms`` on the run's clock) passed the splits ``positions``.

        A split not yet fired fires at ``ms``; one that fired at a later save moves back to
        this earlier one (verdicts can arrive out of order). The run finishes when every
        split has fired. Returns the run and the positions whose time changed.
        """
        changed: list[int] = []
        with self._tx() as conn:
            run = self._speedrun_row(conn, run_id)
            if run is None:
                raise StoreError(f"no speedrun #{run_id}")
            if run.status == "reset":
                return run, []
            fired = {s.position: s.ms for s in run.splits}
            for position in sorted(set(positions)):
                if not 0 <= position < len(run.split_names):
                    continue
                if position not in fired:
                    conn.execute("INSERT INTO speedrun_splits (run_id, position, name, ms, saved_at, code) "
                                 "VALUES (?, ?, ?, ?, ?, ?)",
                                 (run_id, position, run.split_names[position], int(ms), _iso(saved_at), code))
                elif ms < fired[position]:
                    conn.execute("UPDATE speedrun_splits SET ms = ?, saved_at = ?, code = ? "
                                 "WHERE run_id = ? AND position = ?",
                                 (int(ms), _iso(saved_at), code, run_id, position))
                else:
                    continue
                changed.append(position)
            if changed:
                count, last = conn.execute("SELECT count(*), max(ms) FROM speedrun_splits WHERE run_id = ?",
                                           (run_id,)).fetchone()
                if count == len(run.split_names):
                    conn.execute("UPDATE speedrun_runs SET status = 'finished', final_ms = ?, "
                                 "ended_at = COALESCE(ended_at, ?) WHERE id = ?",
                                 (last, _iso(clock.now()), run_id))
            return self._speedrun_row(conn, run_id), changed

    def speedrun_reset(self, run_id: int, now: datetime | None = None) -> SpeedrunRun:
        """End an active run as an attempt that got as far as its splits."""
        with self._tx() as conn:
            conn.execute("UPDATE speedrun_runs SET status = 'reset', ended_at = ? WHERE id = ? AND status = 'active'",
                         (_iso(now or clock.now()), run_id))
            return self._speedrun_row(conn, run_id)

    def speedrun_flag(self, run_id: int, flag: str) -> SpeedrunRun:
        with self._tx() as conn:
            row = conn.execute("SELECT flags FROM speedrun_runs WHERE id = ?", (run_id,)).fetchone()
            flags = set(filter(None, (row["flags"] if row else "").split(",")))
            flags.add(flag)
            conn.execute("UPDATE speedrun_runs SET flags = ? WHERE id = ?", (",".join(sorted(flags)), run_id))
            return self._speedrun_row(conn, run_id)

    # -- export / import -------------------------------------------------------------------

    def _speedrun_export(self, conn: sqlite3.Connection) -> list[dict[str, Any]]:
        ids = conn.execute("SELECT id FROM speedrun_runs ORDER BY id").fetchall()
        out = []
        for r in ids:
            run = self._speedrun_row(conn, r["id"], with_code=True)
            out.append({
                "category": run.category, "number": run.number, "file": run.file,
                "started_at": _iso(run.started_at), "status": run.status, "ended_at": _iso(run.ended_at),
                "final_ms": run.final_ms, "flags": sorted(run.flags), "split_names": list(run.split_names),
                "splits": [{"position": s.position, "name": s.name, "ms": s.ms, "saved_at": _iso(s.saved_at),
                            "code": s.code} for s in run.splits],
            })
        return out

    def _speedrun_import(self, conn: sqlite3.Connection, runs: list[dict[str, Any]]) -> tuple[int, int]:
        """Merge exported runs (same category and start: already here). An imported run that
        was active becomes a reset one if a run is under way here. Returns (added, duplicates)."""
        added = duplicates = 0
        for r in runs:
            started = _iso(_dt(r["started_at"]))
            if conn.execute("SELECT 1 FROM speedrun_runs WHERE category = ? AND started_at = ?",
                            (r["category"], started)).fetchone():
                duplicates += 1
                continue
            status = r.get("status", "reset")
            if status == "active" and conn.execute("SELECT 1 FROM speedrun_runs WHERE status = 'active'").fetchone():
                status = "reset"
            number = (conn.execute("SELECT max(number) FROM speedrun_runs WHERE category = ?",
                                   (r["category"],)).fetchone()[0] or 0) + 1
            if not conn.execute("SELECT 1 FROM speedrun_runs WHERE category = ? AND number = ?",
                                (r["category"], int(r.get("number", number)))).fetchone():
                number = int(r.get("number", number))
            cur = conn.execute(
                "INSERT INTO speedrun_runs (category, number, file, started_at, split_names, status, ended_at, "
                "final_ms, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (r["category"], number, r.get("file", ""), started, json.dumps(list(r["split_names"])), status,
                 _iso(_dt(r.get("ended_at"))), r.get("final_ms"), ",".join(r.get("flags", []))))
            for s in r.get("splits", []):
                conn.execute("INSERT INTO speedrun_splits (run_id, position, name, ms, saved_at, code) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             (cur.lastrowid, int(s["position"]), s["name"], int(s["ms"]), _iso(_dt(s["saved_at"])),
                              s.get("code")))
            added += 1
        return added, duplicates


def validate_runs(runs: Any) -> None:
    """Raise ValueError naming what is wrong in an export's ``speedrun`` list."""
    if not isinstance(runs, list):
        raise ValueError("\"speedrun\" must be a list")
    for r in runs:
        if not isinstance(r.get("category"), str) or not r["category"]:
            raise ValueError("speedrun run without a category")
        datetime.fromisoformat(r["started_at"])
        if r.get("status", "reset") not in ("active", "finished", "reset"):
            raise ValueError(f"bad speedrun status {r.get('status')!r}")
        if not isinstance(r.get("split_names"), list):
            raise ValueError("speedrun run without split_names")
        for s in r.get("splits", []):
            int(s["position"]), int(s["ms"]), str(s["name"])
            datetime.fromisoformat(s["saved_at"])


def _run_from(row: sqlite3.Row, splits: list[sqlite3.Row]) -> SpeedrunRun:
    from .speedrun_records import FiredSplit, SpeedrunRun

    return SpeedrunRun(
        id=row["id"], category=row["category"], number=row["number"], file=row["file"],
        started_at=_dt(row["started_at"]), started_mono=row["started_mono"],
        split_names=tuple(json.loads(row["split_names"])), status=row["status"], ended_at=_dt(row["ended_at"]),
        final_ms=row["final_ms"], flags=frozenset(filter(None, (row["flags"] or "").split(","))),
        splits=tuple(FiredSplit(s["position"], s["name"], s["ms"], _dt(s["saved_at"]), s["code"]) for s in splits),
    )
