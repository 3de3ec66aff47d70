"""Inspect the paused network: the graph of one forward pass of one point, and one neuron.

The graph comes from the engine process (the same process that trains; learner code never
runs here) and is drawn with the graph view. Every node shows its data and its grad: the
gradient of that point's loss (or of the chosen neuron's output) with respect to it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ...core import graph as graphs
from ...core.lab.engine import EngineError
from ...core.lab.floatnet import softmax
from ...core.lab.session import LabSession
from ..messages.lab import LabGraphFailed, LabGraphReady
from ..widgets.graph_view import GraphView
from ..widgets.lab_digits import weight_colour


class LabInspectScreen(Screen):
    CSS_PATH = "lab.tcss"  # loaded when this screen first opens

    BINDINGS = [
        Binding("right_square_bracket", "neuron(1)", "Next neuron"),
        Binding("left_square_bracket", "neuron(-1)", "Previous neuron"),
        Binding("g", "scope", "Whole pass / neuron"),
        Binding("w", "weights", "Weights pane"),
        Binding("escape,q,i", "app.pop_screen", "Back"),
    ]

    def __init__(self, session: LabSession, x: list[float], target: int, what: str) -> None:
        super().__init__()
        self.session, self.x, self.target, self.what = session, x, target, what
        layout = session.layout
        self.neurons = layout.neurons()
        images = layout.sizes[0] > 2
        # digits: the read-out neuron of the image's class (the whole pass is too big to draw)
        self.current = self.neurons.index((len(layout.sizes) - 1, target + 1)) if images else 0
        self.scope = "neuron" if images else "loss"
        self.inspect = None

    def compose(self) -> ComposeResult:
        yield Static("", id="lab-inspect-bar", classes="topbar")
        with Horizontal(id="lab-inspect-body"):
            yield GraphView(id="graph-view")
            with VerticalScroll(id="lab-neuron-pane"):
                yield Static("", id="lab-neuron")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(GraphView).focus()
        self._load()

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow != self.has_class("-narrow"):  # narrow: the graph gets the width, w shows the weights
            self.set_class(narrow, "-narrow")
            self.query_one("#lab-neuron-pane").set_class(narrow, "-hidden")

    def action_weights(self) -> None:
        self.query_one("#lab-neuron-pane").toggle_class("-hidden")

    def _describe(self, layer: int, n: int) -> str:
        """``h1.3``, or for the read-out ``z4, the logit of digit 3`` / ``z2, the logit of class 2``."""
        layout = self.session.layout
        name = layout.neuron_name(layer, n)
        if layer < len(layout.sizes) - 1:
            return name
        what = f"digit {n - 1}" if layout.sizes[0] > 2 else f"class {n}"
        return f"{name}, the logit of {what}"

    def _bar(self, note: str = "") -> None:
        layer, n = self.neurons[self.current]
        name = self._describe(layer, n)
        text = Text()
        text.append("Inspect", "bold")
        text.append(f"  step {self.session.t} · {self.what}", "")
        root = "this point's loss" if self.scope == "loss" else f"neuron {name}"
        text.append(f" · graph of {root}", "dim")
        if note:
            text.append(f"   {note}", "dim")
        self.query_one("#lab-inspect-bar", Static).update(text)

    def _load(self) -> None:
        self._bar("asking the engine…")
        self.query_one(GraphView).show_message("Running one forward and backward pass in the engine…", "dim")
        self._show_neuron()
        layer, n = self.neurons[self.current]
        self._fetch(self.scope, layer, n)

    @work(thread=True, exclusive=True, group="lab-inspect", exit_on_error=False)
    def _fetch(self, scope: str, layer: int, n: int) -> None:
        worker = get_current_worker()
        try:
            inspect = self.session.graph(self.x, self.target, scope, layer, n)
            drawing = graphs.render_text(inspect.graph)
        except (EngineError, graphs.GraphError) as exc:
            message: LabGraphReady | LabGraphFailed = LabGraphFailed(str(exc))
        except Exception as exc:  # noqa: BLE001 - show it, never crash the app
            message = LabGraphFailed(f"drawing failed: {type(exc).__name__}: {exc}")
        else:
            message = LabGraphReady(inspect, drawing)
        if not worker.is_cancelled:
            self.post_message(message)

    @on(LabGraphReady)
    def _ready(self, message: LabGraphReady) -> None:
        self.inspect = message.inspect
        view = self.query_one(GraphView)
        view.show(message.drawing)
        root = [(row, end) for row, _, end, kind in message.drawing.spans if kind == "root-border"]
        if root:  # bring the root (the loss, on the right) into view; the inputs are to the left
            top, right = min(r for r, _ in root), max(e for _, e in root)
            bottom = max(r for r, _ in root)

            def show_root() -> None:
                width, height = view.scrollable_content_region.size
                x = max(0, right + 2 - width)
                y = 0 if bottom + 2 <= height else max(0, (top + bottom) // 2 - height // 2)
                view.scroll_to(x=x, y=y, animate=False)

            self.call_after_refresh(show_root)
        self._bar(f"{len(message.inspect.graph.nodes)} values · arrows scroll; the inputs are to the left")
        self._show_neuron()

    @on(LabGraphFailed)
    def _failed(self, message: LabGraphFailed) -> None:
        self._bar()
        self.query_one(GraphView).show_message(f"No graph.\n\n{message.error}", "red")

    def action_neuron(self, step: int) -> None:
        self.current = (self.current + step) % len(self.neurons)
        if self.scope == "neuron":
            self._load()
        else:
            self._show_neuron()
            self._bar()

    def action_scope(self) -> None:
        self.scope = "neuron" if self.scope == "loss" else "loss"
        self._load()

    def _show_neuron(self) -> None:
        s = self.session
        layout, net = s.layout, s.net
        layer, n = self.neurons[self.current]
        name = layout.neuron_name(layer, n)
        w, b = net.neuron(layer - 1, n - 1)
        start, nin = layout.param_slice(layer, n)
        grads = self.inspect.param_grads[start:start + nin + 1] if self.inspect else None
        act = layout.acts[layer - 1]
        inputs = layout.input_names(layer)
        text = Text()
        text.append(f"Neuron {self._describe(layer, n)}", "bold")
        text.append(f"  (layer {layer} of {len(layout.sizes) - 1}, neuron {n} of {layout.sizes[layer]})\n", "dim")
        inner = " + ".join(f"w{layer}.{n}.{i}·{name}" for i, name in enumerate(inputs[:2], start=1))
        inner += (" + …" if len(inputs) > 2 else "") + f" + b{layer}.{n}"
        text.append(f"{name} = {act + '(' if act != 'linear' else ''}{inner}{')' if act != 'linear' else ''}\n\n",
                    "")
        if nin == 64:  # a digit's pixels: the weights as an 8x8 picture
            scale = max(abs(v) for v in w) or 1.0
            text.append("its weights as a picture (red +, blue -):\n", "dim")
            for r in range(0, 8, 2):
                for c in range(8):
                    text.append("▀▀", f"{weight_colour(w[r * 8 + c], scale)} on "
                                      f"{weight_colour(w[(r + 1) * 8 + c], scale)}")
                text.append("\n")
            text.append("\n")
        root = "this point's loss" if self.scope == "loss" else name
        text.append(f"grad: d({root}) / d(weight)\n", "dim")
        text.append(f"{'':10}{'':6}{'data':>9}  {'grad':>9}\n", "dim")
        labels = [(f"w{layer}.{n}.{i}", f"·{name}") for i, name in enumerate(inputs, start=1)] + [(f"b{layer}.{n}", "")]
        for k, ((label, times), value) in enumerate(list(zip(labels, w + [b]))[:70]):
            g = grads[k] if grads else None
            text.append(f"{label:<10}", "#61afef")
            text.append(f"{times:<6}", "dim")
            text.append(f"{value:>9.4f}", "")
            text.append(f"  {round(g, 4) + 0.0:>9.4f}\n" if g is not None else "\n", "#98c379")
        out = net.forward(self.x)
        probs = softmax(out)
        text.append("\nthe network on this point:\n", "bold")
        for k, p in enumerate(probs):
            mark = " ← true class" if k == self.target else ""
            label = str(k) if layout.sizes[0] > 2 else str(k + 1)
            text.append(f"  class {label}: {p:6.1%}{mark}\n", "bold" if k == self.target else "")
        self.query_one("#lab-neuron", Static).update(text)
