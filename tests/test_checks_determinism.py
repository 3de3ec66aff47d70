"""One file, one verdict: order-sensitive wrong answers get the same verdict (and messages) in
every run, whatever the hash seed or the addresses their Values land at.

Each run is a fresh interpreter with its own PYTHONHASHSEED that allocates a different amount
of garbage before grading (``repeat_grading.py``), so a check whose outcome followed the order
in which a set of Values is visited (their addresses) would flip between runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gradrill.core.catalog import load_catalog

CATALOG = load_catalog(strict=False)
HERE = Path(__file__).parent
CORPUS = HERE / "fixtures" / "corpus"
# three runs in the everyday suite (each a different hash seed and heap layout); ten with GRADRILL_STRESS=1
RUNS = 10 if os.environ.get("GRADRILL_STRESS") else 3
# the training challenges: seconds per grading; graded only with GRADRILL_STRESS=1
HEAVY = {"adamw", "final-checkpoint", "max-margin-moons", "training-blank", "training-loop"}

# `+=` -> `=` in the closure of __add__ or __mul__ (both of its lines): wrong only when a node gets gradient
# from two places, so whether a check sees it depends on the order the nodes' closures run in.
CLOSURE = re.compile(r"(    def (__add__|__mul__)\(self, other\):.*?def _backward\(\):\n)(.*?)(\n        out\._backward)",
                     re.S)


def assign_variants(source: str, given: str = "") -> dict[str, str]:
    """``+=`` -> ``=`` in each closure the learner writes (one whose body ``given``, the starter, does
    not already hold word for word: a mistake in code handed to the learner is not theirs to make)."""
    out = {}
    for m in CLOSURE.finditer(source):
        if given and "def _backward():\n" + m.group(3) + m.group(4) in given:
            continue
        body = m.group(3).replace("self.grad +=", "self.grad =").replace("other.grad +=", "other.grad =")
        if body != m.group(3):
            out[f"{m.group(2).strip('_')}_assigns"] = source[:m.start(3)] + body + source[m.end(3):]
    return out


def order_sensitive_cases(tmp: Path, heavy: bool = False) -> list[tuple[str, str]]:
    cases = []
    for c in CATALOG:
        if c.id in HEAVY and not heavy:
            continue
        for name, text in assign_variants(c.solution, c.starter).items():
            path = tmp / c.id / name / c.file_name
            path.parent.mkdir(parents=True)
            path.write_text(text)
            cases.append((c.id, str(path)))
        for m in c.mutants:
            if re.search(r"visited|assign|revers|order|twice", m.name):
                path = tmp / c.id / f"mutant-{m.name}" / c.file_name
                path.parent.mkdir(parents=True)
                path.write_text(m.source)
                cases.append((c.id, str(path)))
    for path in sorted(CORPUS.glob("*/*.py")):
        if path.parent.name not in HEAVY or heavy:
            cases.append((path.parent.name, str(path)))
    return cases


def grade_repeatedly(cases: list[tuple[str, str]], runs: int, tmp: Path) -> list[list]:
    """The verdicts of every case, in each of ``runs`` fresh interpreters (two at a time)."""
    listing = tmp / "cases.json"
    listing.write_text(json.dumps(cases))

    def one(k: int) -> list:
        env = dict(os.environ, PYTHONHASHSEED=str(1000 + 7919 * k))
        done = subprocess.run([sys.executable, str(HERE / "repeat_grading.py"), str(listing), str(k * 997)],
                              capture_output=True, text=True, env=env, timeout=3600)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(one, range(runs)))


def test_assign_variants_are_generated():
    """The generator finds both closures in a solution that has them (so the determinism test grades something)."""
    variants = assign_variants(CATALOG.get("div-neg-sub").solution)
    assert set(variants) == {"add_assigns", "mul_assigns"}
    assert "self.grad = 1.0 * out.grad" in variants["add_assigns"] or "self.grad = out.grad" in variants["add_assigns"]


@pytest.mark.slow
def test_order_sensitive_answers_get_one_verdict(tmp_path):
    cases = order_sensitive_cases(tmp_path, heavy=bool(os.environ.get("GRADRILL_STRESS")))
    assert len(cases) >= 40
    runs = grade_repeatedly(cases, RUNS, tmp_path)
    flips, unknown = [], []
    for i, (challenge_id, path) in enumerate(cases):
        seen = {json.dumps(run[i]) for run in runs if run[i][0] != "timeout"}
        if not seen:
            unknown.append(f"{challenge_id} {Path(path).parent.name}")
        if len(seen) > 1:
            statuses = [run[i][0] for run in runs]
            flips.append(f"{challenge_id} {Path(path).parent.name}: {statuses}")
    assert not flips, "verdicts that changed between runs:\n" + "\n".join(flips)
    assert not unknown, "out of time in every run (a machine too busy to tell):\n" + "\n".join(unknown)
    # the wrong answers among them fail (the right corpus files pass)
    wrong = [i for i, (_, path) in enumerate(cases) if "corpus" not in path]
    survivors = [f"{cases[i][0]} {Path(cases[i][1]).parent.name}" for i in wrong if runs[0][i][0] == "pass"]
    assert not survivors, "order-sensitive mistakes that pass:\n" + "\n".join(survivors)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("GRADRILL_STRESS"), reason="set GRADRILL_STRESS=1: grades every hand-written "
                    "mutant 20 times (many minutes)")
def test_every_hand_written_mutant_fails_every_time(tmp_path):
    """Each hand-written mutant fails in each of 20 runs, each with its own hash seed and heap layout."""
    cases = []
    for c in CATALOG:
        for m in c.mutants:
            path = tmp_path / c.id / m.name / c.file_name
            path.parent.mkdir(parents=True)
            path.write_text(m.source)
            cases.append((c.id, str(path)))
    runs = grade_repeatedly(cases, 20, tmp_path)
    passed = [f"{c} {Path(p).parent.name}: run {k}" for k, run in enumerate(runs)
              for (c, p), r in zip(cases, run) if r[0] == "pass"]
    assert not passed, "hand-written mutants that passed a run:\n" + "\n".join(passed)
