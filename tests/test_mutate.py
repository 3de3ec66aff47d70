"""`gradrill validate --mutate`: the generated mutants of a solution, and the report of the ones
that survive (each named literally, with the [[equivalent]] table that would explain it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from gradrill.core.mutate import mutations

FIXTURE_CATALOG = Path(__file__).parent / "fixtures" / "catalog"

SOURCE = """\
def backward(out, self, other):
    self.grad += 1.0 * out.grad
    other.grad += out.data * out.grad
"""


def test_the_operators_a_learner_would_get_wrong():
    found = {(m.operator, m.after.strip()) for m in mutations(SOURCE)}
    assert ("augassign", "self.grad = 1.0 * out.grad") in found  # = instead of +=
    assert ("drop-factor", "self.grad += out.grad") in found  # a factor left out
    assert ("binop", "other.grad += out.data + out.grad") in found  # the wrong operator
    assert ("attribute", "other.grad += out.grad * out.grad") in found  # data and grad mixed up
    for m in mutations(SOURCE):
        compile(m.source, "<mutant>", "exec")  # every mutant still compiles
        assert m.source != SOURCE


def test_only_the_allowed_lines_are_mutated():
    assert {m.line for m in mutations(SOURCE, lines_allowed={3})} == {3}


def test_survivors_are_named_as_written_and_equivalents_explain_them(tmp_path):
    root = tmp_path / "challenges"
    shutil.copytree(FIXTURE_CATALOG, root, ignore=shutil.ignore_patterns("__pycache__"))
    meta = root / "add-backward" / "challenge.toml"
    text = meta.read_text(encoding="utf-8")
    assert "[[equivalent]]" not in text  # its two survivors unexplained
    env = dict(os.environ, GRADRILL_CHALLENGES=str(root), COLUMNS="200", NO_COLOR="1")

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "gradrill", "validate", "--mutate", "add-backward"],
                              capture_output=True, text=True, env=env, timeout=600)

    done = run()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "survivor add-backward: line" in done.stdout
    assert "`self.grad += 1.0 * out.grad` -> `self.grad += out.grad`" in done.stdout
    assert "list it under [[equivalent]] with the reason" in done.stdout  # not eaten as markup
    shipped = (Path(__file__).parents[1] / "challenges" / "add-backward" / "challenge.toml").read_text(encoding="utf-8")
    meta.write_text(text + "\n" + shipped[shipped.index("[[equivalent]]"):], encoding="utf-8")
    done = run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "killed or equivalent" in done.stdout
