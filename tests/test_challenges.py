"""Every shipped challenge is proven, and whole-library files pass what they define.

- validate: the solution passes, the starter fails, every mutant fails a check with a
  message containing its `expect` phrase (the mistake named).
- compat: Karpathy's own micrograd files and a lecture-style file pass every challenge
  whose `subject` they define.

These prove verdicts, not speed: each grading gets several times its challenge's time
limit, so a loaded machine cannot turn a slow pass into a timeout. Whether the solutions
fit the limits themselves is `gradrill validate`'s and benchmarks/' business.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import tempfile
from pathlib import Path

import pytest

from gradrill.core import grading
from gradrill.core.catalog import load_catalog, subject_holds
from gradrill.core.grading.sandbox import Limits
from gradrill.core.validate import validate_challenge

CATALOG = load_catalog(strict=False)
GENEROUS = 20  # times each challenge's own time limit: room for a machine 20 times oversubscribed
FIXTURES = Path(__file__).parent / "fixtures"
WHOLE_FILES = {
    "karpathy-engine": FIXTURES / "karpathy" / "engine.py",
    "karpathy-library": FIXTURES / "karpathy" / "library.py",
    "lecture-style": FIXTURES / "lecture_style.py",
    "final-canonical": FIXTURES / "final_canonical.py",
    # Karpathy's library (relu, no tanh) with the lecture's training loop: training-loop and training-blank too
    "karpathy-library-train": FIXTURES / "corpus" / "training-blank" / "karpathy_library.py",
}


def _reference_as_one_file() -> Path:
    """The whole reference (engine, nn, viz, losses, optim, train) as one learner file."""
    from gradrill import locations

    parts = []
    for name in ("engine", "nn", "viz", "losses", "optim", "train", "datasets"):
        source = (locations.reference_dir() / f"{name}.py").read_text()
        parts.append("\n".join(line for line in source.splitlines() if not line.startswith("from .")))
    path = Path(tempfile.mkdtemp(prefix="gradrill-ref-")) / "reference_whole.py"
    path.write_text("\n\n".join(parts))
    return path


WHOLE_FILES["reference"] = _reference_as_one_file()


def test_no_challenge_is_malformed():
    assert not CATALOG.errors, "\n".join(str(e) for e in CATALOG.errors)


def test_the_curriculum_is_big_enough():
    assert len(CATALOG) >= 6
    for c in CATALOG:
        assert len(c.hints) >= 3, f"{c.id}: {len(c.hints)} hints (a nudge to nearly the answer needs several)"
        assert len(c.mutants) >= 2, f"{c.id}: {len(c.mutants)} mutants"
        assert all(m.expect for m in c.mutants), f"{c.id}: a mutant without an `expect` phrase"


@pytest.mark.parametrize("challenge_id", [c.id for c in CATALOG])
def test_validate(challenge_id):
    challenge = CATALOG.get(challenge_id)
    report = validate_challenge(dataclasses.replace(challenge, timeout_seconds=challenge.timeout_seconds * GENEROUS))
    problems = [f"{p.role} {p.name}: {p.problem}" for p in report.probes if not p.ok]
    assert report.ok, "\n".join(problems)


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"whole_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _compat_cases():
    for name, path in WHOLE_FILES.items():
        if not path.is_file():
            continue
        module = _load(path)
        for c in CATALOG:
            if c.subject and subject_holds(module, c.subject):
                yield pytest.param(name, c.id, id=f"{name}-{c.id}")


@pytest.mark.parametrize("style,challenge_id", list(_compat_cases()))
def test_whole_library_files_pass_what_they_define(style, challenge_id):
    challenge = CATALOG.get(challenge_id)
    verdict = grading.grade(challenge, WHOLE_FILES[style], Limits(timeout=challenge.timeout_seconds * GENEROUS))
    failures = [f"{t.name}: {t.message}" for t in verdict.tests if t.status != "pass"]
    assert verdict.passed, f"{style} on {challenge_id}: {verdict.message or ''}\n" + "\n".join(failures)


def test_karpathys_engine_applies_to_the_engine_challenges():
    path = WHOLE_FILES["karpathy-engine"]
    if not path.is_file():
        pytest.skip("fixture not written yet")
    applicable = {c.id for c in CATALOG if c.subject and subject_holds(_load(path), c.subject)}
    assert {"add-backward"} <= applicable
