"""What counts (README, "What counts"), through the command line, as a learner runs it.

Each rule: an attempt starts on ``start`` (or the first change, in the trainer); a check
outside a timed attempt records nothing (no drill, no review, no personal best, no streak
day); re-checking an unchanged, passed file records nothing new; ``hint`` never opens an
attempt; give-up then paste is one review, rated Again; a pass says its rating and the next
review. And the store's side: a verdict is shown even when the database is busy, and its
record is spooled and replayed, never dropped; one capped copy of the code per attempt.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gradrill.core.catalog import load_catalog
from gradrill.core.results import CheckResult, Verdict
from gradrill.core.store import Store
from gradrill.core.store import attempts as attempts_mod
from tests.helpers import gradrill_here

CHALLENGE = "add-backward"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def gradrill(*args: str, at: datetime = T0, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, COLUMNS="160", NO_COLOR="1", GRADRILL_NOW=at.isoformat(), **(env or {}))
    return gradrill_here(*args, env=full)


def stats(at: datetime = T0) -> dict:
    result = gradrill("stats", CHALLENGE, "--json", at=at)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def overall(at: datetime = T0) -> dict:
    result = gradrill("stats", "--json", at=at)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def solution() -> str:
    return load_catalog(strict=False).get(CHALLENGE).solution


@pytest.fixture
def workspace(scratch_home) -> Path:
    return scratch_home / "workspace"


def test_checks_without_start_record_nothing(workspace, solution, tmp_path):
    mine = tmp_path / "add-backward.py"
    mine.write_text(solution)
    for n in range(3):
        result = gradrill("check", CHALLENGE, str(mine), at=T0 + timedelta(minutes=n))
        assert result.returncode == 0 and "Not recorded" in result.stdout, result.stdout
    s = stats()
    assert s["attempts"] == 0 and s["card"] is None and s["reviews"] == [] and s["best_seconds"] is None
    totals = overall()
    assert totals["totals"]["drills"] == 0 and totals["streak"]["today_complete"] is False


def test_rechecking_a_passed_file_records_nothing_new(workspace, solution):
    assert gradrill("start", CHALLENGE).returncode == 0
    (workspace / "add-backward.py").write_text(solution)
    first = gradrill("check", CHALLENGE, at=T0 + timedelta(seconds=80))
    assert first.returncode == 0
    # the pass says its time, its rating and when the card comes back
    assert "Passed in 1:20" in first.stdout and "rated Good" in first.stdout and "next review" in first.stdout
    before = stats(T0 + timedelta(seconds=81))
    assert before["attempts"] == 1 and len(before["reviews"]) == 1 and before["best_seconds"] == 80
    for when in (T0 + timedelta(minutes=5), T0 + timedelta(minutes=6), T0 + timedelta(days=4)):
        again = gradrill("check", CHALLENGE, at=when)
        assert again.returncode == 0 and "Not recorded" in again.stdout
    after = stats(T0 + timedelta(days=4))
    assert after["attempts"] == 1 and after["reviews"] == before["reviews"]
    assert after["card"]["due"] == before["card"]["due"] and after["best_seconds"] == 80
    assert overall(T0 + timedelta(days=4))["totals"]["drills"] == 1


def test_a_hint_after_a_pass_opens_no_attempt(workspace, solution):
    assert gradrill("start", CHALLENGE).returncode == 0
    (workspace / "add-backward.py").write_text(solution)
    assert gradrill("check", CHALLENGE, at=T0 + timedelta(seconds=80)).returncode == 0
    hint = gradrill("hint", CHALLENGE, at=T0 + timedelta(minutes=2))
    assert hint.returncode == 0 and "Hint 1 of" in hint.stdout and "counts towards your next" in hint.stdout
    recheck = gradrill("check", CHALLENGE, at=T0 + timedelta(minutes=3))
    assert "new personal best" not in recheck.stdout and "Not recorded" in recheck.stdout
    s = stats(T0 + timedelta(minutes=3))
    assert s["attempts"] == 1 and s["best_seconds"] == 80 and len(s["reviews"]) == 1
    # the hint counts towards the next drill
    assert gradrill("start", CHALLENGE, at=T0 + timedelta(days=1)).returncode == 0
    (workspace / "add-backward.py").write_text(solution)
    nxt = gradrill("check", CHALLENGE, at=T0 + timedelta(days=1, seconds=30))
    assert "rated Hard" in nxt.stdout, nxt.stdout
    assert stats(T0 + timedelta(days=1, minutes=1))["attempts_list"][-1]["hints"] == 1


def test_give_up_then_paste_is_one_review_rated_again(workspace, solution):
    assert gradrill("start", CHALLENGE).returncode == 0
    shown = gradrill("solution", CHALLENGE, "--give-up", "--yes", at=T0 + timedelta(minutes=3))
    assert shown.returncode == 0 and "rated Again" in shown.stdout
    (workspace / "add-backward.py").write_text(solution)  # paste the solution
    pasted = gradrill("check", CHALLENGE, at=T0 + timedelta(minutes=4))
    assert pasted.returncode == 0 and "Not recorded" in pasted.stdout
    s = stats(T0 + timedelta(minutes=5))
    assert [r["rating"] for r in s["reviews"]] == ["again"] and s["best_seconds"] is None


def test_the_solution_is_locked_while_a_drill_runs(workspace, solution):
    assert gradrill("start", CHALLENGE).returncode == 0
    (workspace / "add-backward.py").write_text(solution)
    assert gradrill("check", CHALLENGE, at=T0 + timedelta(seconds=80)).returncode == 0
    assert gradrill("solution", CHALLENGE).returncode == 0  # after the pass
    assert gradrill("start", CHALLENGE, at=T0 + timedelta(days=2)).returncode == 0  # a new drill
    locked = gradrill("solution", CHALLENGE, at=T0 + timedelta(days=2, seconds=5))
    assert locked.returncode == 2 and "is running" in locked.stderr


# -- a busy database, and the size of what is kept ------------------------------------------------


def test_a_busy_database_shows_the_verdict_and_spools_the_record(workspace, solution, scratch_home):
    assert gradrill("start", CHALLENGE).returncode == 0
    (workspace / "add-backward.py").write_text(solution)
    db = next(scratch_home.rglob("progress.sqlite3"))
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        busy = gradrill("check", CHALLENGE, at=T0 + timedelta(seconds=70), env={"GRADRILL_BUSY_PATIENCE": "0.3"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert busy.returncode == 0, busy.stderr
    assert "Traceback" not in busy.stderr and "all 1" not in busy.stderr
    assert "passed" in busy.stdout.lower()  # the verdict, shown
    assert "busy" in busy.stderr and ".pending" in busy.stderr  # and the learner told
    pending = db.with_name(db.name + ".pending")
    assert pending.is_file() and len(pending.read_text().splitlines()) == 1
    s = stats(T0 + timedelta(minutes=2))  # the next open replays it
    assert not pending.exists()
    assert s["attempts"] == 1 and s["passes"] == 1 and s["best_seconds"] == 70 and len(s["reviews"]) == 1
    assert stats(T0 + timedelta(minutes=3))["reviews"] == s["reviews"]  # once


def passing() -> Verdict:
    return Verdict("pass", [CheckResult("test_a", "pass")])


def failing() -> Verdict:
    return Verdict("fail", [CheckResult("test_a", "fail", message="no")])


def test_the_replay_is_one_transaction_and_idempotent(scratch_home):
    store = Store(scratch_home / "db" / "progress.sqlite3")
    attempt = store.start_attempt(CHALLENGE, now=T0)
    entries = [
        {"op": "run", "challenge": CHALLENGE, "attempt_id": attempt.id, "at": (T0 + timedelta(seconds=30)).isoformat(),
         "verdict": failing().to_dict(), "code": "x = 1\n"},
        {"op": "run", "challenge": CHALLENGE, "attempt_id": attempt.id, "at": (T0 + timedelta(seconds=60)).isoformat(),
         "verdict": passing().to_dict(), "code": "x = 2\n"},
    ]
    for e in entries:
        store._spool(e)
    store._spool(entries[1])  # the same record twice (a crash between two appends and a retry)
    with store.pending_path.open("a") as f:
        f.write('{"op": "run", "chall')  # a line cut short by a crash
    assert store.pending_count() == 4
    assert store.replay_pending() == 3
    done = store.attempts(CHALLENGE)[0]
    assert done.passed and done.duration_s == 60 and done.code == "x = 2\n"
    assert [r["verdict"] for r in store.runs(done.id)] == ["fail", "pass"]
    assert len(store.reviews(CHALLENGE)) == 1
    # applied again (the file put back, as if the process died before removing it): nothing changes
    for e in entries:
        store._spool(e)
    assert store.replay_pending() == 2
    assert [r["verdict"] for r in store.runs(done.id)] == ["fail", "pass"] and len(store.reviews(CHALLENGE)) == 1
    store.close()


def test_one_capped_copy_of_the_code_per_attempt(scratch_home, monkeypatch):
    monkeypatch.setattr(attempts_mod, "CODE_CAP", 10_000)
    path = scratch_home / "db" / "progress.sqlite3"
    store = Store(path)
    store.start_attempt(CHALLENGE, now=T0)
    big = "x = 1\n" * 100_000  # 600 kB
    for n in range(20):
        store.record_run(CHALLENGE, failing(), code=big, now=T0 + timedelta(seconds=n + 1))
    attempt = store.open_attempt(CHALLENGE)
    assert len(attempt.code) < 10_200 and "kept the first 10000 characters of 600000" in attempt.code
    assert all(r["code"] is None for r in store.runs(attempt.id)) and len(store.runs(attempt.id)) == 20
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    assert path.stat().st_size < 1_000_000


@pytest.mark.parametrize("reason", ["overloaded", "internal", "cancelled"])
def test_a_verdict_that_could_not_judge_the_code_records_nothing(scratch_home, reason):
    """gradrill too slow, failing or cancelled: shown, but neither a pass nor a fail of the learner's (a
    reset afterwards rates nothing; the drill keeps running)."""
    store = Store(scratch_home / "db" / "progress.sqlite3")
    attempt = store.start_attempt(CHALLENGE, now=T0)
    verdict = Verdict("error", reason=reason, message="not the learner's doing")
    assert not verdict.about_the_code and failing().about_the_code
    recorded = store.record_run_or_spool(CHALLENGE, verdict, "x = 1\n", now=T0 + timedelta(seconds=5),
                                         attempt_id=attempt.id)
    assert recorded.attempt is None and not recorded.spooled
    assert store.record_run(CHALLENGE, verdict, "x = 1\n", now=T0 + timedelta(seconds=6)).is_open
    assert store.runs(attempt.id) == [] and store.open_attempt(CHALLENGE).verdict is None
    store.close()
