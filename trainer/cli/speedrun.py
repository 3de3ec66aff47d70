"""``gradrill speedrun``: list, start, check, status, reset, history, export.

The CLI is one process per command, so each command picks the run up on wall time (see
``gradrill.core.speedrun.timing``); ``check`` stamps the file at its modification time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..core.speedrun import mode as mode_mod
from ..core.speedrun.categories import UnknownCategory
from ..core.speedrun.lss import to_lss
from ..core.speedrun.mode import RunProblem, Speedrun
from ..core.store import RunActive
from ..core.text import display_path, fmt_ms
from ..core.workspace import atomic_write
from ..rendering_speedrun import board_group, history_rows, history_table, run_state
from . import EXIT_ERROR, EXIT_FAIL, EXIT_OK, Context, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "speedrun", help="speedruns: write micrograd from a blank file against the clock, split by split",
        description="A category is a list of splits; each split is a set of hidden checks. Every check of the "
                    "run's file fires the splits that pass (and whose earlier splits pass), stamped with the time "
                    "the file was saved. The clock is real time from the start, and keeps running across restarts.")
    sp = p.add_subparsers(dest="speedrun_command", metavar="SUBCOMMAND", required=True)

    q = sp.add_parser("list", help="the categories, with your personal best and sum of best")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_list)

    q = sp.add_parser("start", help="start a run: a blank file, the clock from zero")
    q.add_argument("category")
    q.set_defaults(handler=cmd_start)

    q = sp.add_parser("check", help="check the run's file: fire the splits that pass; exit 0 once the run is finished")
    q.add_argument("file", nargs="?", help="the file to check (default: the run's file)")
    q.add_argument("--json", action="store_true", help="print the run's status as JSON")
    q.set_defaults(handler=cmd_check)

    q = sp.add_parser("status", help="the run under way: its splits, deltas and segments")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_status)

    q = sp.add_parser("reset", help="end the run under way (it counts as an attempt, with the splits it reached)")
    q.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    q.set_defaults(handler=cmd_reset)

    q = sp.add_parser("history", help="a category's runs: date, final time or how far it got, golds")
    q.add_argument("category")
    q.add_argument("--run", type=int, metavar="N", help="one run's splits table (its number in the history)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_history)

    q = sp.add_parser("export", help="a category's runs as LiveSplit splits (.lss)")
    q.add_argument("category")
    q.add_argument("--lss", metavar="FILE", required=True, help="where to write the .lss file")
    q.set_defaults(handler=cmd_export)


def _speedrun(ctx: Context) -> Speedrun:
    speedrun = mode_mod.load(ctx.store, ctx.workspace, ctx.catalog)
    for error in speedrun.categories.errors:
        ctx.err.print(f"[yellow]warning:[/] {error}", highlight=False, markup=False)
    return speedrun


def _category(speedrun: Speedrun, category_id: str):
    try:
        return speedrun.categories.get(category_id)
    except UnknownCategory as exc:
        raise UsageError(str(exc)) from None


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def status_json(speedrun: Speedrun) -> dict:
    run = speedrun.run
    if run is None:
        return {"active": False, "run": None}
    board = speedrun.board(run.category)
    return {
        "active": run.active, "category": run.category, "run": run.number, "file": run.file,
        "status": run.status, "started_at": run.started_at.isoformat(), "elapsed_ms": board.elapsed_ms,
        "final_ms": run.final_ms, "flags": sorted(run.flags),
        "splits": [{"name": r.name, "fired_at_ms": r.ms, "segment_ms": r.segment_ms, "merged": r.merged,
                    "pb_split_ms": r.pb_ms, "delta_ms": r.delta_ms, "best_segment_ms": r.best_segment_ms,
                    "gold": r.gold, "colour": r.colour} for r in board.rows],
        "pb_ms": board.pb_ms, "sum_of_best_ms": board.sum_of_best_ms, "best_possible_ms": board.best_possible_ms,
        "possible_time_save_ms": board.possible_save_ms,
        "attempts": {"started": board.attempts_started, "finished": board.attempts_finished},
    }


def _print_board(ctx: Context, speedrun: Speedrun) -> None:
    run = speedrun.run
    board = speedrun.board(run.category if run else None)
    title = f"{run.category} #{run.number} · {run_state(run)}"
    if run.active:
        title += f" · {fmt_ms(board.elapsed_ms, 1)} on the clock"
    if run.flags:
        title += " · the wall clock jumped back: this run does not count"
    ctx.console.print(Panel(board_group(board), title=title, title_align="left", expand=False, width=78))


# -- commands ---------------------------------------------------------------------------


def cmd_list(ctx: Context) -> int:
    speedrun = _speedrun(ctx)
    rows = []
    for c in speedrun.categories:
        board = speedrun.history(c.id).board(c.id, None)
        rows.append({"id": c.id, "title": c.title, "splits": list(c.split_names), "pb_ms": board.pb_ms,
                     "sum_of_best_ms": board.sum_of_best_ms,
                     "attempts": {"started": board.attempts_started, "finished": board.attempts_finished},
                     "summary": c.summary})
    if ctx.args.json:
        _print_json(rows)
        return EXIT_OK
    table = Table(title="speedrun categories", title_justify="left", title_style="bold")
    for col, kw in [("category", {"style": "cyan"}), ("splits", {"justify": "right"}), ("PB", {"justify": "right"}),
                    ("sum of best", {"justify": "right"}), ("runs", {"justify": "right"}), ("", {})]:
        table.add_column(col, **kw)
    for row in rows:
        table.add_row(row["id"], str(len(row["splits"])), fmt_ms(row["pb_ms"], 2), fmt_ms(row["sum_of_best_ms"], 2),
                      f"{row['attempts']['finished']}/{row['attempts']['started']}", row["summary"])
    ctx.console.print(table)
    ctx.console.print("[dim]Start one with[/] gradrill speedrun start CATEGORY")
    return EXIT_OK


def cmd_start(ctx: Context) -> int:
    speedrun = _speedrun(ctx)
    category = _category(speedrun, ctx.args.category)
    try:
        run = speedrun.start(category.id)
    except RunActive as exc:
        raise UsageError(str(exc)) from None
    ctx.console.print(f"[bold]{category.title}[/]: run #{run.number}, {len(category.splits)} splits. "
                      "The clock is running.")
    ctx.console.print(f"[dim]first split:[/] {category.splits[0].name}: {category.splits[0].prompt}",
                      highlight=False)
    ctx.console.print("Write this file, then run [bold]gradrill speedrun check[/] after each save:")
    ctx.console.print(run.file, highlight=False, soft_wrap=True)
    return EXIT_OK


def cmd_check(ctx: Context) -> int:
    speedrun = _speedrun(ctx)
    if speedrun.run is None:
        raise UsageError("no speedrun under way: start one with `gradrill speedrun start CATEGORY`")
    path = Path(ctx.args.file) if ctx.args.file else speedrun.run_path()
    try:
        save = speedrun.stamp_file(path)
    except RunProblem as exc:
        raise UsageError(str(exc)) from None
    with ctx.console.status("checking…") if not ctx.args.json else _nothing():
        verdict = speedrun.grade(save)
    try:
        outcome = speedrun.record(save, verdict)
    except RunProblem as exc:
        raise UsageError(str(exc)) from None
    if outcome is None:
        raise UsageError("the run was reset while its file was being checked")
    if ctx.args.json:
        _print_json(status_json(speedrun))
    else:
        _print_board(ctx, speedrun)
        names = [outcome.run.split_names[i] for i in outcome.changed]
        if names:
            ctx.console.print(f"[green]Split{'s' if len(names) > 1 else ''}:[/] {', '.join(names)} at "
                              f"{fmt_ms(save.ms, 2)} (your save)")
        if outcome.finished_now:
            ctx.console.print(f"[bold green]Finished in {fmt_ms(outcome.run.final_ms, 2)}.[/]")
        elif verdict.status == "error" and not verdict.tests:
            ctx.console.print(Panel(Text(verdict.message or "error", "red"), title=f"error ({verdict.reason})",
                                    title_align="left", border_style="red"))
        elif outcome.run.active and outcome.next_failure is not None:
            nxt = outcome.next_failure
            failure = nxt.first_failure
            body = Text(failure.message or failure.status if failure else "did not run")
            ctx.console.print(Panel(body, title=f"next split: {nxt.name} · {failure.title if failure else ''}",
                                    title_align="left", border_style="yellow"))
    return EXIT_OK if outcome.run.finished else EXIT_FAIL


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def cmd_status(ctx: Context) -> int:
    speedrun = _speedrun(ctx)
    if ctx.args.json:
        _print_json(status_json(speedrun))
        return EXIT_OK
    if speedrun.run is None:
        ctx.console.print("No speedrun under way. [dim]Start one with[/] gradrill speedrun start CATEGORY")
        return EXIT_OK
    _print_board(ctx, speedrun)
    ctx.console.print(f"[dim]your file:[/] {display_path(speedrun.run.file)}")
    return EXIT_OK


def cmd_reset(ctx: Context) -> int:
    speedrun = _speedrun(ctx)
    run = speedrun.run
    if run is None:
        raise UsageError("no speedrun under way")
    if not ctx.args.yes:
        if not sys.stdin.isatty():
            raise UsageError("reset needs confirmation: run it in a terminal, or pass --yes")
        from rich.prompt import Confirm

        if not Confirm.ask(f"Reset the {run.category} run #{run.number} ({run.reached} of {len(run.split_names)} "
                           "splits)? It counts as an attempt", console=ctx.console, default=False):
            ctx.console.print("Not reset. The clock is still running.")
            return EXIT_OK
    run = speedrun.reset()
    ctx.console.print(f"Reset: {run.category} run #{run.number}, {run_state(run)}. "
                      f"Your file stays at {display_path(run.file)}.")
    return EXIT_OK


def cmd_history(ctx: Context) -> int:
    speedrun = _speedrun(ctx)
    category = _category(speedrun, ctx.args.category)
    history = speedrun.history(category.id)
    if ctx.args.run is not None:
        run = next((r for r in history.runs if r.number == ctx.args.run), None)
        if run is None:
            raise UsageError(f"no run #{ctx.args.run} of {category.id}: the history has "
                             f"{', '.join('#' + str(r.number) for r in history.runs) or 'none'}")
        speedrun.show(run)
        if ctx.args.json:
            _print_json(status_json(speedrun))
        else:
            _print_board(ctx, speedrun)
        return EXIT_OK
    if ctx.args.json:
        _print_json([{k: v for k, v in row.items() if k != "result"} for row in history_rows(history)])
        return EXIT_OK
    if not history.runs:
        ctx.console.print(f"No {category.id} runs yet. [dim]Start one with[/] gradrill speedrun start {category.id}")
        return EXIT_OK
    ctx.console.print(Panel(history_table(history), title=f"{category.title}: {len(history.runs)} runs",
                            title_align="left", expand=False))
    return EXIT_OK


def cmd_export(ctx: Context) -> int:
    speedrun = _speedrun(ctx)
    category = _category(speedrun, ctx.args.category)
    target = Path(ctx.args.lss).expanduser()
    if target.is_dir():
        raise UsageError(f"{target} is a folder: give a file name, e.g. {target / (category.id + '.lss')}")
    try:
        atomic_write(target, to_lss(category, speedrun.history(category.id)))
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    ctx.console.print(f"Wrote {len(speedrun.history(category.id).runs)} runs of {category.id} to {target}")
    return EXIT_OK


def prove_categories(ctx: Context, print_table: bool = False) -> tuple[list[dict], int]:
    """``gradrill validate`` (everything): each category's reference passes every split, a
    blank file passes none. Returns the JSON rows and how many categories are bad (a
    malformed category file counts)."""
    if ctx.args.ids:
        return [], 0
    from ..core.speedrun.categories import load_categories
    from ..core.speedrun.prove import prove_category

    categories = load_categories(ctx.catalog)
    with ctx.console.status("proving the speedrun categories…") if print_table else _nothing():
        reports = [prove_category(c, ctx.catalog) for c in categories]
    rows = [{"id": f"speedrun:{r.category.id}", "ok": r.ok, "slowest_ms": round(r.slowest_ms, 1),
             "probes": [{"role": role, "name": role, "ok": r.ok, "verdict": v.status, "problem": None}
                        for role, v in r.verdicts.items()], "problems": r.problems} for r in reports]
    rows += [{"id": f"speedrun:{e.path.stem}", "ok": False, "problems": [str(e)]} for e in categories.errors]
    if print_table:
        table = Table(title="speedrun categories", title_justify="left")
        for col, kw in [("category", {"style": "cyan"}), ("splits", {"justify": "right"}), ("reference", {}),
                        ("blank", {}), ("slowest", {"justify": "right"}), ("problems", {})]:
            table.add_column(col, **kw)
        for r in reports:
            ref_ok = not any(p.startswith("the reference") for p in r.problems)
            blank_ok = not any(p.startswith("a blank") for p in r.problems)
            table.add_row(r.category.id, str(len(r.category.splits)), "[green]✓[/]" if ref_ok else "[red]✗[/]",
                          "[green]✓[/]" if blank_ok else "[red]✗[/]", f"{r.slowest_ms:.0f} ms", "\n".join(r.problems))
        for e in categories.errors:
            table.add_row(e.path.stem, "-", "[red]✗[/]", "-", "-", str(e))
        ctx.console.print(table)
    return rows, sum(not r.ok for r in reports) + len({e.path for e in categories.errors})


__all__ = ["register", "status_json", "prove_categories", "EXIT_ERROR"]
