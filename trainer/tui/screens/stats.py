"""The stats screen: streak, a calendar heatmap, per-challenge bests and pass rates with a
time trend, and the reviews due over the next two weeks. Escape goes back.

Push it as ``StatsScreen(store, catalog)``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...core.text import fmt_due, fmt_seconds, sparkline
from ...rendering import forecast_chart, heatmap_text, streak_text
from ...core import settings as settings_mod
from ...core import stats


def _rate(rate: float | None) -> Text:
    if rate is None:
        return Text("-", "dim")
    style = "green" if rate >= 0.8 else "yellow" if rate >= 0.5 else "red"
    return Text(f"{rate:.0%}", style)


class StatsScreen(Screen):
    """Your practice in numbers. ``escape`` (or ``q``) returns to where you were."""

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("q", "close", "Back", show=False),
        Binding("r", "refresh_stats", "Refresh"),
    ]

    DEFAULT_CSS = """
    StatsScreen {
        layout: vertical;
    }
    StatsScreen > VerticalScroll {
        padding: 0 1;
    }
    StatsScreen #stats-title {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    StatsScreen #stats-top {
        height: auto;
    }
    StatsScreen .stats-box {
        height: auto;
        width: auto;
        border: round $primary 50%;
        border-title-color: $text-muted;
        padding: 0 1;
        margin: 1 1 0 0;
    }
    StatsScreen .stats-box > Static {
        width: auto;
    }
    StatsScreen.-narrow #stats-top {
        layout: vertical;
    }
    StatsScreen #stats-table {
        height: auto;
        max-height: 100%;
        margin: 1 0 0 0;
        border: round $primary 50%;
        border-title-color: $text-muted;
    }
    StatsScreen #stats-quiz {
        height: auto;
        margin: 0 0 1 0;
        border: round $primary 50%;
        border-title-color: $text-muted;
    }
    StatsScreen #stats-note {
        color: $text-muted;
        height: auto;
        margin: 0 0 1 1;
    }
    """

    def __init__(self, store, catalog, *, settings: settings_mod.Settings | None = None,
                 name: str | None = None, id: str | None = "stats", classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self.catalog = catalog
        self.settings = settings
        self.stats: stats.Stats | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title")
        with VerticalScroll():
            with Horizontal(id="stats-top"):
                with Vertical(classes="stats-box", id="stats-heat-box"):
                    yield Static(id="stats-heatmap")
                with Vertical(classes="stats-box", id="stats-forecast-box"):
                    yield Static(id="stats-forecast")
            table = DataTable(id="stats-table", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("trend: the time of each timed pass, oldest first (lower is faster)", id="stats-note")
            quiz = DataTable(id="stats-quiz", cursor_type="row", zebra_stripes=True)
            quiz.display = False
            yield quiz
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stats-heat-box").border_title = "last 26 weeks"
        self.query_one("#stats-forecast-box").border_title = "reviews due, next 14 days"
        self.query_one("#stats-table").border_title = "challenges"
        table = self.query_one("#stats-table", DataTable)
        for label, key in (("challenge", "id"), ("tries", "tries"), ("pass", "pass"), ("best", "best"),
                           ("last", "last"), ("target", "target"), ("trend", "trend"), ("next review", "due"),
                           ("every", "every")):
            table.add_column(label, key=key)
        quiz = self.query_one("#stats-quiz", DataTable)
        quiz.border_title = "quiz: answers right at the first try"
        for label in ("family", "problems", "all right", "accuracy", "level", "next review"):
            quiz.add_column(label, key=label)
        self.action_refresh_stats()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 118, "-narrow")

    def action_refresh_stats(self) -> None:
        settings = self.settings or settings_mod.load()
        self.store.attach_catalog(self.catalog)
        s = self.stats = stats.collect(self.store, self.catalog, settings=settings)
        title = Text()
        title.append("Stats  ", "bold")
        title.append_text(streak_text(s.streak))
        t = s.totals
        title.append(f"\n{t['drills']} drills ({t['passes']} passed) on {t['active_days']} days · "
                     f"{fmt_seconds(t['seconds'])} drilling · {t['challenges_passed']} of "
                     f"{t['challenges']} challenges passed", "dim")
        self.query_one("#stats-title", Static).update(title)
        self.query_one("#stats-heatmap", Static).update(heatmap_text(s.days, s.today))
        self.query_one("#stats-forecast", Static).update(forecast_chart(s.forecast, s.today))
        table = self.query_one("#stats-table", DataTable)
        table.clear()
        rows = [c for c in s.challenges if c.attempts or c.state is not None]
        for c in rows:
            best_style = "bold green" if c.best_s is not None and c.target_s and c.best_s <= c.target_s else ""
            due = fmt_due(c.due, s.today)
            table.add_row(
                Text(c.id, "cyan"), str(c.attempts), _rate(c.pass_rate),
                Text(fmt_seconds(c.best_s), best_style), fmt_seconds(c.last_s),
                Text(fmt_seconds(c.target_s), "dim"), Text(sparkline(c.times), "cyan"),
                Text(due, "yellow" if due.startswith(("overdue", "today")) else ""),
                Text(f"{c.interval_days:.0f}d" if c.interval_days else "-", "dim"),
                key=c.id,
            )
        if not rows:
            table.add_row(Text("no attempts yet", "dim"), "", "", "", "", "", "", "", "", key="-none")
        self._quiz_table(s)

    def _quiz_table(self, s: stats.Stats) -> None:
        """Quiz accuracy per family (``stats.quiz_stats``); hidden until a quiz is answered."""
        quiz = self.query_one("#stats-quiz", DataTable)
        quiz.clear()
        rows = [q for q in s.quiz if q.problems]
        quiz.display = bool(rows)
        for q in rows:
            due = fmt_due(q.due, s.today)
            quiz.add_row(Text(q.family, "cyan"), str(q.problems), str(q.all_right), _rate(q.accuracy), str(q.level),
                         Text(due, "yellow" if due.startswith(("overdue", "today")) else ""), key=q.family)

    def action_close(self) -> None:
        self.app.pop_screen()
