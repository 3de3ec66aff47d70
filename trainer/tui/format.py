"""Small formatting helpers shared by the screens and widgets."""

from __future__ import annotations

from pathlib import Path

from ..core.store import ChallengeProgress

# status -> (mark, words, style)
STATUS = {
    "new": ("○", "new", "dim"),
    "progress": ("◐", "in progress", "yellow"),
    "passed": ("✓", "passed", "green"),
    "gave_up": ("✗", "gave up", "red"),
}
CHECK_MARK = {"pass": ("✓", "green"), "fail": ("✗", "red"), "error": ("!", "red"), "skip": ("-", "dim")}


def fmt_seconds(seconds: float | None) -> str:
    """``1:05``, ``12:00``, ``1:02:03``; ``-`` for nothing."""
    if seconds is None:
        return "-"
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def fmt_delta(seconds: float) -> str:
    """``-0:08`` (faster) or ``+0:12`` (slower)."""
    sign = "-" if seconds < 0 else "+"
    return sign + fmt_seconds(abs(seconds))


def status_of(progress: ChallengeProgress | None) -> str:
    if progress is None or progress.attempts == 0:
        return "new"
    if progress.passed:
        return "passed"
    if progress.open_attempt is not None:
        return "progress"
    return "gave_up"


def display_path(path: Path) -> str:
    """The path with the home directory written as ``~``."""
    try:
        return "~/" + str(Path(path).relative_to(Path.home()))
    except ValueError:
        return str(path)
