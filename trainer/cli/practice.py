"""The practice commands: today, stats, export, import, reset."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..core.text import fmt_due, fmt_seconds, plural, sparkline
from ..rendering import forecast_chart, heatmap_text, streak_text, totals_text
from ..core import clock, days, practice, stats
from ..core import settings as settings_mod
from ..core.store import EXPORT_VERSION, ImportFormatError
from ..core.workspace import atomic_write
from . import EXIT_OK, Context, UsageError, challenge_argument, esc, minutes, print_json
from .quiz import quiz_table

RESULT_MARK = {"pass": ("✓", "green"), "gave_up": ("✗", "red"), "fail": ("✗", "red")}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "today", help="today's practice queue: due reviews, then new challenges",
        description="Today's queue: due reviews first (most overdue first), then new challenges in "
                    "curriculum order whose prerequisites are passed (at most new_per_day), up to a time "
                    "budget; related drills are spaced apart. The queue is built on the day's first call and "
                    "stays the same all day: leave and resume any time. An item is done when its drill is "
                    "passed or given up. Settings: [practice] daily_minutes, new_per_day in settings.toml.")
    p.add_argument("--minutes", type=minutes, metavar="N",
                   help="time budget in minutes (default: settings, 20); more than today's budget tops the queue up")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_today)

    p = sub.add_parser(
        "stats", help="streak, calendar, personal bests, pass rates, reviews ahead",
        description="A day extends your streak when its queue is done, or when you finish at least "
                    "streak_min_drills drills (default 3) that day. A day that asked nothing of you (nothing "
                    "due, nothing new) does not break it, and today only counts once it is done.")
    challenge_argument(p, nargs="?", help="one challenge in detail")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("export", help="all your progress as JSON (to FILE, or to standard output)",
                       description="All your progress (attempts, gradings, reviews, daily queues) as one JSON "
                                   "document, to move machines or keep a backup. The format: "
                                   "docs/progress-format.md.")
    p.add_argument("file", nargs="?", metavar="FILE", help="where to write it (default: standard output)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", help="merge progress exported by `gradrill export` (never duplicates)",
                       description="Merge progress exported by `gradrill export` into this home, in one "
                                   "transaction: attempts already here are skipped, never doubled; review "
                                   "schedules are recomputed from the merged history.")
    p.add_argument("file", metavar="FILE", help="an export file (- for standard input)")
    p.add_argument("--json", action="store_true", help="print what was imported as JSON")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("reset", help="start afresh: your progress database is moved aside, not deleted",
                       description="Start afresh: your progress database is renamed aside (kept, not deleted) "
                                   "and a new one started. Your files in the workspace stay as they are.")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_reset)


def _settings(ctx: Context) -> settings_mod.Settings:
    s = settings_mod.load()
    for problem in s.problems:
        ctx.err.print(f"[yellow]warning:[/] {problem}", highlight=False)
    return s


def _print_json(data) -> None:
    print_json(data)


fmt = fmt_seconds


# -- today ---------------------------------------------------------------------------------


def cmd_today(ctx: Context) -> int:
    settings = _settings(ctx)
    t = practice.today(ctx.store, ctx.catalog, minutes=ctx.args.minutes, settings=settings)
    st = days.streak(ctx.store, ctx.catalog, t.day, settings)
    if ctx.args.json:
        data = t.to_dict()
        data["streak"] = st.to_dict()
        _print_json(data)
        return EXIT_OK
    console = ctx.console
    head = Text.assemble(("Today", "bold"), (f" · {t.day.strftime('%a %d %b %Y')}   ", "dim"), streak_text(st))
    console.print(head)
    if not t.items:
        console.print("Nothing is due and nothing new is open today: a rest day. "
                      "[dim](Any drill still counts: gradrill list)[/]")
        return EXIT_OK
    console.print(f"[dim]budget[/] {fmt(t.budget_s)}  [dim]planned[/] {fmt(t.estimate_s)}  "
                  f"[dim]left[/] {fmt(t.remaining_s)}  [dim]·[/] {t.done_count} of {len(t.items)} done")
    table = Table(expand=False, show_edge=False, pad_edge=False, box=None, padding=(0, 1), header_style="dim")
    id_width = max(len(i.key) for i in t.items)
    fixed = 2 + 1 + id_width + 6 + 5 + 2 * 5  # '#', mark, id, kind, est and the padding between columns
    table.add_column("#", justify="right", style="dim", no_wrap=True, width=2)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("id", style="cyan", no_wrap=True, width=id_width)
    table.add_column("kind", no_wrap=True, width=6)
    table.add_column("est", justify="right", no_wrap=True, width=5)
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=max(12, console.width - fixed - 1))
    nxt = t.next
    for item in t.items:
        mark, style = RESULT_MARK.get(item.result or "", ("›" if nxt and item.key == nxt.key else "·",
                                                          "bold yellow" if nxt and item.key == nxt.key else "dim"))
        kind = Text("review", "magenta") if item.kind == "review" else Text("new", "green")
        note = ""
        if item.done:
            note = {"pass": "passed", "fail": "missed: back tomorrow"}.get(item.result, "gave up: back tomorrow")
        elif item.challenge is None and not item.quiz_family:
            note = "no longer in the catalog"
        elif item.waiting_for:
            note = "after " + ", ".join(item.waiting_for)
        elif item.kind == "review" and item.overdue_days:
            note = f"overdue {item.overdue_days}d"
        title = Text(item.title)
        if note:
            title = Text.assemble((f"({note}) ", "italic yellow" if item.waiting_for else "italic"), item.title)
        table.add_row(str(item.position + 1), Text(mark, style), item.key, kind, fmt(item.estimate_s), title,
                      style="dim" if item.done else "")
    console.print(table)
    if t.complete:
        console.print("[bold green]Today's session is done ✓[/] [dim]More? gradrill today --minutes "
                      f"{t.budget_s // 60 + 10}[/]")
    elif nxt and nxt.quiz_family:
        console.print(f"[dim]Next:[/] gradrill quiz {nxt.quiz_family}")
    elif nxt:
        console.print(f"[dim]Next:[/] gradrill start {nxt.key}[dim], then[/] gradrill check {nxt.key}")
    return EXIT_OK


# -- stats ---------------------------------------------------------------------------------


def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


# The columns of the challenge table; on a narrow terminal the optional ones go, in this order.
COLUMNS = ("id", "tries", "pass", "best", "last", "target", "trend", "next review", "every")
OPTIONAL = ("every", "target", "trend", "last", "tries")


def challenge_table(challenges, today, title: str | None = None, console: Console | None = None) -> Table:
    """Per challenge: tries, pass rate, best and last time, target, trend, next review, interval.
    With ``console``, columns are left out (least useful first) until the table fits its width."""
    shown = [c for c in challenges if c.attempts or c.state is not None]
    for n in range(len(OPTIONAL) + 1):
        table = _challenge_table(shown, today, title, skip=set(OPTIONAL[:n]))
        if console is None or console.measure(table, options=console.options.update_width(10_000)).maximum \
                <= console.width:
            break
    return table


def _challenge_table(challenges, today, title: str | None, skip: set[str]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", expand=False, box=None, padding=(0, 1),
                  header_style="dim")
    columns = {
        "id": dict(style="cyan", no_wrap=True), "tries": dict(justify="right"), "pass": dict(justify="right"),
        "best": dict(justify="right"), "last": dict(justify="right"), "target": dict(justify="right", style="dim"),
        "trend": dict(no_wrap=True), "next review": dict(no_wrap=True), "every": dict(justify="right", style="dim"),
    }
    names = [name for name in COLUMNS if name not in skip]
    for name in names:
        table.add_column(name, min_width=len(name), **columns[name])
    for c in challenges:
        best = Text(fmt(c.best_s), "bold green" if c.best_s is not None and c.target_s and c.best_s <= c.target_s else "")
        due = fmt_due(c.due, today)
        cells = {
            "id": Text(c.id), "tries": str(c.attempts), "pass": _rate(c.pass_rate), "best": best,
            "last": fmt(c.last_s), "target": fmt(c.target_s), "trend": Text(sparkline(c.times), "cyan"),
            "next review": Text(due, "yellow" if due.startswith(("overdue", "today")) else ""),
            "every": f"{c.interval_days:.0f}d" if c.interval_days else "-",
        }
        table.add_row(*(cells[name] for name in names))
    return table


def cmd_stats(ctx: Context) -> int:
    settings = _settings(ctx)
    ctx.store.attach_catalog(ctx.catalog)
    if ctx.args.id:
        return _stats_one(ctx, settings)
    s = stats.collect(ctx.store, ctx.catalog, settings=settings)
    if ctx.args.json:
        _print_json(s.to_dict())
        return EXIT_OK
    console = ctx.console
    console.print(streak_text(s.streak))
    console.print(Text(totals_text(s.totals), "dim"))
    weeks = max(4, min(26, (console.width - 8) // 2))  # sized to the terminal: a week is 2 columns
    console.print(Panel(heatmap_text(s.days, s.today, weeks), title=f"last {weeks} weeks", title_align="left",
                        border_style="dim", expand=False))
    if any(c.attempts for c in s.challenges):
        console.print(challenge_table(s.challenges, s.today, "Challenges", console))
        console.print("[dim]trend: time of each timed pass, oldest first (lower is faster)[/]")
    else:
        console.print("No attempts yet. Start with [bold]gradrill today[/].")
    ahead = s.forecast[:max(7, min(len(s.forecast), (console.width - 4) // 3))]  # a day is 3 columns
    console.print(Panel(forecast_chart(ahead, s.today), title=f"reviews due, next {len(ahead)} days",
                        title_align="left", border_style="dim", expand=False))
    if s.totals["quiz_problems"]:
        console.print(quiz_table(s.quiz, s.today))
    return EXIT_OK


def _stats_one(ctx: Context, settings) -> int:
    c = ctx.challenge(ctx.args.id)
    row = next(r for r in stats.challenge_stats(ctx.store, ctx.catalog) if r.id == c.id)
    attempts = ctx.store.attempts(c.id)
    reviews = ctx.store.reviews(c.id)
    today = clock.local_today()
    if ctx.args.json:
        data = row.to_dict()
        data["attempts_list"] = [{
            "id": a.id, "started_at": a.started_at.isoformat(), "ended_at": a.ended_at.isoformat() if a.ended_at else None,
            "status": a.status, "duration_seconds": a.duration_s, "hints": a.hints_used, "mode": a.mode,
        } for a in attempts]
        data["reviews"] = [{"at": r.reviewed_at.isoformat(), "rating": r.rating_name, "attempt": r.attempt_id,
                            "due_after": r.due_after.isoformat()} for r in reviews]
        _print_json(data)
        return EXIT_OK
    console = ctx.console
    console.print(f"[bold]{esc(c.title)}[/]  [dim]{esc(c.id)} · target {fmt(c.target_seconds)}[/]")
    console.print(f"{plural(row.attempts, 'attempt')} · pass rate {_rate(row.pass_rate)} · best {fmt(row.best_s)} · "
                  f"hints {row.hints}  [cyan]{sparkline(row.times, 30)}[/]")
    if row.state:
        console.print(f"[dim]card:[/] {row.state} · next review {fmt_due(row.due, today)} "
                      f"({row.due.astimezone().strftime('%a %d %b')}) · every {row.interval_days:.0f}d · "
                      f"stability {row.stability:.1f} · difficulty {row.difficulty:.1f} · "
                      f"{plural(row.reviews, 'review')}, {plural(row.lapses, 'lapse')}")
    else:
        console.print("[dim]Not learned yet: it joins your reviews when you first pass it or give up.[/]")
    if attempts:
        by_attempt = {r.attempt_id: r for r in reviews}
        table = Table(box=None, padding=(0, 1), header_style="dim")
        for col in ("when", "result", "time", "hints", "rating"):
            table.add_column(col, justify="right" if col in ("time", "hints") else "left")
        for a in attempts[-20:]:
            mark, style = RESULT_MARK.get(a.status, ("·", "dim"))
            rev = by_attempt.get(a.id)
            table.add_row(a.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                          Text(f"{mark} {a.status.replace('_', ' ')}", style), fmt(a.duration_s),
                          str(a.hints_used), rev.rating_name if rev else "")
        console.print(table)
    return EXIT_OK


# -- export / import / reset ---------------------------------------------------------------------


def cmd_export(ctx: Context) -> int:
    data = ctx.store.export_data()
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if not ctx.args.file or ctx.args.file == "-":
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(ctx.args.file).expanduser()
    atomic_write(path, text)
    ctx.console.print(f"Exported {len(data['attempts'])} attempts, {len(data['reviews'])} reviews and "
                      f"{len(data['sessions'])} daily sessions to [cyan]{esc(str(path))}[/] "
                      f"[dim](format {data['format']} v{EXPORT_VERSION})[/]")
    return EXIT_OK


def cmd_import(ctx: Context) -> int:
    name = ctx.args.file
    try:
        raw = sys.stdin.read() if name == "-" else Path(name).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{name} is not JSON ({exc})") from None
    try:
        report = ctx.store.import_data(data)
    except ImportFormatError as exc:
        raise UsageError(f"{name} cannot be imported: {exc}") from None
    if ctx.args.json:
        _print_json(report.to_dict())
        return EXIT_OK
    if report.nothing_new:
        ctx.console.print(f"Nothing new to import: all {report.duplicates} attempts are already here.")
        return EXIT_OK
    line = (f"Imported {report.attempts} attempts ({report.runs} gradings), {report.reviews} reviews and "
            f"{report.sessions} daily sessions" + (f", {report.speedrun_runs} speedruns." if report.speedrun_runs else "."))
    if report.duplicates:
        line += f" Skipped {report.duplicates} attempts already here."
    if report.reopened_as_abandoned:
        line += f" {report.reopened_as_abandoned} open attempts kept as abandoned (you have one open here)."
    if report.skipped_sessions:
        line += f" Kept this home's queue for {report.skipped_sessions} days present in both."
    ctx.console.print(line)
    return EXIT_OK


def cmd_reset(ctx: Context) -> int:
    store = ctx.store
    n = len(store.attempts())
    if not ctx.args.yes:
        from rich.prompt import Confirm

        if not Confirm.ask(f"Start afresh? Your {n} attempts, streak and review schedule go aside "
                           f"(the database is kept, renamed)", console=ctx.console, default=False):
            ctx.console.print("Nothing changed.")
            return EXIT_OK
    aside = store.reset()
    ctx.console.print(f"Started afresh. Your old progress is kept at [cyan]{esc(str(aside))}[/]")
    return EXIT_OK


__all__ = ["register", "cmd_today", "cmd_stats", "cmd_export", "cmd_import", "cmd_reset", "challenge_table"]
