"""What ticks (the grading spinner, the speedrun board ten times a second) redraws only what
changed: a new layout of the whole screen at every tick cost a third of a CPU during a
speedrun, beside the learner's gradings."""

from __future__ import annotations

import dataclasses

import pytest
from rich.text import Text
from textual.app import App

from gradrill.core.speedrun.compare import BEHIND_LOSING, Board, Row
from gradrill.tui.widgets.results import ResultsPanel
from gradrill.tui.widgets.splits import SplitsTable, SteadyLabel

pytestmark = pytest.mark.anyio


def _board(delta_ms: int | None, best_possible_ms: int = 95_000, colour: str | None = None) -> Board:
    rows = (Row(0, "+ and *", 41_000, 41_000, False, 40_000, 1_000, 39_000, False, None),
            Row(1, "backward()", None, None, False, 90_000, delta_ms, 45_000, False, colour, current=True))
    return Board("mini", ("+ and *", "backward()"), None, 93_000, rows, 90_000, 84_000, best_possible_ms, 6_000, 3, 1)


class Refreshes:
    """The ``layout`` flag of each refresh a widget asks for."""

    def __init__(self, widget) -> None:
        self.layouts: list[bool] = []
        original = widget.refresh

        def refresh(*regions, layout: bool = False, **kwargs):
            self.layouts.append(layout)
            return original(*regions, layout=layout, **kwargs)

        widget.refresh = refresh


class One(App):
    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self):
        yield self.widget


async def test_the_board_draws_again_only_what_changed_and_lays_out_only_for_a_new_width():
    table = SplitsTable()
    async with One(table).run_test(size=(80, 20)) as pilot:
        table.show_board(_board(3_000))
        await pilot.pause()
        seen = Refreshes(table)
        table.show_board(_board(3_040))  # the next tick: the live delta is shown in tenths, "+3.0" still
        assert seen.layouts == []
        table.show_board(_board(3_100))  # "+3.1": as wide as before
        assert seen.layouts == [False]
        table.show_board(_board(3_100, colour=BEHIND_LOSING))  # the same text, another colour: drawn again
        assert seen.layouts == [False, False]
        table.show_board(_board(3_100))
        assert seen.layouts == [False, False, False]
        table.show_board(_board(13_100))  # one digit more: the columns may move
        assert seen.layouts[3:] == [True]
        table.show_board(dataclasses.replace(_board(13_100), best_possible_ms=96_000))  # the summary too
        assert seen.layouts[3:] == [True, False]
        table.set_compact(True)  # other columns
        assert seen.layouts[3:] == [True, False, True]


async def test_the_grading_spinner_turns_without_a_layout():
    panel = ResultsPanel()
    async with One(panel).run_test(size=(80, 20)) as pilot:
        panel.show_running()
        await pilot.pause()
        summary = panel.query_one("#results-summary")
        seen = Refreshes(summary)
        panel._advance()
        panel._advance()
        assert seen.layouts == [False, False]
        panel.show_message("done")  # a message of another size: laid out
        assert seen.layouts[-1] is True


async def test_the_speedrun_bar_draws_a_label_again_only_for_a_new_look():
    label = SteadyLabel("")
    async with One(label).run_test(size=(80, 20)) as pilot:
        label.show(Text("engine-1.py", "dim"))
        await pilot.pause()
        seen = Refreshes(label)
        label.show(Text("engine-1.py", "dim"))  # the next tick: the same
        assert seen.layouts == []
        label.show(Text("engine-1.py", "yellow"))  # the same text in another style
        assert seen.layouts == [True]
