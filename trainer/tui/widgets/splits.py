"""The speedrun side panel: a big timer, the splits table and the summary under it."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Digits, Label, Static

from ...core.speedrun.compare import Board
from ...core.text import fmt_ms
from ...rendering_speedrun import board_group, split_cells, summary_lines


class BigTimer(Digits):
    """The run's clock in big digits (tenths while running, hundredths once finished).

    Classes: ``-ahead``/``-behind`` against the PB's time for the current split (once it
    passes it), ``-finished``, ``-pb`` (a finished run that is a new personal best)."""

    ms: reactive[int | None] = reactive(None)

    def watch_ms(self, ms: int | None) -> None:
        self.update(fmt_ms(ms or 0, 1))

    def show(self, ms: int | None, state: str = "") -> None:
        """``state``: '' (running), '-ahead', '-behind', '-finished', '-pb', '-idle'."""
        for name in ("-ahead", "-behind", "-finished", "-pb", "-idle"):
            self.set_class(name == state or (name == "-finished" and state == "-pb"), name)
        if state in ("-finished", "-pb"):
            self.update(fmt_ms(ms or 0, 2))
        else:
            self.ms = ms
            self.update(fmt_ms(ms or 0, 1))


class SplitsTable(Static):
    """The splits, coloured as LiveSplit colours them, and PB / sum of best / attempts."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.board: Board | None = None
        self.compact = False
        self._shown: tuple | None = None  # the cells and summary drawn last

    def show_board(self, board: Board) -> None:
        """Draw ``board``; nothing to do if it shows what is drawn already (the screen asks ten
        times a second while a run is on, for the clock), and no new layout if every cell keeps
        its width (a time that ticks on)."""
        self.board = board
        cells, summary = split_cells(board, self.compact), summary_lines(board)
        shown = (self.compact, [[looks(cell) for cell in row] for row in cells], looks(summary))
        if shown == self._shown:
            return
        layout = self._shown is None or _widths(shown) != _widths(self._shown)
        self._shown = shown
        self.update(board_group(board, self.compact, cells, summary), layout=layout)

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            if self.board is not None:
                self.show_board(self.board)


def looks(text: Text) -> tuple:
    """How ``text`` is drawn: its characters and all its styles (rich's ``Text ==`` leaves out
    the base style: a delta that turns from gaining to losing keeps its text)."""
    return text.plain, str(text.style), tuple(text.spans)


def _widths(shown: tuple) -> tuple:
    compact, cells, summary = shown
    return compact, [[cell_len(plain) for plain, _, _ in row] for row in cells], [len(line) for line in summary[0].split("\n")]


class SteadyLabel(Label):
    """A label asked ten times a second to show mostly the same text: only a new look is drawn
    (each update lays the screen out again)."""

    _looks: tuple | None = None

    def show(self, text: Text) -> None:
        if looks(text) != self._looks:
            self._looks = looks(text)
            self.update(text)


class NextSplit(Static):
    """What the last check said about the split being worked on."""

    def show_text(self, text: Text | str) -> None:
        self.update(text)
