"""Rich renderables for speedruns, shared by the CLI and the TUI: the splits table (coloured
as LiveSplit colours it), the summary under it, a run history."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from .core.speedrun.compare import (
    AHEAD_GAINING, AHEAD_LOSING, BEHIND_GAINING, BEHIND_LOSING, GOLD, Board, History,
)
from .core.store import SpeedrunRun
from .core.text import fmt_ms, fmt_ms_delta

# LiveSplit's default colours: gold, ahead gaining / losing (greens), behind gaining / losing (reds)
STYLES = {
    GOLD: "bold #d8af1f",
    AHEAD_GAINING: "bold #00cc36",
    AHEAD_LOSING: "#52cc73",
    BEHIND_GAINING: "#cc5c52",
    BEHIND_LOSING: "bold #cc1200",
    None: "",
}
WORDS = {GOLD: "gold", AHEAD_GAINING: "ahead, gaining", AHEAD_LOSING: "ahead, losing",
         BEHIND_GAINING: "behind, gaining", BEHIND_LOSING: "behind, losing"}


def split_cells(board: Board, compact: bool = False) -> list[list[Text]]:
    """The table's cells, row by row (what is shown, so two boards that show the same compare equal)."""
    rows = []
    for row in board.rows:
        style = STYLES.get(row.colour, "")
        name = Text(("▶ " if row.current else "  ") + row.name, "bold" if row.current else "")
        delta = Text(fmt_ms_delta(row.delta_ms) if row.delta_ms is not None else "", style)
        if row.ms is not None:
            time = Text(fmt_ms(row.ms, 2))
        elif row.current and board.elapsed_ms is not None:
            time = Text("…", "dim")
        else:
            time = Text("-", "dim")
        if row.merged:
            segment = Text("↓", "dim")  # fired with the next split: one segment for both
        elif row.segment_ms is not None:
            segment = Text(fmt_ms(row.segment_ms, 2), STYLES[GOLD] if row.gold else "")
        else:
            segment = Text("-", "dim")
        cells = [name] + ([Text(fmt_ms(row.pb_ms, 2) if row.pb_ms is not None else "-")] if not compact else [])
        cells += [delta, time] + ([segment] if not compact else [])
        rows.append(cells)
    return rows


def splits_table(board: Board, compact: bool = False, cells: list[list[Text]] | None = None) -> Table:
    """Split | PB | +/- | time | segment (``compact``: split | +/- | time)."""
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False, header_style="dim")
    table.add_column("split", ratio=1, no_wrap=True, overflow="ellipsis")
    if not compact:
        table.add_column("PB", justify="right", style="dim", no_wrap=True)
    table.add_column("+/-", justify="right", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    if not compact:
        table.add_column("segment", justify="right", no_wrap=True)
    for row in split_cells(board, compact) if cells is None else cells:
        table.add_row(*row)
    return table


def summary_lines(board: Board) -> Text:
    """PB, sum of best, best possible time, possible time save, attempts."""
    text = Text()

    def line(label: str, value: str, style: str = "") -> None:
        if text:
            text.append("\n")
        text.append(f"{label:<22}", "dim")
        text.append(value, style)

    line("Personal best", fmt_ms(board.pb_ms, 2) if board.pb_ms is not None else "-", "bold")
    line("Sum of best", fmt_ms(board.sum_of_best_ms, 2) if board.sum_of_best_ms is not None else "-")
    line("Best possible time", fmt_ms(board.best_possible_ms, 2) if board.best_possible_ms is not None else "-")
    line("Possible time save", fmt_ms(board.possible_save_ms, 2) if board.possible_save_ms is not None else "-")
    line("Attempts", f"{board.attempts_finished} finished of {board.attempts_started} started")
    return text


def run_state(run: SpeedrunRun | None) -> str:
    if run is None:
        return "no run"
    if run.finished:
        return f"finished in {fmt_ms(run.final_ms, 2)}"
    if run.active:
        return f"under way: {run.reached} of {len(run.split_names)} splits"
    return f"reset after {run.reached} of {len(run.split_names)} splits"


def history_rows(history: History) -> list[dict]:
    """One dict per run, newest first: number, date, result, golds, was a PB, flags."""
    out = []
    for run in reversed(history.runs):
        golds = sum(history.golds(run))
        if run.finished:
            result = fmt_ms(run.final_ms, 2)
        else:
            last = f" ({fmt_ms(run.last_ms, 2)})" if run.reached else ""
            result = f"{run.reached}/{len(run.split_names)} splits{last}" + (" · under way" if run.active else "")
        out.append({"number": run.number, "started_at": run.started_at, "status": run.status,
                    "final_ms": run.final_ms, "reached": run.reached, "splits": len(run.split_names),
                    "last_ms": run.last_ms if run.reached else None, "golds": golds, "pb": history.was_pb(run),
                    "flags": sorted(run.flags), "result": result})
    return out


def history_table(history: History) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="dim", show_edge=False)
    for col, kw in [("#", {"justify": "right"}), ("date", {}), ("result", {}), ("golds", {"justify": "right"}),
                    ("", {})]:
        table.add_column(col, **kw)
    for row in history_rows(history):
        notes = Text()
        if row["pb"]:
            notes.append("PB", "bold #d8af1f")
        if "clock_jump" in row["flags"]:
            notes.append(" clock jumped back: not counted", "red")
        date = row["started_at"].astimezone().strftime("%Y-%m-%d %H:%M")
        table.add_row(str(row["number"]), date, row["result"],
                      Text(str(row["golds"]), STYLES[GOLD] if row["golds"] else "dim"), notes)
    return table


def board_group(board: Board, compact: bool = False, cells: list[list[Text]] | None = None,
                summary: Text | None = None) -> Group:
    """The splits table and the summary below it (``cells``, ``summary``: already made)."""
    return Group(splits_table(board, compact, cells), Text(""), summary_lines(board) if summary is None else summary)
