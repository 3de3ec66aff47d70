"""The grader: trustworthy verdicts for anything a learner's file can do."""

from __future__ import annotations

import dataclasses
import json
import os
import textwrap
import time
from pathlib import Path

import pytest

from gradrill.core import grading
from gradrill.core.catalog import load_catalog
from gradrill.core.grading.sandbox import Limits

FIXTURE_CATALOG = Path(__file__).parent / "fixtures" / "catalog"


@pytest.fixture(scope="module")
def challenge():
    """A frozen challenge (plain checks), so curriculum edits never change these tests; its time
    limit is generous, so a loaded machine never turns a verdict into a timeout (the tests of the
    limit itself set their own)."""
    return dataclasses.replace(load_catalog(FIXTURE_CATALOG).get("add-backward"), timeout_seconds=60)


@pytest.fixture
def learner(tmp_path, challenge):
    """Write a learner file: the solution with ``replace`` pairs applied, or raw text."""
    def write(text: str | None = None, *, replace: tuple[str, str] | None = None, append: str = "") -> Path:
        source = challenge.solution if text is None else textwrap.dedent(text)
        if replace:
            assert replace[0] in source
            source = source.replace(*replace)
        path = tmp_path / "add-backward.py"
        path.write_text(source + textwrap.dedent(append))
        return path
    return write


def test_the_solution_passes(challenge, learner):
    verdict = grading.grade(challenge, learner())
    assert verdict.status == "pass", verdict.to_dict()
    assert verdict.tests and all(t.status == "pass" for t in verdict.tests)
    assert all(t.description for t in verdict.tests)


def test_each_grading_runs_pytest_from_a_copy_of_the_readied_configuration(challenge, learner):
    """The grader readies pytest's configuration once; each grading child parses its own arguments into
    its copy (forked), so the grader's stays as it was made, and a second grading gets the same verdict."""
    from gradrill.core.grading import harness

    verdicts = [grading.grade(challenge, learner()), grading.grade(challenge, learner())]
    ready = harness._pristine_config
    assert ready is not None
    assert ready.invocation_params.args == harness.PYTEST_FLAGS and not ready.args  # never parsed here
    assert ready.pluginmanager.is_blocked("cacheprovider")  # "-p no:..." taken before its plugins were loaded
    first, second = ([(t.name, t.status, t.message) for t in v.tests] for v in verdicts)
    assert first == second and verdicts[0].passed


def test_a_mistake_fails_with_a_message_naming_it(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "self.grad = 1.0 * out.grad"))
    verdict = grading.grade(challenge, path)
    assert verdict.status == "fail"
    failed = {t.name: t for t in verdict.tests if t.status == "fail"}
    assert "test_gradients_accumulate" in failed
    message = failed["test_gradients_accumulate"].message
    assert "a.grad is 1.0" in message and "expected 6.0" in message and "+=" in message


def test_results_json_has_the_v3_shape(challenge, learner):
    data = grading.grade(challenge, learner()).to_dict()
    assert data["version"] == 3 and data["status"] == "pass"
    for test in data["tests"]:
        assert {"name", "status", "message", "output", "task_id"} <= set(test)
    json.dumps(data)


def test_a_syntax_error_is_an_error_naming_the_line(challenge, learner):
    verdict = grading.grade(challenge, learner("class Value:\n    def __init__(self, data)\n        pass\n"))
    assert verdict.status == "error" and verdict.reason == "syntax"
    assert "line 2" in verdict.message and "add-backward.py" in verdict.message
    assert "/" not in verdict.message.split("File")[-1].split(",")[0]  # the name, not the full path


def test_an_import_error_is_trimmed_to_the_learners_file(challenge, learner):
    verdict = grading.grade(challenge, learner(append="\nx = undefined_name + 1\n"))
    assert verdict.status == "error" and verdict.reason == "import"
    assert "NameError" in verdict.message and "undefined_name" in verdict.message
    assert "_pytest" not in verdict.message and "harness" not in verdict.message


def test_an_exception_in_a_check_shows_the_learners_lines(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "self.grad += 1.0 * out.gradd"))
    verdict = grading.grade(challenge, path)
    assert verdict.status == "fail"
    first = verdict.first_failure
    assert first.status == "error"
    assert "AttributeError" in first.message and "gradd" in first.message
    assert "add-backward.py, line" in first.message and "in _backward" in first.message
    assert "site-packages" not in first.message


def test_an_infinite_loop_at_import_times_out(challenge, learner):
    # how soon after the limit it stops is measured in benchmarks/, never asserted here
    verdict = grading.grade(challenge, learner(append="\nwhile True:\n    pass\n"), Limits(timeout=1.5))
    assert verdict.status == "error" and verdict.reason == "timeout"
    assert "time limit" in verdict.message and "while loading your file" in verdict.message


def test_an_infinite_loop_in_a_check_names_the_check(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "while True: pass"))
    verdict = grading.grade(challenge, path, Limits(timeout=1.5, grader_timeout=30))
    assert verdict.status == "error" and verdict.reason == "timeout"
    assert "in check 'test_grads_reach_both_inputs'" in verdict.message
    assert any(t.status == "pass" for t in verdict.tests)  # checks that finished before keep their result


def test_sys_exit_at_import(challenge, learner):
    verdict = grading.grade(challenge, learner(append="\nimport sys\nsys.exit(0)\n"))
    assert verdict.status == "error" and verdict.reason == "exit"
    assert "sys.exit(0)" in verdict.message


def test_sys_exit_in_a_check_fails_that_check(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "import sys; sys.exit(3)"))
    verdict = grading.grade(challenge, path)
    assert verdict.status == "fail"
    assert "sys.exit(3)" in verdict.first_failure.message


def test_a_breakpoint_left_in_the_file_is_named_not_a_debugger_quitting(challenge, learner):
    at_import = grading.grade(challenge, learner(append="\nbreakpoint()\n"))
    assert at_import.status == "error" and at_import.reason == "import"
    assert "breakpoint() was called" in at_import.message and "BdbQuit" not in at_import.message
    in_a_check = grading.grade(challenge, learner(replace=("self.grad += 1.0 * out.grad",
                                                           "breakpoint(); self.grad += 1.0 * out.grad")))
    assert in_a_check.status == "fail"
    message = in_a_check.first_failure.message
    assert "breakpoint() was called" in message and "remove it" in message and "stdin" not in message


def test_os_exit_in_a_check_is_reported(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "import os; os._exit(0)"))
    verdict = grading.grade(challenge, path)
    assert verdict.status == "error" and verdict.reason == "exit"
    assert "ended the process" in verdict.message and "test_grads_reach_both_inputs" in verdict.message


def test_memory_is_capped(challenge, learner):
    verdict = grading.grade(challenge, learner(append="\nhog = bytearray(8 * 1024 ** 3)\n"),
                            Limits(timeout=60, memory_mb=256))
    assert verdict.status == "error" and verdict.reason == "memory"
    assert "memory limit" in verdict.message


def test_an_output_flood_is_cut_short(challenge, learner):
    verdict = grading.grade(challenge, learner(append="\nwhile True:\n    print('spam' * 100)\n"),
                            Limits(timeout=60, output_bytes=64 * 1024))
    assert verdict.status == "error" and verdict.reason == "output"
    assert "output limit" in verdict.message


def test_output_in_a_check_is_captured_and_truncated(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "print('x' * 5000); self.grad += 1.0 * out.grad"))
    verdict = grading.grade(challenge, path)
    outputs = [t.output for t in verdict.tests if t.output]
    assert outputs and all(len(o) < 2200 and "more characters cut" in o for o in outputs)


def test_printing_a_fake_verdict_does_not_pass(challenge, learner):
    fake = json.dumps({"event": "done", "exit_code": 0, "nonce": "0" * 32})
    checks = [{"event": "check", "name": f"test_{i}", "status": "pass"} for i in range(6)]
    path = learner(replace=("self.grad += 1.0 * out.grad", "self.grad = 0"), append=f"""
        import os, sys
        for line in {[json.dumps(c) for c in checks] + [fake]!r}:
            print(line); sys.stderr.write(line + "\\n")
            for fd in (1, 2):
                os.write(fd, (line + "\\n").encode())
        print("6/6 checks passed")
    """)
    verdict = grading.grade(challenge, path)
    assert verdict.status == "fail"
    assert not any(t.name.startswith("test_") and t.name[5:].isdigit() for t in verdict.tests)


def test_a_crash_is_reported(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "import ctypes; ctypes.string_at(0)"))
    verdict = grading.grade(challenge, path)
    assert verdict.status == "error" and verdict.reason == "crash"
    assert "segmentation fault" in verdict.message


def test_a_recursion_bomb_gets_a_clear_message(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "self.__add__(other)._backward()"))
    verdict = grading.grade(challenge, path)
    assert verdict.status == "fail"
    assert "RecursionError" in verdict.first_failure.message


def test_a_missing_file(challenge, tmp_path):
    verdict = grading.grade(challenge, tmp_path / "nope.py")
    assert verdict.status == "error" and verdict.reason == "missing"


def test_learner_code_runs_in_a_scratch_directory(challenge, learner, tmp_path):
    path = learner(append="\nopen('litter.txt', 'w').write('x')\n")
    assert grading.grade(challenge, path).passed
    assert not (tmp_path / "litter.txt").exists() and not Path("litter.txt").exists()


def test_the_warm_worker_grades_again_and_again_and_survives_abuse(challenge, learner, tmp_path):
    good = learner()
    bad = tmp_path / "bad.py"
    bad.write_text(challenge.solution.replace("self.grad += 1.0 * out.grad", "import os; os._exit(1)"))
    loop = tmp_path / "loop.py"
    loop.write_text("while True:\n    pass\n")
    with grading.WarmGrader() as warm:
        assert warm.grade(challenge, good).passed
        assert warm.grade(challenge, bad).reason == "exit"
        assert warm.grade(challenge, loop, Limits(timeout=1)).reason == "timeout"
        again = warm.grade(challenge, good)
        assert again.passed and len(again.tests) == len(grading.grade(challenge, good).tests)


def test_close_with_a_timeout_kills_a_busy_worker(challenge, tmp_path):
    import threading

    loop = tmp_path / "loop.py"
    loop.write_text("while True:\n    pass\n")
    warm = grading.WarmGrader()
    warm.start()
    verdicts = []
    thread = threading.Thread(target=lambda: verdicts.append(warm.grade(challenge, loop, Limits(timeout=600))))
    thread.start()
    # the grading is under way once its thread holds the worker (close would otherwise be polite)
    deadline = time.monotonic() + 60
    while not warm._lock.locked() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert warm._lock.locked()
    warm.close(timeout=0.2)  # the loop would run for 600 s: close must not wait for it
    thread.join(120)
    assert not thread.is_alive() and verdicts and verdicts[0].status == "error"


def test_a_runaway_recursion_traceback_is_folded(challenge, learner):
    path = learner(replace=("self.grad += 1.0 * out.grad", "(self + other)._backward()"))
    message = grading.grade(challenge, path).first_failure.message
    assert "RecursionError" in message
    assert "repeated" in message and message.count("\n") < 30


def test_a_conftest_above_the_checks_is_never_loaded(challenge, tmp_path):
    """The checks get their fixtures from the grader alone: a conftest.py in a folder above a
    challenge (here one whose `learner` fixture would shadow the grader's) changes nothing."""
    import shutil

    root = tmp_path / "above"
    shutil.copytree(challenge.folder, root / "catalog" / challenge.id, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "conftest.py").write_text("import pytest\n\n@pytest.fixture\ndef learner():\n    raise RuntimeError('a stray conftest')\n")
    moved = dataclasses.replace(challenge, folder=root / "catalog" / challenge.id)
    assert grading.grade(moved, moved.solution_path).passed


def test_the_folders_above_the_checks_are_never_collected(challenge, tmp_path):
    """pytest collects only the checks' own folder: a package above it (an `__init__.py` that
    raises when imported) changes nothing, and no grading lists the folders above (all of /tmp,
    or site-packages, which made every grading there up to three times slower)."""
    import shutil

    root = tmp_path / "above"
    shutil.copytree(challenge.folder, root / "catalog" / challenge.id, ignore=shutil.ignore_patterns("__pycache__"))
    for folder in (root, root / "catalog"):
        (folder / "__init__.py").write_text("raise RuntimeError('a package above the checks was imported')\n")
    moved = dataclasses.replace(challenge, folder=root / "catalog" / challenge.id)
    verdict = grading.grade(moved, moved.solution_path)
    assert verdict.passed, [t.message for t in verdict.tests]


class _Finalized:
    """Garbage in a reference cycle: collecting it appends the collecting process's id to ``log``."""

    def __init__(self, log: Path):
        self.log, self.me = log, self

    def __del__(self):
        with open(self.log, "a") as f:
            f.write(f"{os.getpid()}\n")


def test_the_child_leaves_the_graders_objects_alone_and_finds_the_values_made_at_import(challenge, tmp_path):
    """The grading child freezes what it inherits: it never collects the grader's garbage (whose
    finalizers would run twice, once in the child) and never walks the grader's heap (which would
    read and copy every page of it), yet finds the Values the learner's import made: they keep the
    hash they were stored under, and new Values are numbered from 1."""
    import gc
    import shutil

    folder = tmp_path / "catalog" / challenge.id
    shutil.copytree(challenge.folder, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "checks.py").write_text(textwrap.dedent("""\
        from gradrill.checks.basics import need


        def test_values_made_at_import_keep_their_hash(learner):
            Value = need(learner, "Value")
            assert hash(learner.EARLY) == learner.EARLY_HASH and learner.EARLY in learner.EARLY_SET
            assert hash(Value(1.0)) == 1
    """))
    moved = dataclasses.replace(challenge, folder=folder)
    path = tmp_path / "add-backward.py"
    path.write_text(challenge.solution + "\nEARLY = Value(2.0)\nEARLY_SET = {EARLY}\nEARLY_HASH = hash(EARLY)\n")
    log = tmp_path / "finalized.txt"
    gc.collect()
    gc.disable()  # the cycle is still uncollected garbage when the grader forks
    try:
        _Finalized(log)
        verdict = grading.grade(moved, path)
    finally:
        gc.enable()
    gc.collect()
    assert verdict.passed, verdict.to_dict()
    assert log.read_text() == f"{os.getpid()}\n"  # finalized once, by the grader


def test_a_slow_needs_earlier_check_waits_for_the_others(tmp_path):
    """A check that trains a network does not run after an earlier failure (it would fail too, slowly)."""
    moons = load_catalog(strict=False).get("max-margin-moons")
    wrong = next(m for m in moons.mutants if m.name == "wrong_sign")
    path = tmp_path / moons.file_name
    path.write_text(wrong.source)
    verdict = grading.grade(moons, path)
    assert verdict.status == "fail"
    last = verdict.tests[-1]
    assert last.name == "test_reaches_full_accuracy" and last.status == "skip"
    assert last.message.startswith("not run: test_loss_value fails") and "1 not run yet" in verdict.summary
    assert "optional" not in verdict.summary


def test_a_speedrun_bundle_drops_needs_earlier(tmp_path):
    """In a bundle the split logic skips after a failure itself; the check's own skip would read as optional."""
    from gradrill.checks.bundle import expose

    final = load_catalog(strict=False).get("final-checkpoint")
    namespace: dict = {}
    expose(namespace, [(str(final.checks_path), final.id, "test_engine_trains_moons", 1, 60.0)])
    (check,) = namespace.values()
    assert [m.name for m in check.pytestmark] == ["task"]
