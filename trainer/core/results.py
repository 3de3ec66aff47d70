"""A grading verdict, shaped like Exercism's test-runner ``results.json`` (version 3).

``Verdict.to_dict()`` is that format (per check: ``name``, ``test_code``, ``status``,
``message``, ``output``, ``task_id``) plus a few fields of our own (``reason``,
``duration_ms``, ``challenge``, per-check ``description`` and ``duration_ms``).

v3 knows the statuses pass, fail and error only. A check that skipped itself (an optional
check whose subject the file does not define) is written as ``"status": "pass"`` with
``"skipped": true`` and the reason as its message, as Exercism's own Python runner counts
a skip; ``Verdict.from_dict`` reads it back as ``SKIP``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PASS, FAIL, ERROR, SKIP = "pass", "fail", "error", "skip"

# Why a run ended in "error" (or a check did not finish).
REASONS = {
    "syntax": "your file has a syntax error",
    "import": "your file raised an exception while it was being imported",
    "subject": "your file defines nothing this challenge is about",
    "timeout": "time limit exceeded",
    "cpu": "CPU time limit exceeded",
    "memory": "memory limit exceeded",
    "output": "output limit exceeded",
    "file": "file size limit exceeded",
    "signal": "a signal killed the checks",
    "crash": "the grading process crashed",
    "exit": "your code ended the process",
    "interrupted": "your code stopped the checks before they all ran",
    "missing": "no file to check",
    "overloaded": "gradrill was too slow to start the checks (is the machine overloaded?)",
    "cancelled": "cancelled",
    "internal": "gradrill itself failed",
}

# Reasons that say nothing about the learner's code: such a verdict is shown, never recorded.
NOT_THE_LEARNERS = frozenset({"overloaded", "cancelled", "internal", "missing"})

OUTPUT_LIMIT_CHARS = 2000


def truncate(text: str | None, limit: int = OUTPUT_LIMIT_CHARS) -> str | None:
    if not text:
        return None
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… [{len(text) - limit} more characters cut]"


@dataclass
class CheckResult:
    name: str
    status: str
    description: str = ""
    message: str | None = None
    output: str | None = None
    task_id: int | None = None
    duration_ms: float = 0.0
    test_code: str | None = None

    @property
    def title(self) -> str:
        return self.description or self.name.removeprefix("test_").replace("_", " ")


@dataclass
class Verdict:
    status: str
    tests: list[CheckResult] = field(default_factory=list)
    message: str | None = None
    reason: str | None = None
    output: str | None = None
    duration_ms: float = 0.0
    challenge: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == PASS

    @property
    def about_the_code(self) -> bool:
        """False when the checks could not judge the code (gradrill failed, was too slow, or was
        cancelled): such a verdict is neither a pass nor a fail of the learner's."""
        return not (self.status == ERROR and self.reason in NOT_THE_LEARNERS)

    @property
    def first_failure(self) -> CheckResult | None:
        return next((t for t in self.tests if t.status in (FAIL, ERROR)), None)

    def count(self, status: str) -> int:
        return sum(1 for t in self.tests if t.status == status)

    @property
    def summary(self) -> str:
        if self.status == ERROR:
            return f"error: {REASONS.get(self.reason or '', 'the checks could not finish')}"
        skipped = self.count(SKIP)
        waiting = sum(1 for t in self.tests if t.status == SKIP and (t.message or "").startswith("not run"))
        n = len(self.tests) - skipped
        text = f"{self.count(PASS)}/{n} checks passed"
        if waiting:  # left for later: they need the checks before them to pass
            text += f", {waiting} not run yet"
        if skipped - waiting:
            text += f", {skipped - waiting} optional skipped"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 3,
            "status": self.status,
            "message": self.message,
            "reason": self.reason,
            "challenge": self.challenge,
            "duration_ms": round(self.duration_ms, 1),
            "output": self.output,
            "tests": [_check_dict(t) for t in self.tests],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Verdict":
        tests = []
        for t in data.get("tests", []):
            check = CheckResult(**{k: v for k, v in t.items() if k in CheckResult.__dataclass_fields__})
            if t.get("skipped"):
                check.status = SKIP
            tests.append(check)
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and k != "tests"}
        return cls(tests=tests, **fields)

    def copy(self) -> "Verdict":
        return Verdict.from_dict(asdict(self))


def _check_dict(t: CheckResult) -> dict[str, Any]:
    data = {
        "name": t.name,
        "test_code": t.test_code,
        "description": t.description,
        "status": PASS if t.status == SKIP else t.status,
        "message": t.message,
        "output": t.output,
        "task_id": t.task_id,
        "duration_ms": round(t.duration_ms, 1),
    }
    if t.status == SKIP:
        data["skipped"] = True
    return data
