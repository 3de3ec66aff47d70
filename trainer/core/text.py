"""Small text helpers shared by the CLI and the TUI: times, deltas, plurals, paths.

One formatter for every time shown anywhere, so a drill, a stats table and a speedrun
split never disagree (``1:05``, ``12:00``, ``1:02:03``).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from . import clock


def fmt_seconds(seconds: float | None) -> str:
    """``1:05``, ``12:00``, ``1:02:03`` (whole seconds); ``-`` for nothing."""
    if seconds is None:
        return "-"
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def fmt_delta(seconds: float) -> str:
    """``-0:08`` (faster) or ``+0:12`` (slower), in whole seconds."""
    sign = "-" if seconds < 0 else "+"
    return sign + fmt_seconds(abs(seconds))


def fmt_ms(ms: float | None, decimals: int = 3) -> str:
    """A speedrun time to the millisecond: ``0:07.250``, ``12:00.000``, ``1:02:03.004``."""
    if ms is None:
        return "-"
    ms = max(0, int(round(ms)))
    whole, frac = divmod(ms, 1000)
    text = fmt_seconds(whole)
    if decimals <= 0:
        return text
    return f"{text}.{frac:03d}"[: len(text) + 1 + decimals]


def fmt_ms_delta(ms: float, decimals: int = 1) -> str:
    """``-4.2`` / ``+1:03.5``: a speedrun delta (seconds under a minute, then m:ss)."""
    sign = "-" if ms < 0 else "+"
    ms = abs(ms)
    if ms < 60_000:
        return f"{sign}{ms / 1000:.{decimals}f}"
    return sign + fmt_ms(ms, decimals)


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 attempt``, ``3 attempts``, ``0 attempts``."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def fmt_due(due: datetime | None, today: date) -> str:
    """``overdue 3d``, ``today``, ``tomorrow``, ``in 5d``: a due time against the learner's ``today``."""
    if due is None:
        return "-"
    d = clock.local_today(due if due.tzinfo else due.replace(tzinfo=timezone.utc))
    delta = (d - today).days
    if delta < 0:
        return f"overdue {-delta}d"
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    return f"in {delta}d"


def display_path(path: Path | str) -> str:
    """The path with the home directory written as ``~``."""
    try:
        return "~/" + str(Path(path).relative_to(Path.home()))
    except ValueError:
        return str(path)


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values, width: int = 12) -> str:
    """The last ``width`` values as unicode blocks, scaled from their min to their max."""
    values = list(values)[-width:]
    if not values:
        return ""
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return SPARK[3] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, int((v - low) / (high - low) * (len(SPARK) - 1) + 0.5))]
                   for v in values)
