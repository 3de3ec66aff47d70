"""Small formatting helpers shared by the screens and widgets."""

from __future__ import annotations

from ..core.store import ChallengeProgress

# status -> (mark, words, style)
STATUS = {
    "new": ("○", "new", "dim"),
    "progress": ("◐", "in progress", "yellow"),
    "passed": ("✓", "passed", "green"),
    "gave_up": ("✗", "gave up", "red"),
}
CHECK_MARK = {"pass": ("✓", "green"), "fail": ("✗", "red"), "error": ("!", "red"), "skip": ("-", "dim")}


def status_of(progress: ChallengeProgress | None) -> str:
    if progress is None or progress.attempts == 0:
        return "new"
    if progress.passed:
        return "passed"
    if progress.open_attempt is not None:
        return "progress"
    return "gave_up"
