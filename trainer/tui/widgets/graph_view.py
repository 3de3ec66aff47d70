"""Draws a ``TextGraph`` (see ``gradrill.core.graph``) with colours, scrollable both ways."""

from __future__ import annotations

from rich.text import Text
from textual.containers import ScrollableContainer
from textual.widgets import Static

from ...core.graph import TextGraph

STYLES = {
    "border": "#7f8c9a",
    "root-border": "bold #e5c07b",
    "label": "bold #61afef",
    "data": "#e6e6e6",
    "grad": "#98c379",
    "op": "bold #c678dd",
    "edge": "#5c6370",
}


def to_text(drawing: TextGraph) -> Text:
    text = Text(no_wrap=True, overflow="ignore")
    width = drawing.width
    offsets = []
    for i, line in enumerate(drawing.lines):
        offsets.append(len(text))
        text.append(line.ljust(width))
        if i + 1 < len(drawing.lines):
            text.append("\n")
    for row, start, end, kind in drawing.spans:
        base = offsets[row]
        text.stylize(STYLES.get(kind, ""), base + start, base + end)
    return text


class GraphView(ScrollableContainer, can_focus=True):
    def compose(self):
        yield Static("", id="graph-canvas")

    def show(self, drawing: TextGraph) -> None:
        canvas = self.query_one("#graph-canvas", Static)
        canvas.remove_class("-message")
        canvas.update(to_text(drawing))

    def show_message(self, message: str, style: str = "") -> None:
        canvas = self.query_one("#graph-canvas", Static)
        canvas.add_class("-message")
        canvas.update(Text(message, style))
