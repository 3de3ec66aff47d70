"""Speedrun mode: categories, split timing on fake clocks, comparisons over several runs,
resume across restarts (and a real ``kill -9``), bad input, LiveSplit export, the CLI.

Verdicts for the timing and comparison tests are made by hand (``verdict_for``): which
splits a save passes is what matters there, not grading. The bundle itself is proven on
real gradings (``test_stages_fire_exactly_their_splits``, ``test_shipped_categories_prove``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gradrill.checks.bundle import bundle_name
from gradrill.cli import main
from gradrill.core.catalog import load_catalog
from gradrill.core.grading import WarmGrader
from gradrill.core.results import Verdict, CheckResult
from gradrill.core.speedrun.bundle import bundle_for, split_results
from gradrill.core.speedrun.categories import load_categories
from gradrill.core.speedrun.compare import (
    AHEAD_GAINING, BEHIND_LOSING, GOLD, edges, segments, shortest,
)
from gradrill.core.speedrun.lss import parse_time, to_lss
from gradrill.core.speedrun.mode import RunProblem, Speedrun
from gradrill.core.speedrun.prove import prove_category
from gradrill.core.speedrun.timing import CLOCK_JUMP, Clocks
from gradrill.core.store import RunActive, Store
from gradrill.core.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
from tests.helpers import env_for
from tests.speedrun_stages import stage

CATALOG = load_catalog(ROOT / "challenges")
CATEGORIES = load_categories(CATALOG)
START = datetime(2026, 1, 5, 9, 0, 0, tzinfo=timezone.utc)


class FakeClocks:
    """A monotonic and a wall clock the test moves by hand (together, unless told)."""

    def __init__(self, wall: datetime = START, mono: float = 5000.0):
        self.wall_now, self.mono_now = wall, mono

    def advance(self, seconds: float, wall: bool = True) -> None:
        self.mono_now += seconds
        if wall:
            self.wall_now += timedelta(seconds=seconds)

    def clocks(self) -> Clocks:
        return Clocks(lambda: self.mono_now, lambda: self.wall_now)


@pytest.fixture
def fake():
    return FakeClocks()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "progress.sqlite3", catalog=CATALOG)
    yield s
    s.close()


@pytest.fixture
def make(tmp_path, store, fake):
    """``make()``: a Speedrun over the store, as a (re)started process would build it."""
    def factory(clocks: FakeClocks | None = None) -> Speedrun:
        speedrun = Speedrun(store, Workspace(tmp_path / "ws"), CATALOG, CATEGORIES, (clocks or fake).clocks(),
                            cache=tmp_path / "cache")
        speedrun.resume()
        return speedrun
    return factory


def verdict_for(category_id: str, passing: int) -> Verdict:
    """A verdict on a file that passes exactly the first ``passing`` splits."""
    category = CATEGORIES.get(category_id)
    tests = []
    for i, split in enumerate(category.splits, 1):
        for ref in split.checks:
            status = "pass" if i <= passing else "fail"
            tests.append(CheckResult(bundle_name(i, ref.challenge, ref.name), status,
                                     message=None if status == "pass" else f"{ref.name} fails"))
    return Verdict("pass" if passing == len(category.splits) else "fail", tests)


def save_and_record(speedrun: Speedrun, fake: FakeClocks, passing: int, grading_s: float = 0.0, code: str = "x"):
    save = speedrun.stamp_now(code)
    fake.advance(grading_s)  # the verdict comes back later: the split keeps the save's time
    return speedrun.record(save, verdict_for(speedrun.run.category, passing))


# -- categories ------------------------------------------------------------------------


def test_shipped_categories_load():
    assert not CATEGORIES.errors
    assert CATEGORIES.ids() == ["engine", "library", "full"]
    engine, library, full = (CATEGORIES.get(c) for c in ("engine", "library", "full"))
    assert engine.split_names == ("+ and *", "backward()", "pow, div, neg, sub", "reflected ops", "tanh, exp, relu")
    assert library.split_names == engine.split_names + ("Neuron", "Layer", "MLP + parameters + zero_grad")
    assert full.split_names == library.split_names + ("train", "two moons")
    assert all(split.prompt for split in full.splits)


def test_bad_category_files_name_file_and_field(tmp_path):
    root = tmp_path / "_speedrun"
    root.mkdir()
    (root / "typo.toml").write_text(textwrap.dedent('''
        id = "typo"
        title = "t"
        reference = "final-checkpoint"
        colour = "red"
        [[splits]]
        name = "a"
        prompt = "p"
        checks = ["backward-blank::test_forwrd_and_children", "no-such::test_x", "nonsense"]
    '''))
    (root / "loop.toml").write_text('id = "loop"\ntitle = "l"\nextends = "loop2"\nreference = "final-checkpoint"\n')
    (root / "loop2.toml").write_text('id = "loop2"\ntitle = "l"\nextends = "loop"\nreference = "final-checkpoint"\n')
    (root / "noref.toml").write_text(textwrap.dedent('''
        id = "noref"
        title = "n"
        reference = "nowhere.py"
        [[splits]]
        name = "a"
        prompt = "p"
        checks = ["backward-blank::test_reused_leaf"]
    '''))
    cats = load_categories(CATALOG, root)
    assert cats.ids() == []
    text = "\n".join(str(e) for e in cats.errors)
    assert "typo.toml: field 'colour': unknown field" in text
    assert "has no check 'test_forwrd_and_children' (did you mean 'test_forward_and_children'?)" in text
    assert "'no-such::test_x': no challenge 'no-such'" in text
    assert "'nonsense' is not 'challenge::test_name'" in text
    assert "a cycle" in text
    assert "noref.toml: field 'reference': no such file" in text
    assert all("\n" not in str(e) for e in cats.errors)


def test_stages_fire_exactly_their_splits(tmp_path):
    """The bundle on real gradings: stage k of a from-blank run passes splits 1..k, no more."""
    category = CATEGORIES.get("library")
    bundle = bundle_for(category, CATALOG, tmp_path / "cache")
    with WarmGrader() as grader:
        for k in range(len(category.splits) + 1):
            path = tmp_path / f"stage{k}" / "library-1.py"
            path.parent.mkdir()
            path.write_text(stage(k), encoding="utf-8")
            passed = [r.passed for r in split_results(category, grader.grade(bundle, path))]
            assert passed == [True] * k + [False] * (len(category.splits) - k), (k, passed)


def test_a_failure_skips_the_later_splits_checks(tmp_path):
    category = CATEGORIES.get("engine")
    path = tmp_path / "engine-1.py"
    path.write_text(stage(1), encoding="utf-8")
    from gradrill.core import grading

    verdict = grading.grade(bundle_for(category, CATALOG, tmp_path), path)
    by = {t.name: t for t in verdict.tests}
    assert by[bundle_name(1, "backward-blank", "test_reused_leaf")].status == "pass"
    assert by[bundle_name(2, "backward-blank", "test_backward_seeds_the_root")].status == "fail"
    later = by[bundle_name(3, "pow-backward", "test_forward")]
    assert later.status == "skip" and later.message.startswith("not run")
    assert [r.passed for r in split_results(category, verdict)] == [True, False, False, False, False]


@pytest.mark.slow
def test_shipped_categories_prove():
    for category in CATEGORIES:
        report = prove_category(category, CATALOG)
        assert report.ok, report.problems


# -- timing ----------------------------------------------------------------------------


def test_split_is_stamped_with_the_save_not_the_verdict(make, fake):
    sr = make()
    run = sr.start("engine")
    assert Path(run.file).read_text() == "" and Path(run.file).name == "engine-1.py"
    fake.advance(12.345)
    out = save_and_record(sr, fake, passing=1, grading_s=7.0)
    assert out.changed == [0]
    assert out.run.times[0] == 12345  # not 19345: grading took 7 s
    fake.advance(3.0)
    out = save_and_record(sr, fake, passing=1, grading_s=1.0)
    assert out.changed == [] and out.run.times[0] == 12345  # a split fires once


def test_one_save_fires_several_splits_at_its_time(make, fake):
    sr = make()
    sr.start("engine")
    fake.advance(10)
    save_and_record(sr, fake, passing=1)
    fake.advance(20)
    out = save_and_record(sr, fake, passing=4)
    assert out.changed == [1, 2, 3]
    assert out.run.times == [10000, 30000, 30000, 30000, None]
    assert segments(out.run.times) == [10000, None, None, 20000, None]  # merged: one segment for the group
    assert edges(out.run.times) == [(-1, 0, 10000), (0, 3, 20000)]


def test_out_of_order_verdicts_keep_the_earliest_save(make, fake):
    sr = make()
    sr.start("engine")
    fake.advance(10)
    early = sr.stamp_now("a")
    fake.advance(2)
    late = sr.stamp_now("b")
    out = sr.record(late, verdict_for("engine", 2))  # the later save's verdict arrives first
    assert out.run.times[:2] == [12000, 12000]
    out = sr.record(early, verdict_for("engine", 1))
    assert out.changed == [0] and out.run.times[:2] == [10000, 12000]
    assert sr.store.speedrun_run(out.run.id, with_code=True).splits[0].code == "a"


def test_run_finishes_when_the_last_split_fires(make, fake):
    sr = make()
    sr.start("engine")
    fake.advance(61.5)
    out = save_and_record(sr, fake, passing=5, grading_s=2)
    assert out.finished_now and out.run.finished and out.run.final_ms == 61500
    assert sr.store.speedrun_active() is None
    with pytest.raises(RunProblem):
        sr.stamp_now("more")


def test_start_while_active_is_refused(make, fake):
    sr = make()
    sr.start("engine")
    with pytest.raises(RunActive):
        sr.start("full")


def test_resume_after_restart_runs_on_wall_time(make, fake):
    sr = make()
    run = sr.start("engine")
    fake.advance(5)
    save_and_record(sr, fake, passing=1)
    fake.advance(100)  # the trainer is closed for 100 s (wall and monotonic both move on)
    again = make()
    assert again.run.id == run.id and again.run.times[0] == 5000
    assert again.elapsed_ms() == 105000
    fake.advance(1.5)
    assert again.elapsed_ms() == 106500


def test_wall_clock_jumping_back_is_flagged_never_negative(make, fake):
    sr = make()
    sr.start("engine")
    fake.advance(50)
    save_and_record(sr, fake, passing=2)
    fake.wall_now -= timedelta(seconds=120)  # someone set the clock back, then the trainer restarted
    again = make()
    assert CLOCK_JUMP in again.run.flags
    assert again.elapsed_ms() >= 50000
    fake.advance(4)
    out = save_and_record(again, fake, passing=3)
    assert out.run.times[2] >= out.run.times[1]
    assert all(s is None or s >= 0 for s in segments(out.run.times))
    fake.advance(1)
    out = save_and_record(again, fake, passing=5)
    history = again.history("engine")
    assert out.run.finished and history.pb() is None and not any(history.golds(out.run))


def test_stamp_file_uses_the_modification_time(make, fake, tmp_path):
    sr = make()
    run = sr.start("engine")
    path = Path(run.file)
    fake.advance(30)
    written = fake.wall_now - timedelta(seconds=4)  # written by another editor 4 s ago
    path.write_text(stage(1))
    os.utime(path, (written.timestamp(), written.timestamp()))
    save = sr.stamp_file()
    assert save.ms == 26000 and save.code == stage(1)


def test_a_deleted_or_replaced_file_is_reported(make, fake):
    sr = make()
    run = sr.start("engine")
    path = Path(run.file)
    path.unlink()
    with pytest.raises(RunProblem, match="is gone"):
        sr.stamp_file()
    path.mkdir()
    with pytest.raises(RunProblem, match="not a file"):
        sr.stamp_file()
    path.rmdir()
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(RunProblem, match="not UTF-8"):
        sr.stamp_file()
    old = START - timedelta(days=1)
    path.write_text(stage(5))
    os.utime(path, (old.timestamp(), old.timestamp()))
    with pytest.raises(RunProblem, match="before this run started"):
        sr.stamp_file()


# -- comparisons over several runs ---------------------------------------------------------


def _run(sr: Speedrun, fake: FakeClocks, gaps: list[float], finish: bool = True):
    """One engine run whose split k fires ``gaps[k]`` seconds after split k-1; reset if not
    ``finish``."""
    sr.start("engine")
    out = None
    for k, gap in enumerate(gaps, 1):
        fake.advance(gap)
        out = save_and_record(sr, fake, passing=k)
    if not finish:
        return sr.reset()
    return out.run


def test_pb_golds_sum_of_best_over_several_runs(make, fake):
    sr = make()
    r1 = _run(sr, fake, [10, 20, 30, 40, 50])  # 150 s, first run: every segment is gold
    fake.advance(60)
    r2 = _run(sr, fake, [8, 25], finish=False)  # reset after 2 splits, a gold on the first
    fake.advance(60)
    r3 = _run(sr, fake, [12, 15, 33, 45, 55])  # 160 s: a gold on split 2, not a PB
    fake.advance(60)
    r4 = _run(sr, fake, [9, 19, 29, 39, 49])  # 145 s, skips nothing, a PB
    history = sr.history("engine")
    r1, r2, r3, r4 = (sr.store.speedrun_run(r.id) for r in (r1, r2, r3, r4))
    assert r1.final_ms == 150000.0 and r3.final_ms == 160000 and r4.final_ms == 145000
    assert r2.status == "reset" and r2.times == [8000, 33000, None, None, None]
    assert history.golds(r1) == [True] * 5
    assert history.golds(r2) == [True, False, False, False, False]
    assert history.golds(r3) == [False, True, False, False, False]
    assert history.golds(r4) == [False, False, True, True, True]
    assert [history.was_pb(r) for r in (r1, r2, r3, r4)] == [True, False, False, True]
    assert history.pb().id == r4.id
    assert history.best_segments() == [8000, 15000, 29000, 39000, 49000]
    assert history.sum_of_best() == 8000 + 15000 + 29000 + 39000 + 49000
    board = history.board("engine", None)
    assert (board.attempts_started, board.attempts_finished) == (4, 3)
    assert board.pb_ms == 145000 and board.possible_save_ms == 145000 - 140000


def test_sum_of_best_goes_through_combined_segments(make, fake):
    sr = make()
    sr.start("engine")
    for k, gap in [(1, 10), (4, 30), (5, 10)]:  # splits 2-4 fired at one save
        fake.advance(gap)
        save_and_record(sr, fake, passing=k)
    history = sr.history("engine")
    assert history.best_segments() == [10000, None, None, None, 10000]
    assert history.sum_of_best() == 50000
    assert shortest([(-1, 0, 5), (0, 2, 7), (-1, 2, 20)], -1, 2) == 12


def test_live_colours_against_the_pb(make, fake):
    sr = make()
    _run(sr, fake, [10, 20, 30, 40, 50])
    fake.advance(60)
    sr.start("engine")
    fake.advance(8)
    save_and_record(sr, fake, passing=1)  # 2 s ahead, and a gold
    fake.advance(25)
    save_and_record(sr, fake, passing=2)  # 3 s behind, losing
    board = sr.board()
    assert [r.colour for r in board.rows[:2]] == [GOLD, BEHIND_LOSING]
    assert [r.delta_ms for r in board.rows[:2]] == [-2000, 3000]
    assert board.rows[2].current and board.rows[2].pb_ms == 60000
    fake.advance(40)  # now 73 s, PB split 3 was at 60 s: the live delta shows
    board = sr.board()
    assert board.rows[2].delta_ms == 13000 and board.rows[2].colour == BEHIND_LOSING
    assert board.possible_save_ms == 0  # the PB's segment 3 is the best one
    assert board.best_possible_ms == 33000 + 40000 + 40000 + 50000
    from gradrill.core.speedrun.compare import colour
    assert colour(-3000, -2000) == AHEAD_GAINING


# -- kill -9 ------------------------------------------------------------------------------


HOLDER = textwrap.dedent('''
    import sys, time
    from tests.speedrun_stages import stage
    from gradrill.core.catalog import load_catalog
    from gradrill.core.store import Store
    from gradrill.core.workspace import Workspace
    from gradrill.core.speedrun import mode
    from pathlib import Path
    catalog = load_catalog(Path({challenges!r}))
    sr = mode.load(Store(), Workspace.default(), catalog)
    run = sr.start("engine")
    for k in (1, 2):
        save = sr.stamp_now(stage(k))
        open(run.file, "w").write(stage(k))
        sr.record(save, sr.grade(save))
    print("READY", run.id, flush=True)
    while True:
        time.sleep(1)
''')


def test_kill_9_mid_run_resumes_with_splits_and_clock(tmp_path):
    script = HOLDER.format(challenges=str(ROOT / "challenges"))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env_for())
    try:
        line = proc.stdout.readline()
        assert line.startswith("READY"), line
    finally:
        proc.kill()  # SIGKILL: no cleanup of any kind
        proc.wait(timeout=30)
    assert proc.returncode == -9
    with Store() as store:
        sr = Speedrun(store, Workspace.default(), CATALOG, CATEGORIES)
        run = sr.resume()
        assert run is not None and run.active and run.reached == 2
        assert [s.name for s in run.splits] == ["+ and *", "backward()"]
        assert all(s.code for s in sr.store.speedrun_run(run.id, with_code=True).splits)
        wall = (datetime.now(timezone.utc) - run.started_at) / timedelta(milliseconds=1)
        assert abs(sr.elapsed_ms() - wall) < 1000
        assert sr.elapsed_ms() >= run.last_ms


# -- export ----------------------------------------------------------------------------------


def test_lss_export_parses_back(make, fake, tmp_path):
    sr = make()
    _run(sr, fake, [10, 20, 30, 40, 50])
    fake.advance(10)
    _run(sr, fake, [8, 25], finish=False)
    fake.advance(10)
    sr.start("engine")
    fake.advance(5)
    save_and_record(sr, fake, passing=1)
    fake.advance(5)
    save_and_record(sr, fake, passing=5)  # splits 2-5 at one save
    category = CATEGORIES.get("engine")
    root = ET.fromstring(to_lss(category, sr.history("engine")))
    assert root.tag == "Run" and root.findtext("CategoryName") == category.title
    assert root.findtext("AttemptCount") == "3"
    attempts = root.findall("AttemptHistory/Attempt")
    assert [a.get("id") for a in attempts] == ["1", "2", "3"]
    assert parse_time(attempts[0].findtext("RealTime")) == 150000 and attempts[1].find("RealTime") is None
    assert parse_time(attempts[2].findtext("RealTime")) == 10000
    segs = root.findall("Segments/Segment")
    assert [s.findtext("Name") for s in segs] == list(category.split_names)
    pb = [parse_time(s.findtext("SplitTimes/SplitTime[@name='Personal Best']/RealTime")) for s in segs]
    assert pb == [5000, 10000, 10000, 10000, 10000]  # the third run is the PB
    best = [parse_time(s.findtext("BestSegmentTime/RealTime")) for s in segs]
    assert best == [5000, 20000, 30000, 40000, 50000]
    first = {t.get("id"): t.findtext("RealTime") for t in segs[0].findall("SegmentHistory/Time")}
    assert {k: parse_time(v) for k, v in first.items()} == {"1": 10000, "2": 8000, "3": 5000}
    second = {t.get("id"): t.find("RealTime") for t in segs[1].findall("SegmentHistory/Time")}
    assert second["3"] is None and parse_time(second["2"].text) == 25000  # merged: an empty time


def test_progress_export_import_carries_speedruns(make, fake, tmp_path):
    sr = make()
    _run(sr, fake, [10, 20, 30, 40, 50])
    data = sr.store.export_data()
    assert len(data["speedrun"]) == 1 and data["speedrun"][0]["splits"][4]["ms"] == 150000
    assert data["speedrun"][0]["splits"][0]["code"] == "x"
    with Store(tmp_path / "other.sqlite3", catalog=CATALOG) as other:
        report = other.import_data(json.loads(json.dumps(data)))
        assert report.speedrun_runs == 1
        assert other.import_data(data).speedrun_runs == 0  # never doubled
        (run,) = other.speedrun_runs("engine")
        assert run.finished and run.final_ms == 150000 and run.times[0] == 10000


# -- the CLI ---------------------------------------------------------------------------------


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())


def test_cli_run_start_to_finish(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("GRADRILL_CHALLENGES", str(ROOT / "challenges"))
    code, out, _ = cli(capsys, "speedrun", "list", "--json")
    assert code == 0 and [c["id"] for c in json.loads(out)] == ["engine", "library", "full"]
    code, out, _ = cli(capsys, "speedrun", "start", "engine")
    path = Path(out.strip().splitlines()[-1])
    assert code == 0 and path.name == "engine-1.py" and path.read_text() == ""
    code, _, err = cli(capsys, "speedrun", "start", "full")
    assert code == 2 and "under way" in err and err.count("error:") == 1 and "Traceback" not in err
    path.write_text(stage(2))
    code, out, _ = cli(capsys, "speedrun", "check", "--json")
    status = json.loads(out)
    assert code == 1 and [s["fired_at_ms"] is not None for s in status["splits"]] == [True, True, False, False, False]
    assert set(status["splits"][0]) >= {"name", "fired_at_ms", "segment_ms", "pb_split_ms", "gold"}
    path.write_text(stage(5))
    code, out, _ = cli(capsys, "speedrun", "check")
    assert code == 0 and "Finished" in out
    code, out, _ = cli(capsys, "speedrun", "status", "--json")
    assert json.loads(out) == {"active": False, "run": None}
    code, out, _ = cli(capsys, "speedrun", "start", "engine")
    assert code == 0
    code, out, _ = cli(capsys, "speedrun", "reset", "--yes")
    assert code == 0 and "Reset" in out
    code, out, _ = cli(capsys, "speedrun", "history", "engine", "--json")
    rows = json.loads(out)
    assert [(r["number"], r["status"], r["reached"]) for r in rows] == [(2, "reset", 0), (1, "finished", 5)]
    lss = tmp_path / "engine.lss"
    code, out, _ = cli(capsys, "speedrun", "export", "engine", "--lss", str(lss))
    assert code == 0 and ET.parse(lss).getroot().findtext("AttemptCount") == "2"
    code, _, err = cli(capsys, "speedrun", "history", "engnie")
    assert code == 2 and "did you mean engine" in err
    code, _, err = cli(capsys, "speedrun", "check")
    assert code == 2 and "no speedrun under way" in err


def test_cli_check_reports_a_missing_file(capsys, monkeypatch):
    monkeypatch.setenv("GRADRILL_CHALLENGES", str(ROOT / "challenges"))
    code, out, _ = cli(capsys, "speedrun", "start", "engine")
    Path(out.strip().splitlines()[-1]).unlink()
    code, _, err = cli(capsys, "speedrun", "check")
    assert code == 2 and "is gone" in " ".join(err.split()) and "Traceback" not in err


def test_a_verdict_after_a_reset_is_dropped(make, fake):
    sr = make()
    sr.start("engine")
    fake.advance(5)
    save = sr.stamp_now("code")
    sr.reset()
    sr.start("engine")
    assert sr.record(save, verdict_for("engine", 3)) is None
    assert sr.run.reached == 0 and sr.store.speedrun_runs("engine")[0].reached == 0
