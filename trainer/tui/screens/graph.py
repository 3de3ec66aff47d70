"""The expression graph of the learner's ``Value``, drawn in the terminal; export to PNG/SVG."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ... import locations
from ...core import graph as graphs
from ...core.catalog import Challenge
from ..messages.drill import GraphFailed, GraphReady
from ..widgets.graph_view import GraphView


class GraphScreen(Screen):
    BINDINGS = [
        Binding("r", "refresh_graph", "Redraw"),
        Binding("p", "export('png')", "Export PNG"),
        Binding("v", "export('svg')", "Export SVG"),
        Binding("escape,q", "app.pop_screen", "Back"),
    ]

    def __init__(self, challenge: Challenge, path: Path, export_dir: Path | None = None) -> None:
        super().__init__()
        self.challenge, self.path = challenge, path
        self.export_dir = export_dir or locations.cache_dir() / "graphs"
        self.graph: graphs.Graph | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="graph-bar", classes="topbar")
        yield GraphView(id="graph-view")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(GraphView).focus()
        self.action_refresh_graph()

    def _bar(self, note: str = "") -> None:
        text = Text()
        text.append(f"Graph of {self.challenge.graph}()", "bold")
        text.append(f"  from {self.path.name}", "dim")
        if note:
            text.append(f"   {note}", "dim")
        self.query_one("#graph-bar", Static).update(text)

    def action_refresh_graph(self) -> None:
        self._bar("drawing…")
        self.query_one(GraphView).show_message(f"Calling {self.challenge.graph}() from your file…", "dim")
        self.draw()

    @work(thread=True, exclusive=True, group="graph", exit_on_error=False)
    def draw(self) -> None:
        """In a thread: the learner's function runs in a child process (``core.graph.extract``)."""
        worker = get_current_worker()
        try:
            graph = graphs.extract(self.path, self.challenge.graph or "", timeout=self.challenge.timeout_seconds)
            drawing = graphs.render_text(graph)
        except graphs.GraphError as exc:
            message: GraphReady | GraphFailed = GraphFailed(str(exc))
        except Exception as exc:  # noqa: BLE001 - show it, never crash the app
            message = GraphFailed(f"drawing failed: {type(exc).__name__}: {exc}")
        else:
            message = GraphReady(graph, drawing)
        if not worker.is_cancelled:
            self.post_message(message)

    @on(GraphReady)
    def _graph_ready(self, message: GraphReady) -> None:
        self.graph = message.graph
        self.query_one(GraphView).show(message.drawing)
        n = len(message.graph.nodes)
        self._bar(f"{n} values · scroll with the arrow keys")

    @on(GraphFailed)
    def _graph_failed(self, message: GraphFailed) -> None:
        self.graph = None
        self._bar()
        self.query_one(GraphView).show_message(
            f"No graph to draw.\n\n{message.error}\n\nFix your file, then press r to redraw.", "red")

    def action_export(self, fmt: str) -> None:
        if self.graph is None:
            self.notify("Nothing to export yet.", severity="warning")
            return
        self.export(self.graph, fmt)

    @work(thread=True, group="export", exit_on_error=False)
    def export(self, graph: graphs.Graph, fmt: str) -> None:
        out = self.export_dir / f"{self.challenge.id}.{fmt}"
        try:
            graphs.export(graph, out, fmt)
        except (graphs.GraphError, OSError) as exc:
            self.app.call_from_thread(self.notify, f"Export failed: {exc}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Saved {out}", title=f"{fmt.upper()} exported")
