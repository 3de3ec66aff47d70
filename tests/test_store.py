"""The progress store: its API, durability (kill -9), concurrency, and damaged or old files."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from gradrill.core.store import base as store_base
from gradrill.core.store import APP_ID, MIGRATIONS, SCHEMA_VERSION, Store, StoreError

from tests.helpers import T0, env_for, failing, passing


# -- the API the CLI and the TUI use ------------------------------------------------------------


def test_fresh_store_is_wal_full_sync_at_the_latest_schema(store):
    assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
    assert store._one("PRAGMA journal_mode")[0] == "wal"
    assert store._one("PRAGMA synchronous")[0] == 2  # FULL
    assert store._one("PRAGMA application_id")[0] == APP_ID
    assert store.notice is None and store.integrity() == "ok"


def test_the_tables_a_store_must_have_are_the_ones_the_migrations_create():
    """``schema.TABLES`` (what a start checks for, without running the migrations) is exactly what
    running every migration on an empty database creates."""
    from gradrill.core.store.schema import TABLES

    conn = sqlite3.connect(":memory:")
    try:
        for migration in MIGRATIONS:
            conn.executescript(migration)
        made = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    assert TABLES == made


def test_attempt_lifecycle_api_is_unchanged(store, fake_clock):
    a = store.start_attempt("slope")
    assert store.open_attempt("slope") == a and a.is_open
    assert store.start_attempt("slope") == a  # resumed, not restarted
    assert store.use_hint("slope") == 1 and store.use_hint("slope") == 2 and store.hints_used("slope") == 2
    fake_clock.advance(seconds=30)
    after_fail = store.record_run("slope", failing(), code="x = 1")
    assert after_fail.is_open and after_fail.verdict == "fail" and after_fail.code == "x = 1"
    assert not store.solution_unlocked("slope")
    fake_clock.advance(seconds=45)
    done = store.record_run("slope", passing(), code="ok")
    assert done.passed and done.duration_s == pytest.approx(75) and done.hints_used == 2
    assert store.hints_used("slope") == 0 and store.open_attempt("slope") is None
    assert store.solution_unlocked("slope") and store.best_time("slope") == pytest.approx(75)
    assert [r["verdict"] for r in store.runs(done.id)] == ["fail", "pass"]

    restarted = store.start_attempt("value-forward")
    fresh = store.start_attempt("value-forward", restart=True)
    assert fresh.id != restarted.id and store.attempts("value-forward")[0].status == "abandoned"
    gave = store.give_up("value-forward", code="stuck")
    assert gave.status == "gave_up" and gave.gave_up and gave.code == "stuck"
    assert store.solution_unlocked("value-forward")

    progress = store.progress()
    assert progress["slope"].passed and progress["slope"].best_s == pytest.approx(75)
    assert progress["value-forward"].attempts == 2 and not progress["value-forward"].passed
    assert [a.challenge for a in store.attempts()] == ["slope", "value-forward", "value-forward"]


# -- damaged, empty, old and new files ---------------------------------------------------------------


def db_path(home: Path) -> Path:
    path = home / "data" / "progress.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_a_corrupt_file_is_set_aside_with_a_notice(home, catalog, fake_clock):
    path = db_path(home)
    junk = bytes(random.Random(1).randrange(256) for _ in range(8192))
    path.write_bytes(junk)
    s = Store(path, catalog=catalog)
    assert s.notice and "moved to" in s.notice and "unreadable" in s.notice
    aside = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == junk and aside[0].name.endswith("20260302T080000Z")
    s.start_attempt("slope")
    assert s.schema_version == SCHEMA_VERSION and s.record_run("slope", passing()).passed
    s.close()
    again = Store(path, catalog=catalog)  # the new file is fine: no second notice
    assert again.notice is None and len(again.attempts()) == 1
    again.close()


def test_a_damaged_database_fails_its_integrity_check_and_is_set_aside(home, catalog, fake_clock):
    path = db_path(home)
    s = Store(path, catalog=catalog)
    for n in range(300):
        s.start_attempt("slope")
        s.record_run("slope", passing(), code="x" * 200 + str(n))
    s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    for offset in range(2 * page, len(data) - page, page):  # scribble over every b-tree page but the first two
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    damaged = Store(path, catalog=catalog)
    assert damaged.notice and "moved to" in damaged.notice
    assert damaged.attempts() == [] and damaged.integrity() == "ok"
    damaged.close()


def test_an_empty_file_is_initialised(home, catalog, fake_clock):
    path = db_path(home)
    path.write_bytes(b"")
    s = Store(path, catalog=catalog)
    assert s.notice is None and s.schema_version == SCHEMA_VERSION
    assert [p.name for p in path.parent.iterdir() if "corrupt" in p.name] == []
    s.close()


def test_another_programs_sqlite_file_is_set_aside(home, catalog, fake_clock):
    path = db_path(home)
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE notes (body TEXT)")
    other.commit()
    other.close()
    s = Store(path, catalog=catalog)
    assert s.notice and "not a gradrill database" in s.notice
    s.close()


def make_schema_1(path: Path) -> None:
    """A database as gradrill 0.1 (schema 1: attempts and runs) wrote it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APP_ID}")
    conn.execute("PRAGMA user_version = 1")
    rows = [
        ("slope", (T0).isoformat(), (T0 + timedelta(seconds=40)).isoformat(), 40.0, "pass", 0),
        ("value-forward", (T0 + timedelta(minutes=5)).isoformat(), (T0 + timedelta(minutes=9)).isoformat(),
         240.0, "gave_up", 1),
        ("partials", (T0 + timedelta(minutes=20)).isoformat(), None, None, "open", 0),
    ]
    for challenge, started, ended, duration, status, gave_up in rows:
        cur = conn.execute("INSERT INTO attempts (challenge, started_at, ended_at, duration_s, status, gave_up) "
                           "VALUES (?, ?, ?, ?, ?, ?)", (challenge, started, ended, duration, status, gave_up))
        conn.execute("INSERT INTO runs (attempt_id, at, verdict, passed, total, results) VALUES (?, ?, ?, 1, 3, '{}')",
                     (cur.lastrowid, ended or started, "pass" if status == "pass" else "fail"))
    conn.close()


def test_an_older_schema_is_migrated_and_its_attempts_reviewed(home, catalog, fake_clock):
    path = db_path(home)
    make_schema_1(path)
    s = Store(path, catalog=catalog)
    assert s.notice is None and s.schema_version == SCHEMA_VERSION
    assert [(a.challenge, a.status) for a in s.attempts()] == [
        ("slope", "pass"), ("value-forward", "gave_up"), ("partials", "open")]
    assert [r.rating_name for r in s.reviews()] == ["easy", "again"]  # 40 s of a 90 s target; a give-up
    assert {c.key for c in s.cards()} == {"slope", "value-forward"}
    assert s.open_attempt("partials") is not None
    s.close()
    again = Store(path, catalog=catalog)
    assert len(again.reviews()) == 2  # reviewed once only
    again.close()


def test_a_newer_schema_is_refused_and_left_alone(home, catalog, fake_clock):
    path = db_path(home)
    Store(path, catalog=catalog).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer gradrill"):
        Store(path, catalog=catalog)
    assert path.exists() and not [p for p in path.parent.iterdir() if "corrupt" in p.name]


def test_a_lock_is_never_mistaken_for_corruption():
    assert not store_base._is_corruption(sqlite3.OperationalError("database is locked"))
    assert not store_base._is_corruption(sqlite3.OperationalError("unable to open database file"))
    assert store_base._is_corruption(sqlite3.DatabaseError("file is not a database"))
    assert store_base._is_corruption(store_base._Corrupt("integrity check failed"))


def test_reset_keeps_the_old_database_aside(store, learner, home):
    learner.drill("slope")
    aside = store.reset()
    assert ".reset-" in aside.name and aside.exists()
    assert store.attempts() == [] and store.cards() == [] and store.schema_version == SCHEMA_VERSION
    old = Store(aside)
    assert [a.challenge for a in old.attempts()] == ["slope"] and len(old.reviews()) == 1
    old.close()


# -- durability: kill -9 while writing -------------------------------------------------------------------

WRITER = textwrap.dedent("""
    from pathlib import Path
    from tests.helpers import make_catalog, passing, failing
    from gradrill.core.store import Store

    catalog = make_catalog(Path({root!r}))
    store = Store(Path({db!r}), catalog=catalog)
    ids = [c.id for c in catalog]
    n = 0
    while True:
        cid = ids[n % len(ids)]
        store.start_attempt(cid, restart=True)
        store.use_hint(cid) if n % 3 == 0 else None
        store.record_run(cid, failing(), code="no " * 50) if n % 4 == 0 else None
        attempt = store.record_run(cid, passing(), code="yes " * 200)
        print(attempt.id, flush=True)   # committed: record_run has returned
        n += 1
""")


def spawn_writer(db: Path, tmp: Path, **popen) -> subprocess.Popen:
    code = WRITER.format(root=str(tmp / "challenges"), db=str(db))
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env_for(), **popen)


@pytest.mark.slow
def test_kill_9_loses_nothing_already_committed(home, tmp_path, catalog):
    db = db_path(home)
    committed: list[int] = []
    rng = random.Random(5)
    for round_ in range(3):
        proc = spawn_writer(db, tmp_path)
        want = len(committed) + rng.randrange(15, 40)
        try:
            while len(committed) < want:
                line = proc.stdout.readline()
                assert line, proc.stderr.read()
                committed.append(int(line))
            time.sleep(rng.random() * 0.02)  # land the kill anywhere inside the next write
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        # anything printed after our last read was committed too: read what is left
        committed += [int(x) for x in proc.stdout.read().split()]
    s = Store(db, catalog=catalog)
    assert s.notice is None and s.integrity() == "ok"
    by_id = {a.id: a for a in s.attempts()}
    reviewed = {r.attempt_id for r in s.reviews()}
    for attempt_id in committed:
        a = by_id[attempt_id]
        assert a.status == "pass" and a.code == "yes " * 200, a
        assert attempt_id in reviewed  # its review was in the same transaction
        assert any(r["verdict"] == "pass" for r in s.runs(attempt_id))
    s.close()


# -- two instances at once ------------------------------------------------------------------------------

CONCURRENT = textwrap.dedent("""
    from pathlib import Path
    from tests.helpers import make_catalog, passing
    from gradrill.core.store import Store

    catalog = make_catalog(Path({root!r}))
    store = Store(Path({db!r}), catalog=catalog)
    for n in range({n}):
        cid = {ids!r}[n % 3]
        store.start_attempt(cid, restart=True)
        store.use_hint(cid)
        print(store.record_run(cid, passing(), code="{tag}%d" % n).id, flush=True)
""")


@pytest.mark.slow
def test_two_processes_writing_at_once_corrupt_nothing(home, tmp_path, catalog):
    db = db_path(home)
    n = 25
    # each process drills its own challenges: both write at once, but neither restarts or passes
    # the other's attempt, so what each wrote does not depend on how their writes interleave
    own = {"A": ["slope", "value-forward", "add-backward"], "B": ["partials", "mul-backward", "topo-sort"]}
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT.format(
        root=str(tmp_path / "challenges"), db=str(db), n=n, tag=tag, ids=ids)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env_for()) for tag, ids in own.items()]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
    ids = [int(x) for out, _ in outputs for x in out.split()]
    assert len(ids) == len(set(ids)) == 2 * n
    s = Store(db, catalog=catalog)
    assert s.integrity() == "ok"
    codes = sorted(a.code for a in s.attempts() if a.passed)
    assert codes == sorted([f"A{i}" for i in range(n)] + [f"B{i}" for i in range(n)])
    assert all(a.hints_used == 1 for a in s.attempts() if a.passed)
    assert len({r.attempt_id for r in s.reviews()} & set(ids)) == 2 * n
    s.close()


def test_two_store_instances_in_threads(home, catalog, fake_clock):
    db = db_path(home)
    stores = [Store(db, catalog=catalog), Store(db, catalog=catalog)]
    errors: list[BaseException] = []

    def work(s: Store, tag: str) -> None:
        try:
            for i in range(20):
                cid = f"{tag}-{i % 2}"
                s.start_attempt(cid)
                s.use_hint(cid)
                s.record_run(cid, passing(), code=f"{tag}{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s, tag)) for s, tag in zip(stores, "ab")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for s in stores:
        assert len(s.attempts()) == 40 and s.integrity() == "ok"
        assert len(s.reviews()) == 40
        s.close()
