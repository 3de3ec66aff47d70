"""The command line, run as a learner runs it: a separate process, exit codes and output.

Checks that test a verdict (not the time limit) get ``--timeout 60``: a loaded machine
must not turn a quick fail into a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from gradrill.cli import build_parser
from gradrill.core.catalog import load_catalog
from tests.helpers import env_for, gradrill_here
from tests.helpers import gradrill as run

CHALLENGE = "add-backward"
SLOW_OK = ("--timeout", "60")


def gradrill(*args: str, input: str | None = None, **env: str):
    """``gradrill ARGS`` in this process (``run``: in a child process, for what needs one)."""
    return gradrill_here(*args, input=input, env=env_for(**env))


def one_line_error(result, *words: str) -> str:
    """The result is a usage error: exit 2, one line on standard error, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def solution() -> str:
    return load_catalog(strict=False).get(CHALLENGE).solution


@pytest.fixture
def workspace(home) -> Path:
    return home / "workspace"


def test_list_and_show(workspace):
    result = gradrill("list", "--json")
    assert result.returncode == 0
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert CHALLENGE in ids
    assert gradrill("list", "--ids").stdout.split() == ids
    shown = gradrill("show", CHALLENGE, "--json")
    assert shown.returncode == 0
    data = json.loads(shown.stdout)
    assert data["id"] == CHALLENGE and "Backward" in data["prompt"]
    assert data["file"] == str(workspace / "add-backward.py")


def test_show_prints_the_title_once_and_the_prompt_unwrapped_when_piped():
    challenge = load_catalog(strict=False).get(CHALLENGE)
    result = gradrill("show", CHALLENGE, COLUMNS="40")
    assert result.returncode == 0
    assert result.stdout.count("Backward through") == 1  # the header; the prompt's own `# heading` is left out
    longest = max(challenge.prompt.splitlines(), key=len)
    assert len(longest) > 40 and longest in result.stdout.splitlines()  # as written, not wrapped at 40
    assert all(line == line.rstrip() for line in result.stdout.splitlines())  # no padding


def test_piped_output_is_neither_wrapped_nor_padded():
    result = gradrill("list", COLUMNS="30")
    assert result.returncode == 0
    assert "Start one with gradrill start ID, then gradrill check ID" in result.stdout.splitlines()
    assert all(line == line.rstrip() for line in result.stdout.splitlines())
    assert json.loads(gradrill("list", "--json", COLUMNS="20").stdout)  # JSON is never wrapped either


def test_an_unknown_id_suggests_the_near_ones():
    one_line_error(gradrill("show", "add-backwrd"), "did you mean add-backward")


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
    failing = gradrill("check", CHALLENGE, *SLOW_OK)
    assert failing.returncode == 1, failing.stdout
    assert "first failure" in failing.stdout and "gradrill hint add-backward" in failing.stdout

    (workspace / "add-backward.py").write_text(solution)
    passing = gradrill("check", CHALLENGE, *SLOW_OK)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed in" in passing.stdout and "personal best" in passing.stdout

    broken = tmp_path / "broken.py"
    broken.write_text("def oops(:\n")
    errored = gradrill("check", CHALLENGE, str(broken), *SLOW_OK)
    assert errored.returncode == 2 and "syntax" in errored.stdout

    one_line_error(gradrill("check", CHALLENGE, str(tmp_path / "nope.py")), "no file")


def test_check_json_is_results_v3(workspace, solution):
    workspace.mkdir(parents=True)
    (workspace / "add-backward.py").write_text(solution)
    result = gradrill("check", CHALLENGE, "--json", *SLOW_OK, COLUMNS="20")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["version"] == 3 and data["status"] == "pass" and data["tests"]


def test_timeout_flag_and_an_infinite_loop(workspace, tmp_path):
    looping = tmp_path / "loop.py"
    looping.write_text("while True:\n    pass\n")
    result = gradrill("check", CHALLENGE, str(looping), "--timeout", "1")
    assert result.returncode == 2 and "time limit exceeded" in result.stdout


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "-inf", "1e9", "soon"])
def test_a_bad_timeout_is_a_one_line_error(tmp_path, value):
    looping = tmp_path / "loop.py"
    looping.write_text("while True:\n    pass\n")
    line = one_line_error(gradrill("check", CHALLENGE, str(looping), f"--timeout={value}"), "--timeout", value)
    assert line.startswith("gradrill check: error:")


def test_list_of_an_unknown_chapter_names_the_chapters():
    chapters = [ch.id for ch in load_catalog(strict=False).chapters]
    line = one_line_error(gradrill("list", "--chapter", "nope"), "no chapter 'nope'")
    assert all(ch in line for ch in chapters)
    assert gradrill("list", "--chapter", chapters[0], "--json").returncode == 0


def test_questions_with_standard_input_closed_are_one_line_errors(home):
    def closed(*args):  # standard input closed outright (`<&-`), and at its end (/dev/null)
        shut = run(*args, env=env_for(), preexec_fn=lambda: os.close(0))
        empty = run(*args, env=env_for(), input="")
        return shut, empty

    for result in closed("reset"):
        one_line_error(result, "--yes")
    for result in closed("solution", CHALLENGE, "--give-up"):
        one_line_error(result, "--yes")
    assert gradrill("solution", CHALLENGE).returncode == 2  # nothing was given up


def test_import_of_a_field_of_the_wrong_type_is_a_one_line_error(tmp_path):
    export = json.loads(gradrill("export").stdout)
    export["attempts"] = [{"challenge": CHALLENGE, "started_at": "2026-03-02T08:00:00+00:00", "status": "pass",
                           "hints_used": "three"}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(export))
    one_line_error(gradrill("import", str(bad)), "attempts[0].hints_used must be an integer", '"three"')
    export["attempts"] = [{"challenge": CHALLENGE, "started_at": 1234}]
    bad.write_text(json.dumps(export))
    one_line_error(gradrill("import", str(bad)), "attempts[0].started_at must be a time")
    assert json.loads(gradrill("stats", "--json").stdout)["totals"]["drills"] == 0  # nothing half-imported


def test_an_uncreatable_home_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for command in (["list"], ["start", CHALLENGE], ["today"]):
        one_line_error(gradrill(*command, GRADRILL_HOME=str(blocker / "gradrill")), "GRADRILL_HOME")


def test_a_database_missing_a_table_is_set_aside(home):
    assert gradrill("start", CHALLENGE).returncode == 0
    db = home / "data" / "progress.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE reviews")
    result = gradrill("list")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "missing table(s): reviews" in result.stderr and "moved to" in result.stderr
    again = gradrill("stats", "--json")
    assert again.returncode == 0 and not again.stderr and json.loads(again.stdout)["totals"]["drills"] == 0
    assert [p for p in db.parent.iterdir() if ".corrupt-" in p.name]  # the old file, kept


def test_an_unknown_command_or_option_is_a_one_line_error():
    one_line_error(gradrill("nope"), "invalid choice")
    one_line_error(gradrill("list", "--colour"), "unrecognized arguments")
    one_line_error(gradrill("show"), "required", "ID")


def test_hints_come_one_at_a_time_and_run_out():
    n = len(load_catalog(strict=False).get(CHALLENGE).hints)
    for i in range(1, n + 1):
        result = gradrill("hint", CHALLENGE)
        assert result.returncode == 0 and f"Hint {i} of {n}" in result.stdout
    assert "No more hints" in gradrill("hint", CHALLENGE).stdout
    assert f"Hint {n} of {n}" in gradrill("hint", CHALLENGE, "--all").stdout


def test_the_solution_waits_for_a_pass_or_a_give_up(workspace, solution):
    one_line_error(gradrill("solution", CHALLENGE), "--give-up")
    declined = gradrill("solution", CHALLENGE, "--give-up", input="n\n")
    assert declined.returncode == 0 and "def __add__" not in declined.stdout
    assert gradrill("solution", CHALLENGE).returncode == 2  # still locked
    given_up = gradrill("solution", CHALLENGE, "--give-up", "--yes")
    assert given_up.returncode == 0 and "out._backward = _backward" in given_up.stdout
    piped = gradrill("solution", CHALLENGE)
    assert piped.returncode == 0 and piped.stdout == solution  # piped: the file as it is, to save or diff


def test_validate_one_challenge(tmp_path):
    # add-backward with the longest time limit a challenge may have: proving it must not race the clock
    root = tmp_path / "challenges"
    shutil.copytree(load_catalog(strict=False).get(CHALLENGE).folder, root / CHALLENGE,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (root / "chapters.toml").write_text('[[chapters]]\nid = "value"\ntitle = "Value"\n')
    toml = root / CHALLENGE / "challenge.toml"
    toml.write_text(toml.read_text().replace("timeout_seconds = 5", "timeout_seconds = 120"))
    result = gradrill("validate", CHALLENGE, "--json", GRADRILL_CHALLENGES=str(root))
    assert result.returncode == 0, result.stdout
    (report,) = json.loads(result.stdout)
    assert report["ok"] and {p["role"] for p in report["probes"]} == {"solution", "starter", "mutant"}


def test_paths_are_all_under_the_redirected_home(home):
    result = gradrill("paths", "--json")
    paths = json.loads(result.stdout)
    for name in ("workspace", "database", "settings", "cache"):
        assert paths[name].startswith(str(home)), name


def test_the_workspace_flag_before_or_after_the_command(tmp_path):
    assert gradrill("--workspace", str(tmp_path / "before"), "start", CHALLENGE).returncode == 0
    assert (tmp_path / "before" / "add-backward.py").is_file()
    assert gradrill("start", CHALLENGE, "--workspace", str(tmp_path / "after")).returncode == 0
    assert (tmp_path / "after" / "add-backward.py").is_file()
    shown = json.loads(gradrill("show", CHALLENGE, "--json", "--workspace", str(tmp_path / "after")).stdout)
    assert shown["file"] == str(tmp_path / "after" / "add-backward.py")


def test_learner_files_get_the_usual_permissions(workspace):
    assert gradrill("start", CHALLENGE).returncode == 0
    mode = (workspace / "add-backward.py").stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    assert mode == 0o666 & ~mask


# -- help and completion ------------------------------------------------------------------------------


def test_every_command_has_a_description_and_help():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    helps = {a.dest: a.help for a in commands._choices_actions}
    assert {"list", "show", "start", "check", "hint", "solution", "validate", "paths", "today", "stats", "export",
            "import", "reset", "completion"} <= set(commands.choices)
    for name, sub in commands.choices.items():
        assert helps.get(name), name
        assert sub.description and len(sub.description) > len("a command."), name
        assert "--workspace" in sub.format_help(), name
    result = gradrill("check", "--help")
    assert result.returncode == 0 and "Exit status" in result.stdout and "--timeout" in result.stdout


def complete(line: str, tmp_path: Path) -> list[str]:
    """What argcomplete answers when the shell asks for ``line`` (cursor at its end)."""
    out = tmp_path / "completions"
    env = env_for(_ARGCOMPLETE="1", _ARGCOMPLETE_SHELL="bash", COMP_LINE=line, COMP_POINT=str(len(line)),
                  COMP_TYPE="9", _ARGCOMPLETE_IFS="\n", _ARGCOMPLETE_STDOUT_FILENAME=str(out))
    result = run(*line.split()[1:], env=env)
    assert result.returncode == 0, result.stderr
    return [word.strip() for word in out.read_text().split("\n")] if out.exists() else []


def test_completion_of_commands_options_and_challenge_ids(tmp_path):
    assert "check" in complete("gradrill che", tmp_path)
    ids = complete("gradrill check add-b", tmp_path)
    assert ids == ["add-backward"], ids
    assert "--timeout" in complete("gradrill check add-backward --ti", tmp_path)
    assert {"adamw", "add-backward"} <= set(complete("gradrill show ad", tmp_path))


@pytest.mark.skipif(not shutil.which("bash"), reason="no bash here")
def test_the_bash_completion_script_completes_challenge_ids(tmp_path):
    script = gradrill("completion", "bash")
    assert script.returncode == 0 and "complete" in script.stdout
    (tmp_path / "gradrill.bash").write_text(script.stdout)
    bindir = Path(sys.executable).parent
    if not (bindir / "gradrill").exists():
        pytest.skip("no gradrill script beside this Python (not installed)")
    program = (f"source {tmp_path / 'gradrill.bash'}\n"
               "COMP_LINE='gradrill solution add-b'; COMP_POINT=${#COMP_LINE}\n"
               "COMP_WORDS=(gradrill solution add-b); COMP_CWORD=2\n"
               "_python_argcomplete gradrill add-b solution\n"
               "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    env = env_for(PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    import subprocess

    result = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.split() == ["add-backward"], result.stdout + result.stderr


# -- what comes from outside the code is never read as Rich markup -------------------------------------


def test_check_titles_and_messages_with_brackets_are_printed_as_they_are(tmp_path):
    root = tmp_path / "challenges"
    (root / "brackets").mkdir(parents=True)
    (root / "chapters.toml").write_text('[[chapters]]\nid = "c"\ntitle = "Chapter [one]"\n')
    (root / "brackets" / "challenge.toml").write_text(
        'id = "brackets"\ntitle = "A [bold]title[/bold]"\nchapter = "c"\norder = 1\nkind = "fill-in"\n'
        'target_seconds = 60\nhints = ["one"]\n')
    (root / "brackets" / "prompt.md").write_text("# Brackets\n\nSet x.\n")
    (root / "brackets" / "starter.py").write_text("x = 0\n")
    (root / "brackets" / "solution.py").write_text("x = 1\n")
    (root / "brackets" / "checks.py").write_text(
        'def test_leaf(learner):\n    """a [leaf] keeps its grad"""\n'
        '    assert learner.x == 1, "got [red]x[/red] = [0]"\n')
    learner = tmp_path / "mine.py"
    learner.write_text("x = 0\n")
    result = gradrill("check", "brackets", str(learner), *SLOW_OK, GRADRILL_CHALLENGES=str(root))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "✗ a [leaf] keeps its grad" in result.stdout
    assert "first failure: a [leaf] keeps its grad" in result.stdout
    assert "got [red]x[/red] = [0]" in result.stdout
    listed = gradrill("list", GRADRILL_CHALLENGES=str(root))
    assert "A [bold]title[/bold]" in listed.stdout and "Chapter [one]" in listed.stdout
    shown = gradrill("show", "brackets", GRADRILL_CHALLENGES=str(root))
    assert "A [bold]title[/bold]" in shown.stdout


class _Ended(Exception):
    pass


def test_the_command_ends_at_once_after_the_trainer_and_normally_otherwise(monkeypatch, capsys):
    """After the trainer closes, `gradrill` ends the process at once (os._exit, after a flush) rather
    than tearing down Textual's objects for half a second; any other command exits as usual."""
    import gradrill.cli as cli
    import gradrill.tui.app as tui_app

    ended = []

    def fake_exit(code):
        ended.append(code)
        raise _Ended

    monkeypatch.setattr(cli.os, "_exit", fake_exit)
    monkeypatch.setattr(tui_app, "run", lambda workspace=None: 0)
    monkeypatch.setattr(cli, "_tui_closed", False)
    monkeypatch.setattr(sys, "argv", ["gradrill"])
    with pytest.raises(_Ended):
        cli.entry()
    assert ended == [0]

    monkeypatch.setattr(cli, "_tui_closed", False)
    monkeypatch.setattr(sys, "argv", ["gradrill", "list", "--json"])
    with pytest.raises(SystemExit) as done:
        cli.entry()
    assert done.value.code == 0 and ended == [0]
    assert json.loads(capsys.readouterr().out)
