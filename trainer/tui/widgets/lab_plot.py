"""The lab's plot: a 2-D dataset over the network's decision boundary, in half-block cells.

Each terminal cell is two square pixels (``▀``: its colour on top, its background below).
A pixel is tinted with the class the network predicts there, brighter where it is surer.
Points are class-coloured glyphs (● ▲ ■ …, one shape a class, so colour is not the only
cue); the keyboard cursor is a ``+``. The plot keeps the data's aspect ratio; the part of the
view outside the dataset's box is darker, and points cannot go there.

The boundary itself is computed elsewhere (``core.lab.draw``, in its own process) for the
axes ``axes()`` returns, as one character a pixel; ``show_codes`` takes it. Mouse presses, drags and releases are posted
as messages in data coordinates; the screen decides what they do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ...core.lab import draw

# (region tint, point colour) per class
PALETTE = [
    ("#7a2e2e", "#ff7b72"),
    ("#1f5b3f", "#56d364"),
    ("#27457a", "#79c0ff"),
    ("#6b5a12", "#f2cc60"),
    ("#5b2d73", "#d2a8ff"),
    ("#145a63", "#56d4dd"),
    ("#7a4312", "#ffa657"),
    ("#6e2450", "#ff9bce"),
    ("#3f5a14", "#b4e05c"),
    ("#4a4a4a", "#e6e6e6"),
]
GLYPHS = "●▲■◆★✚✖◉▼♥"
NEUTRAL = (34, 36, 40)
OUTSIDE = (14, 15, 17)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _blend(a, b, t: float) -> str:
    return "#%02x%02x%02x" % tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def class_colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)][1]


def class_glyph(k: int) -> str:
    return GLYPHS[k % len(GLYPHS)]


@dataclass(frozen=True)
class Axes:
    """Where each pixel of the plot is, in data coordinates."""

    cols: int
    rows: int  # terminal rows; pixels are 2 * rows tall
    cx: float
    cy: float
    scale: float  # data units per pixel
    bounds: tuple[float, float, float, float]

    @classmethod
    def fit(cls, cols: int, rows: int, bounds: tuple[float, float, float, float]) -> "Axes":
        x0, x1, y0, y1 = bounds
        cols, rows = max(cols, 1), max(rows, 1)
        scale = max((x1 - x0) / cols, (y1 - y0) / (2 * rows))
        return cls(cols, rows, (x0 + x1) / 2, (y0 + y1) / 2, scale, bounds)

    def xs(self) -> list[float]:
        return [self.cx + (i + 0.5 - self.cols / 2) * self.scale for i in range(self.cols)]

    def ys(self) -> list[float]:
        return [self.cy + (self.rows - (j + 0.5)) * self.scale for j in range(2 * self.rows)]

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        """(col, row) of the cell showing the data point (x, y)."""
        col = math.floor((x - self.cx) / self.scale + self.cols / 2)
        prow = math.floor(self.rows - (y - self.cy) / self.scale)
        return col, prow // 2

    def point_at(self, col: float, row: float) -> tuple[float, float]:
        """The data point at the centre of cell (col, row) (fractions allowed)."""
        return (self.cx + (col + 0.5 - self.cols / 2) * self.scale,
                self.cy + (self.rows - (2 * row + 1)) * self.scale)

    def inside(self, x: float, y: float) -> bool:
        x0, x1, y0, y1 = self.bounds
        return x0 <= x <= x1 and y0 <= y <= y1


class LabPlot(Widget, can_focus=True):
    """Points, cursor and the decision boundary. Data set with ``show_*``; redraws itself."""

    @dataclass
    class Pressed(Message):
        x: float
        y: float
        button: int
        shift: bool
        ctrl: bool

    @dataclass
    class Dragged(Message):
        x: float
        y: float

    @dataclass
    class Released(Message):
        x: float
        y: float

    @dataclass
    class Resized(Message):
        pass

    def __init__(self, bounds: tuple[float, float, float, float], **kwargs) -> None:
        super().__init__(**kwargs)
        self.bounds = bounds
        self.points: list[list[float]] = []
        self.labels: list[int] = []
        self.n_classes = 3
        self.cursor: tuple[float, float] = ((bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2)
        self.grabbed: int | None = None
        self._codes: list[str] | None = None  # the boundary, one character a pixel (core.lab.draw)
        self._codes_axes: Axes | None = None
        self._cells: dict[tuple[str, str], Segment] = {}
        self._lines: list[Strip] | None = None
        self._styles: dict[tuple[str, str, str, bool], Style] = {}
        self._dragging = False

    # -- data in -------------------------------------------------------------------------

    def axes(self) -> Axes:
        return Axes.fit(self.size.width, self.size.height, self.bounds)

    def show_points(self, points: list[list[float]], labels: list[int], classes: int,
                    bounds: tuple[float, float, float, float] | None = None) -> None:
        self.points, self.labels, self.n_classes = points, labels, classes
        if bounds is not None and bounds != self.bounds:
            self.bounds = bounds
            self._codes = None
        self._changed()

    def set_cursor(self, x: float, y: float) -> None:
        self.cursor = (x, y)
        self._changed()

    def _changed(self) -> None:
        self._lines = None
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._lines = None
        self.post_message(self.Resized())

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    # -- drawing ---------------------------------------------------------------------------

    def show_codes(self, rows: list[str], axes: Axes) -> None:
        """A boundary as pixel codes (``core.lab.draw.boundary_rows``) computed for ``axes``."""
        self._codes, self._codes_axes = rows, axes
        self._changed()

    def clear_grid(self) -> None:
        self._codes = None
        self._changed()

    def _colour(self, code: str) -> str:
        if code == draw.OUTSIDE:
            return _blend(OUTSIDE, OUTSIDE, 0)
        if code == draw.NEUTRAL:
            return _blend(NEUTRAL, NEUTRAL, 0)
        c, level = draw.decode(code)
        return _blend(NEUTRAL, _rgb(PALETTE[c % len(PALETTE)][0]), 0.3 + 0.7 * level / draw.LEVELS)

    def _cell(self, top: str, bottom: str) -> Segment:
        segment = self._cells.get((top, bottom))
        if segment is None:
            segment = Segment("▀", Style(color=self._colour(top), bgcolor=self._colour(bottom)))
            self._cells[(top, bottom)] = segment
        return segment

    def _style(self, fg: str, bg: str, bold: bool = False, extra: str = "") -> Style:
        key = (fg, bg, extra, bold)
        style = self._styles.get(key)
        if style is None:
            style = Style(color=fg, bgcolor=bg, bold=bold, reverse=extra == "reverse",
                          underline=extra == "underline")
            self._styles[key] = style
        return style

    def _render_all(self) -> list[Strip]:
        axes = self.axes()
        codes = self._codes if self._codes is not None and self._codes_axes == axes else \
            draw.boundary_rows(None, axes.xs(), axes.ys(), axes.bounds, self.n_classes)
        marks: dict[tuple[int, int], tuple[str, str, str]] = {}  # cell -> (glyph, colour, extra)
        for index, ((x, y), label) in enumerate(zip(self.points, self.labels)):
            cell = axes.cell_of(x, y)
            extra = "underline" if index == self.grabbed else ""
            marks[cell] = (class_glyph(label), class_colour(label), extra)
        cursor = axes.cell_of(*self.cursor)
        if self.has_focus or self.grabbed is not None:
            if cursor in marks:
                glyph, colour, _ = marks[cursor]
                marks[cursor] = (glyph, colour, "reverse")
            else:
                marks[cursor] = ("+", "#ffffff", "")
        by_row: dict[int, list[tuple[int, tuple[str, str, str]]]] = {}
        for (c, r), mark in marks.items():
            if 0 <= c < axes.cols and 0 <= r < axes.rows:
                by_row.setdefault(r, []).append((c, mark))
        cell = self._cell
        strips = []
        for r in range(axes.rows):
            top, bottom = codes[2 * r], codes[2 * r + 1]
            row = [cell(a, b) for a, b in zip(top, bottom)]
            for c, (glyph, colour, extra) in by_row.get(r, ()):
                row[c] = Segment(glyph, self._style(colour, self._colour(top[c]), True, extra))
            strips.append(Strip(row, axes.cols))
        return strips

    def render_line(self, y: int) -> Strip:
        if self._lines is None or len(self._lines) != self.size.height:
            self._lines = self._render_all()
        if 0 <= y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width)

    # -- mouse -----------------------------------------------------------------------------

    def _data_at(self, event: events.MouseEvent) -> tuple[float, float]:
        axes = self.axes()
        px = getattr(event, "pointer_x", event.x)
        py = getattr(event, "pointer_y", event.y)
        return axes.point_at(px - 0.5 if isinstance(px, float) and px != event.x else event.x,
                             py - 0.5 if isinstance(py, float) and py != event.y else event.y)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.focus()
        x, y = self._data_at(event)
        self._dragging = event.button == 1
        if self._dragging:
            self.capture_mouse()
        self.post_message(self.Pressed(x, y, event.button, event.shift, event.ctrl))
        event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging and event.button == 1:
            x, y = self._data_at(event)
            self.post_message(self.Dragged(x, y))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.capture_mouse(False)
            x, y = self._data_at(event)
            self.post_message(self.Released(x, y))
        event.stop()

    def on_focus(self) -> None:
        self._changed()

    def on_blur(self) -> None:
        self._changed()
