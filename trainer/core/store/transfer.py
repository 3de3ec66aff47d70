"""Export, import: all progress as one JSON document (format: docs/progress-format.md)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Mapping

from ... import __version__
from .. import clock
from .base import ImportFormatError
from .records import ImportReport, SessionItem, _dt, _iso
from .speedrun import validate_runs

EXPORT_FORMAT = "gradrill-progress"
EXPORT_VERSION = 1


class TransferMixin:
    """Export and import."""

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
                quiz_answers = self._export_quiz(self._conn)  # QuizMixin
                speedrun = self._speedrun_export(self._conn)
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
            "quiz_answers": quiz_answers,
            "speedrun": speedrun,
        }

    def import_data(self, data: Mapping[str, Any]) -> ImportReport:
        """Merge an export into this store, in one transaction (see docs/progress-format.md):
        attempts already here (same challenge and start time) are skipped, never doubled;
        cards are recomputed from the merged review log; a day's session already here stays."""
        from .. import scheduling

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
            report.quiz_answers += self._import_quiz(conn, data.get("quiz_answers", []))  # QuizMixin
            report.speedrun_runs, _ = self._speedrun_import(conn, data.get("speedrun", []))
        self.sync_reviews()  # ended attempts that came without reviews (e.g. from a schema 1 home)
        return report


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
    _check_types(data)
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
        validate_runs(data.get("speedrun", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFormatError(f"malformed export: {exc!r}") from exc


# The type of each field (docs/progress-format.md), so that a wrong one is a clear error before
# anything is written, never a crash halfway through the import's transaction.
_TIME, _INT, _NUM, _STR, _LIST, _OBJ = "a time", "an integer", "a number", "a string", "a list", "an object"
_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {  # field: (type, may be null or missing)
    "attempts": {"id": (_INT, True), "challenge": (_STR, False), "mode": (_STR, True), "started_at": (_TIME, False),
                 "ended_at": (_TIME, True), "duration_s": (_NUM, True), "status": (_STR, True),
                 "hints_used": (_INT, True), "verdict": (_STR, True), "results": (_OBJ, True), "code": (_STR, True),
                 "runs": (_LIST, True)},
    "runs": {"at": (_TIME, False), "verdict": (_STR, False), "passed": (_INT, True), "total": (_INT, True),
             "results": (_OBJ, True), "code": (_STR, True)},
    "cards": {"key": (_STR, False), "kind": (_STR, True), "created_at": (_TIME, True), "fsrs": (_OBJ, True)},
    "reviews": {"card": (_STR, False), "attempt": (_INT, True), "rating": (_INT, False),
                "reviewed_at": (_TIME, False), "duration_ms": (_NUM, True), "due_after": (_TIME, True)},
    "sessions": {"day": (_STR, False), "created_at": (_TIME, False), "budget_s": (_INT, False),
                 "new_cap": (_INT, False), "completed_at": (_TIME, True), "items": (_LIST, True)},
    "items": {"position": (_INT, False), "key": (_STR, False), "kind": (_STR, False), "estimate_s": (_INT, False),
              "due": (_TIME, True), "done_at": (_TIME, True), "attempt": (_INT, True), "result": (_STR, True)},
}


def _is(value: Any, kind: str) -> bool:
    if kind in (_INT, _NUM) and isinstance(value, bool):
        return False
    if kind == _INT:
        return isinstance(value, int)
    if kind == _NUM:
        return isinstance(value, (int, float))
    if kind == _LIST:
        return isinstance(value, list)
    if kind == _OBJ:
        return isinstance(value, Mapping)
    if not isinstance(value, str):
        return False
    if kind == _TIME:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return False
    return True


def _check_record(record: Any, kind: str, where: str) -> None:
    if not isinstance(record, Mapping):
        raise ImportFormatError(f"{where} must be an object, not {json.dumps(record)[:40]}")
    for name, (expected, optional) in _FIELDS[kind].items():
        value = record.get(name)
        if value is None:
            if not optional:
                raise ImportFormatError(f"{where} has no \"{name}\"")
            continue
        if not _is(value, expected):
            shown = json.dumps(value, default=str)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            raise ImportFormatError(f"{where}.{name} must be {expected}, not {shown}")


def _check_types(data: Mapping[str, Any]) -> None:
    for name in ("attempts", "cards", "reviews", "sessions"):
        for n, record in enumerate(data.get(name) or []):
            where = f"{name}[{n}]"
            _check_record(record, name, where)
            inner = {"attempts": "runs", "sessions": "items"}.get(name)
            for m, item in enumerate(record.get(inner) or [] if inner else []):
                _check_record(item, inner, f"{where}.{inner}[{m}]")
