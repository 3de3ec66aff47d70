"""The daily-practice TUI pieces, mounted in a tiny app: TodayPanel and StatsScreen.

Pilot tests drive them with keys and clicks; two snapshot tests (``snap_compare``, tests/snapshots.py)
pin how they look on a fixed, seeded history (update with ``--snapshot-update`` after a
deliberate change, and look at the SVGs)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, OptionList, Static

from gradrill.core import practice
from gradrill.core.store import Store
from gradrill.tui.screens.stats import StatsScreen
from gradrill.tui.widgets.today import TodayPanel
from tests.helpers import SETTINGS, SPEC, T0, Learner, make_catalog

pytestmark = pytest.mark.anyio


class PanelApp(App):
    CSS = "Screen { layout: vertical; } #rest { height: 1fr; }"

    def __init__(self, store, catalog):
        super().__init__()
        self.store, self.catalog = store, catalog
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield TodayPanel(self.store, self.catalog, settings=SETTINGS)
        yield Static("the rest of the home screen", id="rest")

    def on_today_panel_selected(self, event: TodayPanel.Selected) -> None:
        self.selected.append(event.challenge_id)


def seed_week(store: Store, catalog, clock) -> None:
    """Six days of practice (one skipped), today half done: a fixed history."""
    learner = Learner(store, clock)
    for n in range(6):
        clock.set(T0 + timedelta(days=n))
        if n == 2:
            continue
        t = practice.today(store, catalog, settings=SETTINGS)
        items = t.items if n < 5 else t.items[:1]
        for i, item in enumerate(items):
            kw = {"outcome": "give_up"} if (n + i) % 5 == 0 else {"seconds": 40 + 15 * ((n + i) % 4),
                                                                  "hints": (n + i) % 3 == 0}
            learner.drill(item.key, **kw)
    clock.set(T0 + timedelta(days=5, hours=1))


# -- TodayPanel ------------------------------------------------------------------------------------


def test_selected_is_a_dataclass_message():
    assert dataclasses.is_dataclass(TodayPanel.Selected)
    assert TodayPanel.Selected("slope").challenge_id == "slope"


async def test_today_panel_shows_the_queue_and_posts_selected_on_enter(store, catalog, fake_clock):
    app = PanelApp(store, catalog)
    async with app.run_test(size=(90, 30)) as pilot:
        panel = app.query_one(TodayPanel)
        options = panel.query_one(OptionList)
        assert options.option_count == 3 and [options.get_option_at_index(i).id for i in range(3)] == \
            ["slope", "value-forward", "partials"]
        assert "Mon 02 Mar" in str(panel.border_title)
        head = str(panel.query_one("#today-head", Static).render())
        assert "no streak yet" in head and "0/3 done" in head
        panel.focus_queue()
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["slope"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == ["slope", "value-forward"]


async def test_today_panel_click_selects(store, catalog, fake_clock):
    app = PanelApp(store, catalog)
    async with app.run_test(size=(90, 30)) as pilot:
        options = app.query_one(OptionList)
        await pilot.click(options, offset=(4, 2))  # the third line: partials
        await pilot.pause()
        assert app.selected == ["partials"]


async def test_refresh_queue_ticks_done_items_and_moves_on(store, catalog, fake_clock):
    app = PanelApp(store, catalog)
    async with app.run_test(size=(90, 30)) as pilot:
        panel = app.query_one(TodayPanel)
        Learner(store, fake_clock).drill("slope", seconds=40)
        today = panel.refresh_queue()
        await pilot.pause()
        assert today.done_count == 1 and today.next.key == "value-forward"
        options = panel.query_one(OptionList)
        assert "✓" in str(options.get_option_at_index(0).prompt) and "passed" in str(options.get_option_at_index(0).prompt)
        assert options.get_option_at_index(options.highlighted).id == "value-forward"
        for key in ("value-forward", "partials"):
            Learner(store, fake_clock).drill(key)
        panel.refresh_queue()
        await pilot.pause()
        assert "done ✓" in str(panel.query_one("#today-foot", Static).render())
        assert "streak 1 day" in str(panel.query_one("#today-head", Static).render())


async def test_an_empty_queue_shows_a_rest_day(home, fake_clock, tmp_path):
    tiny = make_catalog(tmp_path / "c", SPEC[:1])
    s = Store(home / "p.sqlite3", catalog=tiny)
    Learner(s, fake_clock).drill("slope", seconds=80)
    fake_clock.advance(days=1)
    app = PanelApp(s, tiny)
    async with app.run_test(size=(90, 20)) as pilot:
        options = app.query_one(OptionList)
        assert options.option_count == 1 and "rest day" in str(options.get_option_at_index(0).prompt)
        options.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == []
    s.close()


async def test_a_broken_store_does_not_take_the_panel_down(store, catalog, fake_clock):
    app = PanelApp(store, catalog)
    async with app.run_test(size=(90, 20)) as pilot:
        store.close()
        panel = app.query_one(TodayPanel)
        assert panel.refresh_queue() is None and panel.error
        await pilot.pause()
        assert "unavailable" in str(panel.query_one("#today-head", Static).render())


# -- StatsScreen ---------------------------------------------------------------------------------------


class StatsApp(App):
    def __init__(self, store, catalog):
        super().__init__()
        self.store, self.catalog = store, catalog

    def compose(self) -> ComposeResult:
        yield Static("home", id="home")

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.store, self.catalog, settings=SETTINGS))


async def test_stats_screen_shows_everything_and_escape_pops_it(store, catalog, fake_clock):
    seed_week(store, catalog, fake_clock)
    app = StatsApp(store, catalog)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        s = screen.stats
        title = str(screen.query_one("#stats-title", Static).render())
        assert f"streak {s.streak.current} day" in title and "drills" in title
        assert "Mon" in str(screen.query_one("#stats-heatmap", Static).render())
        assert "Sa" in str(screen.query_one("#stats-forecast", Static).render())
        table = screen.query_one(DataTable)
        learned = [c.id for c in s.challenges if c.attempts]
        assert table.row_count == len(learned) and learned[0] == "slope"
        assert not screen.has_class("-narrow")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)
        assert app.screen.query_one("#home", Static)


async def test_stats_screen_stacks_on_a_narrow_terminal_and_refreshes(store, catalog, fake_clock):
    app = StatsApp(store, catalog)
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-narrow")
        table = screen.query_one(DataTable)
        assert table.row_count == 1  # "no attempts yet"
        Learner(store, fake_clock).drill("slope", seconds=40)
        await pilot.press("r")
        await pilot.pause()
        assert table.row_count == 1 and screen.stats.challenges[0].passes == 1
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


# -- snapshots -------------------------------------------------------------------------------------------


def test_today_panel_snapshot(store, catalog, fake_clock, snap_compare):
    seed_week(store, catalog, fake_clock)
    app = PanelApp(store, catalog)
    assert snap_compare(app, terminal_size=(80, 20))


def test_stats_screen_snapshot(store, catalog, fake_clock, snap_compare):
    seed_week(store, catalog, fake_clock)
    assert snap_compare(StatsApp(store, catalog), terminal_size=(130, 40))
