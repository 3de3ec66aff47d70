"""Spaced repetition: an FSRS *card* per challenge (and per quiz card), reviewed when a timed
attempt ends (a pass, a give-up, or a restart after failing runs), in the same transaction;
every review is logged (table ``reviews``). The rules live in ``scheduling``; a check outside
a timed attempt is never a review (see ``attempts``)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from .. import clock
from .records import Attempt, CardInfo, Review, _dt, _iso, _utc, local_day

if TYPE_CHECKING:
    from .. import scheduling


class CardsMixin:
    """FSRS cards and their review log."""

    def _card_row(self, conn: sqlite3.Connection, key: str, kind: str, created: datetime) -> sqlite3.Row:
        from .. import scheduling

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
        from .. import scheduling

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
        from .. import scheduling

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
        from .. import scheduling

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
        from .. import scheduling

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
            "AND a.ended_at IS NOT NULL AND ((a.status = 'pass' AND a.duration_s IS NOT NULL) "
            "OR a.status = 'gave_up' OR (a.status = 'abandoned' "
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
        from .. import scheduling

        return [scheduling.ReviewLog(r.card_id, scheduling.Rating(r.rating), r.reviewed_at, r.duration_ms)
                for r in self.reviews()]

