"""The end of the day's queue: items, passes, time, streak, what is due tomorrow."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core import practice
from ...core.text import fmt_seconds, plural
from ...rendering import streak_text


class SessionSummaryScreen(ModalScreen):
    """Shown when the last item of today's queue is done (ctrl+n after it, or enter on a done queue)."""

    CSS_PATH = "dialogs.tcss"  # loaded when the first dialog opens

    BINDINGS = [
        Binding("escape,enter,q", "close", "Home"),
        Binding("s", "stats", "Stats"),
    ]

    def __init__(self, summary: practice.Summary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        s = self.summary
        head = Text("Today's queue is done ✓", "bold green")
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", no_wrap=True)
        table.add_column()
        table.add_row("drills", f"{s.items}: {plural(s.passes, 'pass', 'passes')}, {s.gave_up} given up")
        table.add_row("time", fmt_seconds(s.seconds))
        table.add_row("", streak_text(s.streak))
        due = len(s.due_tomorrow)
        tomorrow = plural(due, "review") + " due" if due else "no reviews due"
        if s.due_tomorrow:
            tomorrow += ": " + ", ".join(s.due_tomorrow[:6]) + (" …" if due > 6 else "")
        table.add_row("tomorrow", tomorrow)
        with Vertical(id="summary-dialog"):
            yield Static(head, id="summary-head")
            yield Static(table, id="summary-table")
            yield Static(Text.assemble(("enter", "bold"), " home  ·  ", ("s", "bold"), " stats"),
                         id="summary-keys")

    def on_mount(self) -> None:
        self.query_one("#summary-dialog").border_title = f"today · {self.summary.day.strftime('%a %d %b')}"

    def action_close(self) -> None:
        self.dismiss()

    def action_stats(self) -> None:
        from .stats import StatsScreen

        app = self.app
        self.dismiss()
        app.push_screen(StatsScreen(app.store, app.catalog))
