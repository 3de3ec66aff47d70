"""Prove each challenge's checks: the solution passes, the starter fails, every mutant fails
(with a message that contains the phrase its metadata expects, naming the mistake)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import grading
from .catalog import Challenge, Mutant
from .results import Verdict


@dataclass
class Probe:
    role: str  # "solution", "starter", "mutant"
    name: str
    path: Path
    ok: bool
    verdict: Verdict
    problem: str = ""


@dataclass
class ChallengeReport:
    challenge: Challenge
    probes: list[Probe] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.probes) and all(p.ok for p in self.probes)

    @property
    def slowest_ms(self) -> float:
        return max((p.verdict.duration_ms for p in self.probes), default=0.0)


def _messages(verdict: Verdict) -> str:
    parts = [verdict.message or ""]
    parts += [t.message or "" for t in verdict.tests if t.status in ("fail", "error")]
    return "\n".join(parts)


def validate_challenge(challenge: Challenge) -> ChallengeReport:
    """Grade the solution, the starter and every mutant, each as the learner's file would be: the
    expanded text (given code included) under the challenge's file name, in a scratch folder."""
    report = ChallengeReport(challenge)
    scratch = Path(tempfile.mkdtemp(prefix="gradrill-validate-"))
    try:
        v = grading.grade(challenge, _write(scratch / "solution", challenge, challenge.solution))
        problem = "" if v.passed else f"the solution does not pass: {_first_problem(v)}"
        report.probes.append(Probe("solution", "solution.py", challenge.solution_path, v.passed, v, problem))

        v = grading.grade(challenge, _write(scratch / "starter", challenge, challenge.starter))
        problem = "the starter passes every check: the checks test nothing the learner has to write" if v.passed else ""
        report.probes.append(Probe("starter", "starter.py", challenge.starter_path, not v.passed, v, problem))

        if len(challenge.mutants) == 0:
            report.probes.append(Probe("mutant", "(none)", challenge.folder / "mutants", False,
                                       Verdict("error"), "no mutants: nothing proves the checks can fail"))
        for mutant in challenge.mutants:
            report.probes.append(_probe_mutant(challenge, mutant, scratch / "mutants"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return report


def _write(folder: Path, challenge: Challenge, text: str) -> Path:
    path = folder / challenge.file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _probe_mutant(challenge: Challenge, mutant: Mutant, scratch: Path) -> Probe:
    """Grade the mutant as the learner's file would be: under the challenge's file name."""
    v = grading.grade(challenge, _write(scratch / mutant.name, challenge, mutant.source))
    ok, problem = not v.passed, ""
    if v.passed:
        problem = f"passes every check, but it {mutant.mistake}"
    elif v.status == "error" and v.reason not in (None, "timeout"):
        ok, problem = False, f"errors out ({v.reason}: {v.message}) instead of failing a check"
    elif mutant.expect and mutant.expect.lower() not in _messages(v).lower():
        ok = False
        problem = f"fails, but no message contains {mutant.expect!r}: first failure says {_first_problem(v)!r}"
    return Probe("mutant", mutant.name, mutant.path, ok, v, problem)


def _first_problem(v: Verdict) -> str:
    if v.message:
        return v.message
    first = v.first_failure
    return f"{first.name}: {first.message}" if first else v.summary


def validate(challenges: Iterable[Challenge],
             progress: Callable[[ChallengeReport], None] | None = None) -> list[ChallengeReport]:
    reports = []
    for challenge in challenges:
        report = validate_challenge(challenge)
        reports.append(report)
        if progress:
            progress(report)
    return reports
