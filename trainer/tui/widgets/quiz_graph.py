"""A quiz problem's graph, drawn as the graph view draws a learner's ``Value`` (``core.graph``),
with the grads the learner has not found yet hidden (``?``), the right ones green, the
wrong ones red (showing the right value), and the node to answer next highlighted.

The layout is computed once (``layout``: graphviz, slow: run it in a thread) with the true
grads, so boxes do not move as grads appear; ``QuizGraph.paint`` then masks and colours.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.widgets import Static

from ...core import graph as graphs
from ...core.quiz.graph import Problem, num
from .graph_view import GraphView, to_text

HIDDEN = "?"


def to_graph(problem: Problem) -> graphs.Graph:
    """The problem as ``core.graph`` draws it: labels are node names, numbers as the quiz shows them."""
    ids = {n.name: i for i, n in enumerate(problem.nodes)}
    nodes = [graphs.Node(ids[n.name], n.name, num(n.data), num(n.grad), _op_text(n)) for n in problem.nodes]
    edges = [(ids[c], ids[n.name]) for n in problem.nodes for c in dict.fromkeys(n.children)]
    return graphs.Graph(nodes, edges, ids[problem.output])


def _op_text(node) -> str:
    """The op as the graph labels it; an op using one node twice (``a + a``: one arrow in the
    picture, as in micrograd's draw_dot) names its operands, so the re-use shows."""
    c = node.children
    if len(c) == 2 and c[0] == c[1]:
        return f"{c[0]}{node.op}{c[1]}"
    return node.op_label


def layout(problem: Problem) -> graphs.TextGraph:
    """The drawing with every grad shown (call it in a worker thread: it runs graphviz)."""
    return graphs.render_text(to_graph(problem))


def _grad_spans(drawing: graphs.TextGraph) -> dict[str, tuple[int, int, int, tuple[int, int]]]:
    """node name -> (row, start, end) of its grad text, and its label's (row, start)."""
    labels = {}
    for row, start, end, kind in drawing.spans:
        if kind == "label":
            labels[(row, start)] = drawing.lines[row][start:end]
    out = {}
    for row, start, end, kind in drawing.spans:
        if kind == "grad":
            name = labels.get((row - 2, start + 1))
            if name is not None:
                out[name] = (row, start, end, (row - 2, start + 1))
    return out


def node_region(drawing: graphs.TextGraph, name: str) -> tuple[int, int, int, int] | None:
    """(x, y, width, height) of ``name``'s box in the drawing, or None."""
    span = _grad_spans(drawing).get(name)
    if span is None:
        return None
    row, start, end, (lrow, _) = span
    return start - 2, lrow, end - start + 4, 4


def paint(drawing: graphs.TextGraph, problem: Problem, states: dict[str, str], current: str | None) -> Text:
    """``states``: node -> "right", "wrong" or "shown" (revealed); every other node's grad is
    hidden (``?``). ``current`` (the node to answer next) gets its label highlighted."""
    spans = _grad_spans(drawing)
    lines = list(drawing.lines)
    for name, (row, start, end, _) in spans.items():
        if name in problem and name not in states:
            line = lines[row]
            width = end - start
            masked = ("grad " + HIDDEN.rjust(width - 5))[:width]
            lines[row] = line[:start] + masked + line[end:]
    text = to_text(graphs.TextGraph(lines, drawing.spans))
    offsets, pos = [], 0
    width = drawing.width
    for _ in lines:
        offsets.append(pos)
        pos += width + 1
    style = {"right": "bold #98c379", "wrong": "bold #e06c75", "shown": "#e5c07b"}
    for name, (row, start, end, (lrow, lstart)) in spans.items():
        state = states.get(name)
        text.stylize(style.get(state, "#5c6370"), offsets[row] + start, offsets[row] + end)
        if name == current:
            text.stylize("reverse bold #e5c07b", offsets[lrow] + lstart, offsets[lrow] + lstart + len(name))
    return text


class QuizGraph(GraphView):
    """The graph view, painted by ``paint`` (reuses ``GraphView``'s scrolling canvas)."""

    def show_text(self, text: Text) -> None:
        canvas = self.query_one("#graph-canvas", Static)
        canvas.remove_class("-message")
        canvas.update(text)

    def bring_into_view(self, choices: list[list[tuple[int, int, int, int] | None]]) -> None:
        """Scroll to show the first group of boxes (``node_region``) that fits in the view (the
        last group, if none does)."""
        view = self.scrollable_content_region.size
        target = None
        for group in choices:
            boxes = [Region(*r) for r in group if r is not None]
            if not boxes:
                continue
            target = Region.from_union(boxes)
            if target.width <= view.width and target.height <= view.height:
                break
        if target is not None:
            self.call_after_refresh(self.scroll_to_region, target, animate=False)
