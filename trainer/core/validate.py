"""Prove each challenge's checks: the solution passes, the starter fails, every mutant fails
(with a message that contains the phrase its metadata expects, naming the mistake). And the
words: a prompt or hint whose Markdown would eat characters (``x**n`` or ``__init__`` outside
backticks render as emphasis) is flagged, as a probe of role ``text``."""

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


def markdown_problems(text: str) -> list[str]:
    """Emphasis that Markdown (CommonMark, as rich and Textual render it) would make of code:
    ``_``/``__`` delimiters (``__init__`` renders as a bold *init*), and ``*``/``**`` inside a
    word or an expression (``x**n is n * x**(n-1)``). Prose emphasis (``**Checked:**``) is fine."""
    from markdown_it import MarkdownIt

    problems = []
    for block in MarkdownIt("commonmark").parse(text):
        kids = block.children if block.type == "inline" else None
        for i, tok in enumerate(kids or ()):
            if tok.type not in ("em_open", "strong_open"):
                continue
            close, depth, j = tok.type.replace("_open", "_close"), 0, i
            for j in range(i, len(kids)):
                depth += (kids[j].type == tok.type) - (kids[j].type == close)
                if depth == 0:
                    break
            inner = "".join(k.content for k in kids[i + 1:j] if k.type in ("text", "code_inline"))
            before = kids[i - 1].content[-1:] if i > 0 and kids[i - 1].type == "text" else ""
            after = kids[j + 1].content[:1] if j + 1 < len(kids) and kids[j + 1].type == "text" else ""
            inside = bool(before) and (before.isalnum() or before in ")]") or \
                bool(after) and (after.isalnum() or after in "([")
            if tok.markup.startswith("_") or inside:
                shown = f"{tok.markup}{inner}{tok.markup}"
                problems.append(f"Markdown eats characters: {shown!r} renders as emphasis {inner!r}; "
                                f"put code in backticks")
    return problems


def text_probes(challenge: Challenge) -> list[Probe]:
    """One failing ``text`` probe per prompt or hint whose Markdown eats characters."""
    probes = []
    path = challenge.folder / "challenge.toml"
    texts = [("prompt", challenge.prompt)] + [(f"hint {n}", h) for n, h in enumerate(challenge.hints, 1)]
    for name, text in texts:
        for problem in markdown_problems(text or ""):
            probes.append(Probe("text", name, path, False, Verdict("error"), problem))
    return probes


def validate_challenge(challenge: Challenge) -> ChallengeReport:
    """Grade the solution, the starter and every mutant, each as the learner's file would be: the
    expanded text (given code included) under the challenge's file name, in a scratch folder."""
    report = ChallengeReport(challenge)
    report.probes.extend(text_probes(challenge))
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
