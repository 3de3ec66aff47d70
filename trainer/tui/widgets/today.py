"""The daily-practice panel for the home screen: today's queue, the streak, the budget.

Mount it as ``TodayPanel(store, catalog)``. Enter (or a click) on an item posts
``TodayPanel.Selected(challenge_id)``; the app opens that drill. Once the queue is done, its
first line is the day's summary (``TodayPanel.SummaryRequested``). Call ``refresh_queue()``
after a drill ends (the panel also refreshes itself every ``AUTO_REFRESH_SECONDS``, which
picks up a new day after midnight).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.text import fmt_seconds
from ...rendering import streak_text
from ...core import days, practice
from ...core import settings as settings_mod
from ...core.practice import QueueItem, Today

AUTO_REFRESH_SECONDS = 60
RESULT = {"pass": ("✓", "green"), "gave_up": ("✗", "red"), "fail": ("✗", "red")}


def _bar(done: float, total: float, width: int = 20) -> Text:
    filled = 0 if not total else round(width * min(1.0, done / total))
    return Text.assemble(("━" * filled, "green"), ("━" * (width - filled), "grey37"))


class TodayPanel(Widget):
    """Today's queue: due reviews, then new challenges, within the day's time budget."""

    DEFAULT_CSS = """
    TodayPanel {
        height: auto;
        max-height: 60%;
        border: round $primary 60%;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
    }
    TodayPanel:focus-within {
        border: round $primary;
    }
    TodayPanel > #today-head {
        height: auto;
        margin-bottom: 1;
    }
    TodayPanel > OptionList {
        height: auto;
        max-height: 16;
        border: none;
        padding: 0;
        background: transparent;
    }
    TodayPanel > OptionList:focus {
        border: none;
    }
    TodayPanel > #today-foot {
        height: auto;
        color: $text-muted;
    }
    """

    @dataclass
    class Selected(Message):
        """The learner picked ``challenge_id`` from today's queue."""

        challenge_id: str

    class SummaryRequested(Message):
        """The learner asked for the summary of today's (done) queue."""

    def __init__(self, store, catalog, *, minutes: float | None = None,
                 settings: settings_mod.Settings | None = None, name: str | None = None,
                 id: str | None = "today-panel", classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self.catalog = catalog
        self.minutes = minutes
        self.settings = settings
        self.today: Today | None = None
        self.error: str | None = None
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="today-head")
        yield OptionList(id="today-list")
        yield Static(id="today-foot")

    def on_mount(self) -> None:
        self.border_title = "Today"
        self.refresh_queue()
        self.set_interval(AUTO_REFRESH_SECONDS, self.refresh_queue)

    # -- data ----------------------------------------------------------------------------

    def refresh_queue(self) -> Today | None:
        """Re-read today's queue (building it on the day's first call) and redraw."""
        try:
            settings = self.settings or settings_mod.load()
            today = practice.today(self.store, self.catalog, minutes=self.minutes, settings=settings)
            streak = days.streak(self.store, self.catalog, today.day, settings)
        except Exception as exc:  # noqa: BLE001 - the panel must never take the home screen down
            self.error = f"{type(exc).__name__}: {exc}"
            self.query_one("#today-head", Static).update(Text(f"Today's queue is unavailable: {self.error}", "red"))
            return None
        self.error = None
        self.today = today
        self.border_title = f"Today · {today.day.strftime('%a %d %b')}"
        self._draw_head(today, streak)
        self._draw_list(today)
        self._draw_foot(today)
        return today

    # -- drawing -------------------------------------------------------------------------------

    def _draw_head(self, today: Today, streak: days.Streak) -> None:
        head = Text()
        head.append_text(streak_text(streak))
        head.append("\n")
        if today.items:
            spent = today.estimate_s - today.remaining_s
            head.append_text(_bar(spent, today.estimate_s))
            head.append(f"  {today.done_count}/{len(today.items)} done", "bold" if today.complete else "")
            head.append(f" · {fmt_seconds(today.remaining_s)} left of {fmt_seconds(today.budget_s)}", "dim")
        else:
            head.append(f"budget {fmt_seconds(today.budget_s)}", "dim")
        self.query_one("#today-head", Static).update(head)

    def _prompt(self, item: QueueItem, is_next: bool, id_width: int) -> Text:
        mark, style = RESULT.get(item.result or "", ("›" if is_next else "·", "bold yellow" if is_next else "dim"))
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{mark} ", style)
        text.append(f"{item.key:<{id_width}}", "dim" if item.done else "bold cyan" if is_next else "cyan")
        kind_style = "dim" if item.done else "magenta" if item.kind == "review" else "green"
        text.append(f"  {item.kind:<6}", kind_style)
        text.append(f" {fmt_seconds(item.estimate_s):>5}", "dim")
        if item.done:
            text.append({"pass": "  passed", "fail": "  missed: back tomorrow"}.get(item.result, "  gave up: back "
                                                                                   "tomorrow"), "dim italic")
        elif item.challenge is None and not item.quiz_family:
            text.append("  no longer in the catalog", "dim italic")
        elif item.waiting_for:
            text.append(f"  after {', '.join(item.waiting_for)}", "yellow italic")
        elif item.kind == "review" and item.overdue_days:
            text.append(f"  overdue {item.overdue_days}d", "yellow")
        return text

    def _draw_list(self, today: Today) -> None:
        options = self.query_one("#today-list", OptionList)
        nxt = today.next
        shown = tuple((i.key, i.done, i.result, i.waiting_for, i.overdue_days) for i in today.items) + (
            nxt.key if nxt else None, today.complete)
        if shown == self._shown:
            return
        self._shown = shown
        highlighted = options.highlighted_option.id if options.highlighted_option is not None else None
        options.clear_options()
        if not today.items:
            options.add_option(Option(Text("Nothing due, nothing new: a rest day. Any drill still counts.", "dim"),
                                      id="-rest", disabled=True))
            return
        width = max(len(i.key) for i in today.items)
        if today.complete:
            options.add_option(Option(Text.assemble(("✓ ", "bold green"), ("The queue is done: ", "green"),
                                                    ("enter", "bold"), " shows today's summary"), id="-summary"))
        options.add_options([Option(self._prompt(i, nxt is not None and i.key == nxt.key, width), id=i.key,
                                    disabled=i.challenge is None and not i.quiz_family) for i in today.items])
        open_keys = {i.key for i in today.items if not i.done}
        target = highlighted if highlighted in open_keys else (nxt.key if nxt else None)
        if today.complete:
            target = "-summary"
        if target is not None:
            try:
                options.highlighted = options.get_option_index(target)
            except Exception:  # noqa: BLE001
                pass

    def _draw_foot(self, today: Today) -> None:
        foot = self.query_one("#today-foot", Static)
        if not today.items:
            foot.update("")
        elif today.complete:
            foot.update(Text("Today's session is done ✓  Come back tomorrow.", "green"))
        else:
            foot.update(Text.assemble(("enter", "bold"), (" starts the highlighted drill  ·  ", "dim"),
                                      ("tab", "bold"), (" the chapters", "dim")))

    # -- events ------------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "-summary":
            self.post_message(self.SummaryRequested())
        elif event.option.id and not event.option.id.startswith("-"):
            self.post_message(self.Selected(event.option.id))

    def focus_queue(self) -> None:
        self.query_one("#today-list", OptionList).focus()

    @property
    def has_work(self) -> bool:
        """Something to do today: an item not done, or the summary of a done queue."""
        return self.today is not None and bool(self.today.items)
