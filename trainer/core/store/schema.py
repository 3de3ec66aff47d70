"""The database's schema: a versioned list of forward migrations (``PRAGMA user_version``).

Append only: a migration, once shipped, is never edited. A feature that needs tables adds
one migration at the end of ``MIGRATIONS``.
"""

from __future__ import annotations

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
    # 3: quiz answers (one row per graded quiz problem; its review is in reviews, card "quiz:<family>")
    """
    CREATE TABLE quiz_answers (
        id          INTEGER PRIMARY KEY,
        family      TEXT NOT NULL,
        level       INTEGER NOT NULL,
        seed        INTEGER NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('numeric', 'formula')),
        started_at  TEXT NOT NULL,
        ended_at    TEXT NOT NULL,
        duration_s  REAL NOT NULL,
        target_s    REAL NOT NULL,
        asked       INTEGER NOT NULL,
        right       INTEGER NOT NULL,
        wrong       INTEGER NOT NULL,
        retried     INTEGER NOT NULL DEFAULT 0,
        revealed    INTEGER NOT NULL DEFAULT 0,
        rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        detail      TEXT
    );
    CREATE INDEX quiz_answers_by_family ON quiz_answers (family, ended_at);
    """,
    # 4: hints read while no attempt is open count towards the next attempt at that challenge
    """
    CREATE TABLE pending_hints (
        challenge   TEXT PRIMARY KEY,
        hints       INTEGER NOT NULL,
        taken_at    TEXT NOT NULL
    );
    """,
    # 5: speedrun runs (one active at a time) and their splits, each with a snapshot of the code
    """
    CREATE TABLE speedrun_runs (
        id           INTEGER PRIMARY KEY,
        category     TEXT NOT NULL,
        number       INTEGER NOT NULL,
        file         TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        started_mono REAL,
        split_names  TEXT NOT NULL,
        status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished', 'reset')),
        ended_at     TEXT,
        final_ms     INTEGER,
        flags        TEXT NOT NULL DEFAULT '',
        UNIQUE (category, number)
    );
    CREATE UNIQUE INDEX speedrun_one_active ON speedrun_runs (status) WHERE status = 'active';
    CREATE TABLE speedrun_splits (
        run_id    INTEGER NOT NULL REFERENCES speedrun_runs (id),
        position  INTEGER NOT NULL,
        name      TEXT NOT NULL,
        ms        INTEGER NOT NULL,
        saved_at  TEXT NOT NULL,
        code      TEXT,
        PRIMARY KEY (run_id, position)
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

# The tables all the migrations together create: a database without one of them is damaged.
# Written out, not found by running the migrations at every start (tests/test_store.py proves
# that running them creates exactly these).
TABLES = frozenset({"attempts", "runs", "cards", "reviews", "sessions", "session_items", "quiz_answers",
                    "pending_hints", "speedrun_runs", "speedrun_splits"})
