"""The practice commands as a learner runs them: today, stats, export, import, reset.

They run against a small catalog written to disk (GRADRILL_CHALLENGES), at a pinned time
(GRADRILL_NOW), in a scratch home (GRADRILL_HOME)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from gradrill.cli import main
from gradrill.core.store import Store

from tests.helpers import SPEC, T0, env_for, passing

NOW = T0.isoformat()


def write_catalog(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    chapters = list(dict.fromkeys(s[1] for s in SPEC))
    (root / "chapters.toml").write_text("".join(f'[[chapters]]\nid = "{c}"\ntitle = "{c.title()}"\n\n' for c in chapters))
    for cid, chapter, order, target, prereqs, tags in SPEC:
        folder = root / cid
        folder.mkdir()
        (folder / "challenge.toml").write_text(
            f'id = "{cid}"\ntitle = "{cid.replace("-", " ").title()}"\nchapter = "{chapter}"\norder = {order}\n'
            f'kind = "fill-in"\ntarget_seconds = {target}\nprerequisites = {json.dumps(list(prereqs))}\n'
            f'tags = {json.dumps(list(tags))}\nhints = ["look again"]\n')
        (folder / "prompt.md").write_text(f"# {cid}\n")
        (folder / "starter.py").write_text("")
        (folder / "solution.py").write_text("x = 1\n")
        (folder / "checks.py").write_text("def test_x(learner):\n    assert learner.x == 1\n")
    return root


@pytest.fixture
def cli_home(home, tmp_path, monkeypatch) -> Path:
    """``home``, with the small catalog on disk and the time pinned, for in-process ``main()``."""
    monkeypatch.setenv("GRADRILL_CHALLENGES", str(write_catalog(tmp_path / "challenges")))
    monkeypatch.setenv("GRADRILL_NOW", NOW)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    return home


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args: str):
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def drill(home: Path, cid: str, seconds: float = 60, give_up: bool = False) -> None:
    """Practise as `gradrill start` + `gradrill check` would, at the pinned time."""
    store = Store(home / "data" / "progress.sqlite3")
    store.start_attempt(cid, restart=True, now=T0)
    if give_up:
        store.give_up(cid, now=T0 + timedelta(seconds=seconds))
    else:
        store.record_run(cid, passing(), code="x = 1\n", now=T0 + timedelta(seconds=seconds))
    store.close()


def test_today_builds_a_stable_queue(cli_home, capsys):
    data = run_json(capsys, "today")
    assert data["day"] == T0.date().isoformat() and data["budget_seconds"] == 1200
    ids = [i["id"] for i in data["items"]]
    assert ids[0] == "slope" and len(ids) == 5 and all(i["kind"] == "new" for i in data["items"])
    assert data["next"] == "slope" and data["streak"]["current"] == 0
    assert [i["id"] for i in run_json(capsys, "today")["items"]] == ids
    code, out, _ = run(capsys, "today")
    assert code == 0 and "slope" in out and "Next: gradrill start slope" in out and "0 of 5 done" in out


def test_today_ticks_done_items_and_tops_up(cli_home, capsys):
    first = run_json(capsys, "today", "--minutes", "4")
    assert [i["id"] for i in first["items"]] == ["slope"]
    drill(cli_home, "slope", 40)
    done = run_json(capsys, "today")
    assert done["complete"] and done["items"][0]["result"] == "pass"
    code, out, _ = run(capsys, "today")
    assert "Today's session is done" in out
    more = run_json(capsys, "today", "--minutes", "20")
    assert len(more["items"]) > 1 and more["items"][0]["done"] and not more["complete"]


def test_today_rejects_a_bad_budget(cli_home, capsys):
    code, _, err = run(capsys, "today", "--minutes", "0")
    assert code == 2 and "--minutes" in err


def test_stats(cli_home, capsys):
    empty = run_json(capsys, "stats")
    assert empty["streak"]["current"] == 0 and empty["totals"]["drills"] == 0
    code, out, _ = run(capsys, "stats")
    assert code == 0 and "No attempts yet" in out and "last 26 weeks" in out
    drill(cli_home, "slope", 40)
    drill(cli_home, "value-forward", give_up=True)
    drill(cli_home, "partials", 100)
    data = run_json(capsys, "stats")
    assert data["streak"] == {"current": 1, "longest": 1, "today_complete": True, "min_drills": 3}
    rows = {c["id"]: c for c in data["challenges"]}
    assert rows["slope"]["best_seconds"] == 40 and rows["slope"]["card"]["last_rating"] == "easy"
    assert rows["value-forward"]["pass_rate"] == 0 and rows["value-forward"]["card"]["last_rating"] == "again"
    assert data["forecast"][1]["due"] >= 1  # the give-up, tomorrow
    code, out, _ = run(capsys, "stats")
    assert code == 0 and "streak 1 day" in out and "slope" in out and "reviews due" in out
    one = run_json(capsys, "stats", "slope")
    assert one["id"] == "slope" and one["attempts_list"][0]["status"] == "pass"
    assert one["reviews"][0]["rating"] == "easy"
    code, out, _ = run(capsys, "stats", "slope")
    assert code == 0 and "next review" in out and "easy" in out
    code, _, err = run(capsys, "stats", "slop")
    assert code == 2 and "did you mean" in err


def test_export_import_round_trip_between_homes(cli_home, capsys, tmp_path, monkeypatch):
    run_json(capsys, "today")
    drill(cli_home, "slope", 40)
    drill(cli_home, "value-forward", give_up=True)
    before = run_json(capsys, "stats")
    code, out, _ = run(capsys, "export")
    assert code == 0 and json.loads(out)["format"] == "gradrill-progress"
    file = tmp_path / "moving" / "progress.json"
    code, out, _ = run(capsys, "export", str(file))
    assert code == 0 and "Exported 2 attempts" in out and json.loads(file.read_text())["version"] == 1

    monkeypatch.setenv("GRADRILL_HOME", str(tmp_path / "new-machine"))
    code, out, _ = run(capsys, "import", str(file))
    assert code == 0 and "Imported 2 attempts" in out
    assert run_json(capsys, "stats") == before
    code, out, _ = run(capsys, "import", str(file))
    assert code == 0 and "Nothing new to import" in out
    report = run_json(capsys, "import", str(file))
    assert report["attempts"] == 0 and report["duplicates"] == 2


def test_import_refuses_bad_files(cli_home, capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2 and "not JSON" in err
    bad.write_text(json.dumps({"format": "gradrill-progress", "version": 99}))
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2 and "newer" in err
    code, _, err = run(capsys, "import", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in err


def test_reset_with_yes_keeps_the_old_database(cli_home, capsys):
    drill(cli_home, "slope")
    code, out, _ = run(capsys, "reset", "--yes")
    assert code == 0 and "Started afresh" in out
    data = cli_home / "data"
    aside = [p for p in data.iterdir() if ".reset-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and [a.challenge for a in Store(aside[0]).attempts()] == ["slope"]
    assert run_json(capsys, "stats")["totals"]["drills"] == 0


@pytest.mark.slow
def test_reset_asks_first(cli_home, tmp_path):
    drill(cli_home, "slope")
    env = env_for(cli_home, GRADRILL_CHALLENGES=str(tmp_path / "challenges"), GRADRILL_NOW=NOW)

    def gradrill(*args, input=None):
        return subprocess.run([sys.executable, "-m", "gradrill", *args], capture_output=True, text=True,
                              env=env, input=input, timeout=60)

    no = gradrill("reset", input="n\n")
    assert no.returncode == 0 and "Nothing changed" in no.stdout
    assert not [p for p in (cli_home / "data").iterdir() if ".reset-" in p.name]
    yes = gradrill("reset", input="y\n")
    assert yes.returncode == 0 and "Started afresh" in yes.stdout
    today = gradrill("today", "--json")
    assert today.returncode == 0 and json.loads(today.stdout)["streak"]["longest"] == 0
