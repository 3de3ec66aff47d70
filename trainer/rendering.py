"""Rich renderables shared by the CLI and the TUI (both draw with rich): the practice calendar,
the reviews ahead, the streak. The numbers come from ``gradrill.core.stats``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Sequence

from rich.text import Text

from .core.days import DayStat, Streak, heatmap_start
from .core.text import SPARK, fmt_seconds, plural

HEAT_COLOURS = ("#2d333b", "#0e4429", "#006d32", "#26a641", "#39d353")


HEAT_GLYPHS = ("░", "▒", "▓", "█")  # a completed day, by drills (levels 1-4): readable without colour
NO_DRILLS, STARTED = "·", "○"  # a day with no drills; one with drills that did not complete it


def heat_glyph(stat: DayStat) -> str:
    """One cell: ``·`` nothing, ``○`` started (not completed), ``░▒▓█`` completed, by drills."""
    if not stat.drills and not stat.complete:
        return NO_DRILLS
    if not stat.complete:
        return STARTED
    return HEAT_GLYPHS[max(0, stat.level - 1)]


def heatmap_text(days: Sequence[DayStat], today: date, weeks: int = 26) -> Text:
    """A GitHub-style calendar: a column per week (Monday on top), a cell per day. The glyph
    alone says what the day was (so it reads without colour: ``NO_COLOR``, a pipe): ``·`` no
    drills, ``○`` started but not completed, ``░ ▒ ▓ █`` completed with 1, 2-3, 4-5, 6+ drills;
    colour repeats the level."""
    start = heatmap_start(today, weeks)
    by_day = {d.day: d for d in days}
    text = Text()
    months = [" "] * (weeks * 2 + 2)
    for w in range(weeks):
        first = start + timedelta(weeks=w)
        previous = first - timedelta(weeks=1)
        if w == 0 and first.day > 14:  # too little of this month in view to name it
            continue
        if w == 0 or first.month != previous.month:
            label = first.strftime("%b")
            months[w * 2:w * 2 + len(label)] = list(label)
    text.append("    " + "".join(months).rstrip() + "\n", style="dim")
    for row in range(7):
        label = {0: "Mon", 2: "Wed", 4: "Fri", 6: "Sun"}.get(row, "")
        text.append(f"{label:<4}", style="dim")
        for w in range(weeks):
            d = start + timedelta(weeks=w, days=row)
            if d > today:
                text.append("  ")
                continue
            stat = by_day.get(d, DayStat(d))
            style = HEAT_COLOURS[stat.level] if stat.drills or stat.complete else "#484f58"
            if d == today:
                style += " underline"
            text.append(heat_glyph(stat), style=style)
            text.append(" ")
        text.append("\n")
    text.append(f"    {NO_DRILLS}", style="#484f58")
    text.append(" none  ", style="dim")
    text.append(STARTED, style=HEAT_COLOURS[1])
    text.append(" started  ", style="dim")
    for n, glyph in enumerate(HEAT_GLYPHS, 1):
        text.append(glyph, style=HEAT_COLOURS[n])
    text.append(" completed: 1, 2, 4, 6+ drills", style="dim")
    return text


def forecast_chart(points: Sequence[tuple[date, int]], today: date, height: int = 5) -> Text:
    """The same as ``forecast_text``, as columns: a bar per day, the count on top, the weekday
    and the day of the month below (about 3 characters a day)."""
    counts = [n for _, n in points]
    peak = max(counts, default=0)
    if not peak:
        return Text("No reviews due in the next days.", style="dim")
    eighths = [0 if not n else max(1, round(n / peak * height * 8)) for n in counts]
    text = Text()
    for row in range(height + 1, 0, -1):  # bottom row is 1; the top one is for the tallest bar's count
        for n, e in zip(counts, eighths):
            level = e - (row - 1) * 8
            if not n:
                text.append(" · " if row == 1 else "   ", style="dim")
            elif level >= 8:
                text.append(" █ ", style="cyan")
            elif level > 0:
                text.append(f" {SPARK[level - 1]} ", style="cyan")
            elif row == (e + 7) // 8 + 1:
                text.append(f"{n:^3}", style="bold")
            else:
                text.append("   ")
        text.append("\n")
    for d, _ in points:
        text.append(f"{d.strftime('%a')[:2]:^3}", style="bold" if d == today else "dim")
    text.append("\n")
    for d, _ in points:
        text.append(f"{d.day:^3}", style="bold" if d == today else "dim")
    return text


def totals_text(totals: dict) -> str:
    """``12 drills (10 passed) on 5 days, 0:42:10 of drilling; 8 of 31 challenges passed``."""
    return (f"{plural(totals['drills'], 'drill')} ({totals['passes']} passed) on "
            f"{plural(totals['active_days'], 'day')}, {fmt_seconds(totals['seconds'])} of drilling; "
            f"{totals['challenges_passed']} of {plural(totals['challenges'], 'challenge')} passed")


def streak_text(s: Streak) -> Text:
    """``streak 3 days  ·  longest 5  ·  today not counted yet`` (the word "streak" is in it:
    callers do not label it again)."""
    text = Text()
    if s.current:
        text.append(f"streak {plural(s.current, 'day')}", style="bold yellow")
    else:
        text.append("no streak yet", style="bold")
    text.append(f"  ·  longest {s.longest}", style="dim")
    if s.today_complete:
        text.append("  ·  today counts ✓", style="green")
    else:
        text.append("  ·  today not counted yet", style="dim")
    return text
