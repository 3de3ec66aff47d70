"""The digits view: 8x8 images as half-block cells (8 columns, 4 rows each), each with the
network's prediction under it: green when right, red (with the true digit) when wrong.

The arrow keys or a click pick an image (the cursor); page up / down scroll.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

TILE_W, TILE_H = 10, 6  # 8 pixel columns + 2 spaces; 4 pixel rows + caption + a blank row


def grey(v: float) -> str:
    g = round(20 + 235 * min(max(v, 0.0), 1.0))
    return f"#{g:02x}{g:02x}{g:02x}"


def weight_colour(v: float, scale: float) -> str:
    """Blue for negative, red for positive weights, black for zero."""
    t = min(abs(v) / scale, 1.0) if scale else 0.0
    c = round(30 + 225 * t)
    return f"#{c:02x}2828" if v > 0 else f"#2828{c:02x}"


def image_lines(pixels: list[str], size: int = 8) -> list[list[Segment]]:
    """An image (``size`` x ``size`` colours, row by row) as ``size // 2`` rows of half-blocks."""
    out = []
    for r in range(0, size, 2):
        row = []
        for c in range(size):
            row.append(Segment("▀", Style(color=pixels[r * size + c], bgcolor=pixels[(r + 1) * size + c])))
        out.append(row)
    return out


class DigitsView(Widget, can_focus=True):
    @dataclass
    class Picked(Message):
        index: int

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.images: list[list[float]] = []
        self.labels: list[int] = []
        self.predictions: list[int] | None = None
        self.cursor = 0
        self.first_row = 0  # first tile row shown
        self.caption = ""

    def show_images(self, images: list[list[float]], labels: list[int], title: str) -> None:
        self.images, self.labels, self.caption = images, labels, title
        self.cursor = min(self.cursor, max(len(images) - 1, 0))
        self.refresh()

    def show_predictions(self, predictions: list[int] | None) -> None:
        self.predictions = predictions
        self.refresh()

    @property
    def per_row(self) -> int:
        return max(1, (self.size.width - 1) // TILE_W)

    @property
    def visible_rows(self) -> int:
        return max(1, (self.size.height - 1) // TILE_H)

    def move_cursor(self, dx: int, dy: int) -> None:
        if not self.images:
            return
        self.cursor = min(max(self.cursor + dx + dy * self.per_row, 0), len(self.images) - 1)
        row = self.cursor // self.per_row
        if row < self.first_row:
            self.first_row = row
        elif row >= self.first_row + self.visible_rows:
            self.first_row = row - self.visible_rows + 1
        self.refresh()

    def page(self, direction: int) -> None:
        self.move_cursor(0, direction * self.visible_rows)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            right = sum(p == t for p, t in zip(self.predictions or [], self.labels))
            note = f"{self.caption}: {right} of {len(self.labels)} right" if self.predictions else self.caption
            return Strip([Segment(note[:width].ljust(width), Style(color="#9aa4ad"))], width)
        tile_row, r = divmod(y - 1, TILE_H)
        first = (self.first_row + tile_row) * self.per_row
        segments: list[Segment] = [Segment(" ")]
        for k in range(first, min(first + self.per_row, len(self.images))):
            if r < 4:
                img = self.images[k]
                top = [grey(img[(2 * r) * 8 + c]) for c in range(8)]
                bottom = [grey(img[(2 * r + 1) * 8 + c]) for c in range(8)]
                segments += [Segment("▀", Style(color=t, bgcolor=b)) for t, b in zip(top, bottom)]
                segments.append(Segment("  "))
            elif r == 4:
                segments.append(self._caption(k))
            else:
                segments.append(Segment(" " * TILE_W))
        return Strip(segments, width).crop_extend(0, width, None)

    def _caption(self, k: int) -> Segment:
        true = self.labels[k]
        selected = k == self.cursor and self.has_focus
        if self.predictions is None:
            text, colour = f"{true}", "#9aa4ad"
        elif self.predictions[k] == true:
            text, colour = f"{true} ✓", "#56d364"
        else:
            text, colour = f"{self.predictions[k]} ✗({true})", "#ff7b72"
        return Segment(text.center(8)[:8] + "  ", Style(color=colour, reverse=selected, bold=selected))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        tile_row = (event.y - 1) // TILE_H
        col = (event.x - 1) // TILE_W
        if col >= self.per_row:
            return
        k = (self.first_row + tile_row) * self.per_row + col
        if 0 <= k < len(self.images):
            self.cursor = k
            self.refresh()
            self.post_message(self.Picked(k))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
