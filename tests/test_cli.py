"""The command line, run as a learner runs it: a separate process, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gradrill.core.catalog import load_catalog

CHALLENGE = "add-backward"


def gradrill(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "gradrill", *args], capture_output=True, text=True,
                          env=env, input=input, timeout=60)


@pytest.fixture
def solution() -> str:
    return load_catalog(strict=False).get(CHALLENGE).solution


@pytest.fixture
def workspace(scratch_home) -> Path:
    return scratch_home / "workspace"


def test_list_and_show(workspace):
    result = gradrill("list", "--json")
    assert result.returncode == 0
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert CHALLENGE in ids
    shown = gradrill("show", CHALLENGE, "--json")
    assert shown.returncode == 0
    data = json.loads(shown.stdout)
    assert data["id"] == CHALLENGE and "Backward" in data["prompt"]
    assert data["file"] == str(workspace / "add-backward.py")


def test_an_unknown_id_suggests_the_near_ones():
    result = gradrill("show", "add-backwrd")
    assert result.returncode == 2
    assert "did you mean add-backward" in result.stderr


def test_start_creates_the_file_and_archives_an_old_one(workspace):
    assert gradrill("start", CHALLENGE).returncode == 0
    path = workspace / "add-backward.py"
    assert path.is_file()
    path.write_text(path.read_text() + "\n# my work\n")
    result = gradrill("start", CHALLENGE)
    assert result.returncode == 0 and "archived" in result.stdout
    archived = list((workspace / ".archive" / "add-backward").glob("*.py"))
    assert len(archived) == 1 and "# my work" in archived[0].read_text()
    assert "# my work" not in path.read_text()


def test_check_exit_codes(workspace, solution, tmp_path):
    assert gradrill("start", CHALLENGE).returncode == 0
    failing = gradrill("check", CHALLENGE)
    assert failing.returncode == 1
    assert "first failure" in failing.stdout and "gradrill hint add-backward" in failing.stdout

    (workspace / "add-backward.py").write_text(solution)
    passing = gradrill("check", CHALLENGE)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed in" in passing.stdout and "personal best" in passing.stdout

    broken = tmp_path / "broken.py"
    broken.write_text("def oops(:\n")
    errored = gradrill("check", CHALLENGE, str(broken))
    assert errored.returncode == 2 and "syntax" in errored.stdout

    missing = gradrill("check", CHALLENGE, str(tmp_path / "nope.py"))
    assert missing.returncode == 2 and "no file" in missing.stderr


def test_check_json_is_results_v3(workspace, solution):
    (workspace).mkdir(parents=True)
    (workspace / "add-backward.py").write_text(solution)
    result = gradrill("check", CHALLENGE, "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["version"] == 3 and data["status"] == "pass" and data["tests"]


def test_timeout_flag_and_an_infinite_loop(workspace, tmp_path):
    looping = tmp_path / "loop.py"
    looping.write_text("while True:\n    pass\n")
    result = gradrill("check", CHALLENGE, str(looping), "--timeout", "1")
    assert result.returncode == 2 and "time limit exceeded" in result.stdout


def test_hints_come_one_at_a_time_and_run_out():
    n = len(load_catalog(strict=False).get(CHALLENGE).hints)
    for i in range(1, n + 1):
        result = gradrill("hint", CHALLENGE)
        assert result.returncode == 0 and f"Hint {i} of {n}" in result.stdout
    assert "No more hints" in gradrill("hint", CHALLENGE).stdout
    assert f"Hint {n} of {n}" in gradrill("hint", CHALLENGE, "--all").stdout


def test_the_solution_waits_for_a_pass_or_a_give_up(workspace, solution):
    locked = gradrill("solution", CHALLENGE)
    assert locked.returncode == 2 and "--give-up" in locked.stderr
    declined = gradrill("solution", CHALLENGE, "--give-up", input="n\n")
    assert declined.returncode == 0 and "def __add__" not in declined.stdout
    assert gradrill("solution", CHALLENGE).returncode == 2  # still locked
    given_up = gradrill("solution", CHALLENGE, "--give-up", "--yes")
    assert given_up.returncode == 0 and "out._backward = _backward" in given_up.stdout
    assert gradrill("solution", CHALLENGE).returncode == 0  # stays open afterwards


def test_validate_one_challenge():
    result = gradrill("validate", CHALLENGE, "--json")
    assert result.returncode == 0, result.stdout
    (report,) = json.loads(result.stdout)
    assert report["ok"] and {p["role"] for p in report["probes"]} == {"solution", "starter", "mutant"}


def test_paths_are_all_under_the_redirected_home(scratch_home):
    result = gradrill("paths", "--json")
    paths = json.loads(result.stdout)
    for name in ("workspace", "database", "settings", "cache"):
        assert paths[name].startswith(str(scratch_home)), name


def test_the_workspace_flag(tmp_path):
    assert gradrill("--workspace", str(tmp_path / "elsewhere"), "start", CHALLENGE).returncode == 0
    assert (tmp_path / "elsewhere" / "add-backward.py").is_file()


def test_learner_files_get_the_usual_permissions(workspace):
    assert gradrill("start", CHALLENGE).returncode == 0
    mode = (workspace / "add-backward.py").stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    assert mode == 0o666 & ~mask
