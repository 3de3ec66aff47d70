"""The training lab: a dataset, the network's decision boundary, the loss going down.

Training runs in the engine process (``core.lab``), driven from a worker thread; a second
worker thread turns the latest weights into the boundary. The UI thread only edits points
and draws, so keys are answered while the network trains.
"""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...core.lab import datasets as lab_datasets
from ...core.lab.draw import Painter
from ...core.lab.engine import EngineError
from ...core.lab.session import LEARNING_RATES, REFERENCE, LabConfig, LabSession, parse_hidden
from ..messages.lab import LabDrawn, LabFailed, LabReady, LabStepped
from ..widgets.lab_digits import DigitsView
from ..widgets.lab_plot import LabPlot, class_colour, class_glyph

DRAW_INTERVAL = 0.1  # seconds between redraws of the boundary while training
SPEEDS = (1, 2, 5, 10, 20, 0)  # steps a second; 0: as fast as the engine goes
DATASET_ORDER = tuple(lab_datasets.DATASETS)


def _speed_words(speed: int) -> str:
    return "max" if speed == 0 else f"{speed}/s"


def _fmt_loss(v: float) -> str:
    if not math.isfinite(v):
        return str(v)
    return f"{v:.4f}" if v < 10 else f"{v:.3g}"


class LabScreen(Screen):
    CSS_PATH = "lab.tcss"  # loaded when this screen first opens

    BINDINGS = [
        Binding("space", "play_pause", "Play/Pause"),
        Binding("n", "step", "Step"),
        Binding("plus,equals_sign", "speed(1)", "Faster", show=False),
        Binding("minus", "speed(-1)", "Slower", show=False),
        Binding("right_square_bracket", "lr(1)", "LR up", show=False),
        Binding("left_square_bracket", "lr(-1)", "LR down", show=False),
        Binding("d", "dataset", "Dataset"),
        Binding("e", "engine", "Engine"),
        Binding("h", "hidden", "Hidden"),
        Binding("t", "activation", "tanh/relu", show=False),
        Binding("o", "optimizer", "AdamW/SGD", show=False),
        Binding("r", "reset", "New weights"),
        Binding("i", "inspect", "Inspect"),
        Binding("enter", "add_point", "Add point", show=False),
        Binding("m", "grab", "Move point", show=False),
        Binding("x,delete,backspace", "delete_point", "Delete point", show=False),
        Binding("up", "cursor(0, 1)", "Cursor up", show=False),
        Binding("down", "cursor(0, -1)", "Cursor down", show=False),
        Binding("left", "cursor(-1, 0)", "Cursor left", show=False),
        Binding("right", "cursor(1, 0)", "Cursor right", show=False),
        Binding("shift+up", "cursor(0, 4)", "Cursor 4 steps at a time (shift+arrows)", show=False),
        Binding("shift+down", "cursor(0, -4)", "", show=False),
        Binding("shift+left", "cursor(-4, 0)", "", show=False),
        Binding("shift+right", "cursor(4, 0)", "", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("1", "choose_class(0)", "Class 1 for new points (2-9 likewise; also relabels a picked-up point)",
                show=False),
        *[Binding(str(k), f"choose_class({k - 1})", "", show=False) for k in range(2, 10)],
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self, config: LabConfig | None = None, workspace_dir: Path | None = None) -> None:
        super().__init__()
        self.session = LabSession(config or LabConfig())
        self.painter = Painter()
        self.workspace_dir = workspace_dir
        self.playing = False
        self.speed = len(SPEEDS) - 1
        self.new_class = 0
        self.grabbed: int | None = None
        self.message: tuple[str, str] | None = None  # (text, style) under the status
        self._wake = threading.Event()  # wakes the training loop from its pause between steps
        self._draw_wanted = threading.Event()
        self._drawn_t = -1
        self._closing = False
        self.test_accuracy: float | None = None  # digits: of the test images shown

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ds = self.session.dataset
        yield Static("", id="lab-bar", classes="topbar")
        with Horizontal(id="lab-body"):
            yield LabPlot(ds.bounds, id="lab-plot")
            yield DigitsView(id="lab-digits", classes="-hidden")
            with Vertical(id="lab-side"):
                yield Static("", id="lab-status")
                yield Label("loss", id="lab-loss-label")
                yield Sparkline([], id="lab-loss", summary_function=max)
                yield Static("", id="lab-points")
                yield Static("", id="lab-message")
        yield Footer()

    @property
    def plot(self) -> LabPlot:  # also read from the drawing thread: a plain attribute, no DOM query
        return self._plot

    @property
    def digits(self) -> DigitsView:
        return self._digits

    def on_mount(self) -> None:
        self._plot = self.query_one(LabPlot)
        self._digits = self.query_one(DigitsView)
        self._show_dataset()
        self.painter.start()
        self._drawer()
        self._start_engine()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def on_unmount(self) -> None:
        self._closing = True
        self.playing = False
        self._wake.set()
        self._draw_wanted.set()
        self.session.close()
        self.painter.close()

    # -- the engine ----------------------------------------------------------------------

    def _start_engine(self) -> None:
        """Main thread: a fresh engine process; the network is built in a worker."""
        self.playing = False
        self._wake.set()
        self.test_accuracy = None
        self.session.start_engine()
        self._say("building the network…", "dim")
        self._refresh_panel()
        self._init_engine()

    @work(thread=True, exclusive=True, group="lab-train", exit_on_error=False)
    def _init_engine(self) -> None:
        try:
            self.session.init()
        except EngineError as exc:
            if exc.kind != "superseded":  # an engine replaced meanwhile: the new one's init reports
                self.post_message(LabFailed(str(exc), exc.kind))
            return
        self.post_message(LabReady())

    @on(LabReady)
    def _ready(self) -> None:
        self._say("")
        self._drawn_t = -1
        self._want_draw()
        self._refresh_panel()

    @on(LabFailed)
    def _failed(self, message: LabFailed) -> None:
        if message.kind == "draw":  # the drawing process: say so, start a new one, keep training
            self.notify(message.error, severity="error")
            self.painter.start()
            self._drawer()
            self._want_draw()
            return
        self.playing = False
        if message.kind == "diverged":
            self._say(f"✗ {message.error}\nLower the learning rate ([) and press r for new weights.", "bold red")
        elif message.kind in ("timeout", "dead"):
            self._say(f"✗ {message.error}\nPress r to restart the engine, or e to pick another.", "bold red")
        else:
            self._say(f"✗ {message.error}\nFix the file and press r, or e to pick another engine.", "bold red")
        self._refresh_panel()

    # -- training ------------------------------------------------------------------------

    def action_play_pause(self) -> None:
        if self.playing:
            self.playing = False
            self._wake.set()
            self._refresh_panel()
            return
        if not self._can_train():
            return
        self.playing = True
        self._wake.clear()
        self._refresh_panel()
        self._train_loop()

    def action_step(self) -> None:
        if self.playing:
            self.playing = False
            self._wake.set()
            self._refresh_panel()
            return
        if self._can_train():
            self._train_once()

    def _can_train(self) -> bool:
        s = self.session
        if s.problem is not None:
            self.notify("Training stopped: " + ("press r for new weights." if s.problem_kind == "diverged"
                                                else "press r to restart the engine."), severity="warning")
            return False
        if s.net is None:
            self.notify("The network is still being built.", severity="warning")
            return False
        return True

    @work(thread=True, exclusive=True, group="lab-train", exit_on_error=False)
    def _train_loop(self) -> None:
        worker = get_current_worker()
        while self.playing and not worker.is_cancelled and not self._closing:
            started = time.monotonic()
            if not self._one_step():
                return
            speed = SPEEDS[self.speed]
            if speed:
                wait = 1 / speed - (time.monotonic() - started)
                if wait > 0:
                    self._wake.wait(wait)

    @work(thread=True, exclusive=True, group="lab-train", exit_on_error=False)
    def _train_once(self) -> None:
        self._one_step()

    def _one_step(self) -> bool:
        try:
            result = self.session.step()
        except EngineError as exc:
            self.playing = False
            if not self._closing and exc.kind != "superseded":
                self.post_message(LabFailed(str(exc), exc.kind))
            return False
        self.post_message(LabStepped(result.t, result.loss, result.acc))
        self._draw_wanted.set()
        return True

    @on(LabStepped)
    def _stepped(self, message: LabStepped) -> None:
        self._refresh_panel()

    # -- drawing (a worker thread that waits for new weights) ------------------------------

    def _want_draw(self) -> None:
        self._draw_wanted.set()

    @work(thread=True, exclusive=True, group="lab-draw", exit_on_error=False)
    def _drawer(self) -> None:
        """Waits for new weights; the drawing process computes the boundary (or the digits'
        guesses), so this thread holds the GIL only to pass messages."""
        worker = get_current_worker()
        while not worker.is_cancelled and not self._closing:
            self._draw_wanted.wait(1.0)
            if self._closing:
                return
            if not self._draw_wanted.is_set():
                continue
            self._draw_wanted.clear()
            net, t, ds = self.session.net, self.session.t, self.session.dataset
            if net is None:
                continue
            try:
                if ds.editable:
                    axes = self.plot.axes()
                    rows = self.painter.boundary(net, axes.xs(), axes.ys(), ds.bounds, ds.classes)
                    self.post_message(LabDrawn(t, rows, axes))
                else:
                    labels = list(self.digits.labels)
                    predictions = self.painter.predict(net, list(self.digits.images))
                    right = sum(p == y for p, y in zip(predictions, labels))
                    self.post_message(LabDrawn(t, None, None, predictions, right / max(len(labels), 1)))
            except EngineError as exc:
                if not self._closing:
                    self.post_message(LabFailed(f"drawing failed: {exc}", "draw"))
                return
            time.sleep(DRAW_INTERVAL)  # at most ~10 redraws a second: the CPU is the engine's

    @on(LabDrawn)
    def _drawn(self, message: LabDrawn) -> None:
        self._drawn_t = message.t
        if message.grid is not None:
            self.plot.show_codes(message.grid, message.axes)
        if message.predictions is not None:
            self.test_accuracy = message.accuracy
            self.digits.show_predictions(message.predictions)
            self._refresh_panel()

    @on(LabPlot.Resized)
    def _plot_resized(self) -> None:
        self._want_draw()

    # -- the panel -----------------------------------------------------------------------

    def _say(self, text: str, style: str = "") -> None:
        self.note = (text, style) if text else None
        if self.is_mounted:
            self.query_one("#lab-message", Static).update(Text(text, style))

    def _refresh_panel(self) -> None:
        s = self.session
        c = s.config
        ds = s.dataset
        bar = Text()
        bar.append("Lab", "bold")
        bar.append(f"  {ds.title}", "")
        bar.append(f"  ·  engine: {s.engine_name or self._engine_words()}", "dim")
        self.query_one("#lab-bar", Static).update(bar)

        text = Text()
        if s.problem is not None:
            state, style = ("■ diverged", "bold red") if s.problem_kind == "diverged" else ("■ stopped", "bold red")
        elif s.net is None:
            state, style = "… building", "yellow"
        elif self.playing:
            state, style = "▶ playing", "bold green"
        else:
            state, style = "❚❚ paused", "bold yellow"
        text.append(state, style)
        text.append(f"   step {s.t}\n", "")
        losses, accs = s.history.losses, s.history.accs
        if s.net is not None:
            loss, acc = s.evaluate() if ds.editable else (losses[-1] if losses else math.nan,
                                                          accs[-1] if accs else 0.0)
            text.append("loss ", "dim")
            text.append(_fmt_loss(loss), "bold")
            text.append("  accuracy ", "dim")
            text.append(f"{acc:.0%}", "bold green" if acc == 1.0 else "bold")
            if not ds.editable:
                text.append("\n(batch)", "dim")
                if self.test_accuracy is not None:
                    text.append(f"  test {self.test_accuracy:.0%}", "bold")
            text.append("\n")
        net = s.layout.describe() if s.layout else f"MLP({len(ds.X[0])}, {list(s.hidden) + [ds.classes]})"
        text.append(net + "\n", "")
        opt = "AdamW" if c.optimizer == "adamw" else "SGD"
        text.append(f"{opt}  lr ", "dim")
        text.append(f"{c.lr:g}", "bold")
        text.append("  speed ", "dim")
        text.append(_speed_words(SPEEDS[self.speed]), "bold")
        batch = f"  batch {ds.batch}" if ds.batch else ""
        text.append(f"{batch}\n", "dim")
        self.query_one("#lab-status", Static).update(text)

        spark = self.query_one("#lab-loss", Sparkline)
        finite = [v for v in losses[-400:] if math.isfinite(v)]
        spark.data = finite
        first = _fmt_loss(losses[0]) if losses else "-"
        self.query_one("#lab-loss-label", Label).update(
            Text.assemble(("loss ", "dim"), (f"{first} → {_fmt_loss(losses[-1])}" if losses else "(no steps yet)", "")))

        pts = Text()
        if ds.editable:
            pts.append(f"{len(ds.X)} points.  New points: ", "dim")
            for k in range(ds.classes):
                chosen = k == self.new_class
                pts.append(f" {k + 1}{class_glyph(k)} ", f"bold {class_colour(k)}" + (" reverse" if chosen else ""))
            x, y = self.plot.cursor
            pts.append(f"\ncursor ({x:+.2f}, {y:+.2f})", "dim")
            if self.grabbed is not None:
                pts.append("  moving a point: arrows, m drops", "bold")
            pts.append("\nclick: add · drag: move · right-click: delete\nenter add · m move · x delete · 1-9 class",
                       "dim")
        else:
            pts.append(f"{len(ds.X)} training images, {len(ds.test_X)} test images shown.\n", "dim")
            pts.append("arrows pick an image · i inspects it", "dim")
        self.query_one("#lab-points", Static).update(pts)

    def _engine_words(self) -> str:
        spec = self.session.config.engine
        return "the reference" if spec == REFERENCE else Path(spec).name

    # -- datasets, engines, the network --------------------------------------------------------

    def _show_dataset(self) -> None:
        ds = self.session.dataset
        plot, digits = self.plot, self.digits
        plot.set_class(not ds.editable, "-hidden")
        digits.set_class(ds.editable, "-hidden")
        if ds.editable:
            plot.show_points(ds.X, ds.y, ds.classes, ds.bounds)
            plot.cursor = ((ds.bounds[0] + ds.bounds[1]) / 2, (ds.bounds[2] + ds.bounds[3]) / 2)
            plot.clear_grid()
            plot.focus()
        else:
            digits.show_images(ds.test_X, ds.test_y, "test images and the network's guesses")
            digits.show_predictions(None)
            digits.focus()
        self.new_class = min(self.new_class, ds.classes - 1)
        self.grabbed = None

    def _reconfigure(self, new_dataset: bool = False, **changes) -> None:
        config = self.session.config.with_(**changes)
        self.playing = False
        self._wake.set()
        self.session.reconfigure(config, new_dataset=new_dataset)
        self._show_dataset()
        self._start_engine()

    def action_dataset(self) -> None:
        current = self.session.config.dataset
        following = DATASET_ORDER[(DATASET_ORDER.index(current) + 1) % len(DATASET_ORDER)]
        self.switch_dataset(following)

    def switch_dataset(self, name: str) -> None:
        self._reconfigure(new_dataset=True, dataset=name, hidden=None)
        self.notify(self.session.dataset.source, title=self.session.dataset.title, timeout=4)

    def action_engine(self) -> None:
        self.app.push_screen(EngineDialog(self.session.config.engine, self.workspace_dir), self._engine_chosen)

    def _engine_chosen(self, spec: str | None) -> None:
        if spec:
            self.switch_engine(spec)

    def switch_engine(self, spec: str) -> None:
        if spec != REFERENCE:
            path = Path(spec).expanduser()
            if not path.is_file():
                self.notify(f"no file at {path}", severity="error")
                return
            spec = str(path.resolve())
        self._reconfigure(engine=spec)

    def action_hidden(self) -> None:
        current = ", ".join(str(h) for h in self.session.hidden)
        self.app.push_screen(HiddenDialog(current), self._hidden_chosen)

    def _hidden_chosen(self, text: str | None) -> None:
        if text is None:
            return
        try:
            sizes = parse_hidden(text)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self._reconfigure(hidden=sizes)

    def action_activation(self) -> None:
        if self.session.config.engine != REFERENCE:
            self.notify("Your MLP applies its own activation; the lab reads which one from its outputs.",
                        title="Activation")
            return
        self._reconfigure(act="relu" if self.session.config.act == "tanh" else "tanh")

    def action_optimizer(self) -> None:
        self._reconfigure(optimizer="sgd" if self.session.config.optimizer == "adamw" else "adamw")

    def action_reset(self) -> None:
        self._reconfigure(seed=self.session.config.seed + 1)

    def action_lr(self, direction: int) -> None:
        lr = self.session.config.lr
        ladder = LEARNING_RATES
        if direction > 0:
            bigger = [v for v in ladder if v > lr * 1.0001]
            lr = bigger[0] if bigger else ladder[-1]
        else:
            smaller = [v for v in ladder if v < lr * 0.9999]
            lr = smaller[-1] if smaller else ladder[0]
        self.session.set_lr(lr)
        self._refresh_panel()

    def action_speed(self, direction: int) -> None:
        self.speed = min(max(self.speed + direction, 0), len(SPEEDS) - 1)
        self._refresh_panel()

    # -- points --------------------------------------------------------------------------

    def _radius(self) -> float:
        return 1.5 * self.plot.axes().scale * 2

    def _after_edit(self) -> None:
        ds = self.session.dataset
        self.plot.show_points(ds.X, ds.y, ds.classes)
        self._refresh_panel()

    def _try(self, edit) -> bool:
        try:
            edit()
        except lab_datasets.PointOutside as exc:
            self.notify(str(exc), severity="warning")
            return False
        self._after_edit()
        return True

    @on(LabPlot.Pressed)
    def _pressed(self, event: LabPlot.Pressed) -> None:
        ds = self.session.dataset
        self.plot.set_cursor(*ds.clamp(event.x, event.y))
        near = ds.nearest(event.x, event.y, self._radius())
        if event.button == 3 or (event.button == 1 and event.ctrl):
            if near is None:
                self.notify("No point there to delete.", severity="warning")
            else:
                self._try(lambda: self.session.delete(near))
            return
        if event.button != 1:
            return
        if near is not None:
            self.grabbed = near
            self.plot.grabbed = near
            self._after_edit()
        else:
            self._try(lambda: self.session.add(event.x, event.y, self.new_class))

    @on(LabPlot.Dragged)
    def _dragged(self, event: LabPlot.Dragged) -> None:
        if self.grabbed is None:
            return
        x, y = self.session.dataset.clamp(event.x, event.y)
        self.plot.cursor = (x, y)
        self._try(lambda: self.session.move(self.grabbed, x, y))

    @on(LabPlot.Released)
    def _released(self, event: LabPlot.Released) -> None:
        if self.grabbed is not None:
            self.grabbed = None
            self.plot.grabbed = None
            self._after_edit()

    def action_cursor(self, dx: int, dy: int) -> None:
        ds = self.session.dataset
        if not ds.editable:
            self.digits.move_cursor(dx and (1 if dx > 0 else -1), -dy and (1 if dy < 0 else -1))
            return
        scale = self.plot.axes().scale
        x, y = self.plot.cursor
        x, y = ds.clamp(x + dx * scale, y + dy * 2 * scale)
        self.plot.set_cursor(x, y)
        if self.grabbed is not None:
            self._try(lambda: self.session.move(self.grabbed, x, y))
        else:
            self._refresh_panel()

    def action_page(self, direction: int) -> None:
        if not self.session.dataset.editable:
            self.digits.page(direction)

    def action_add_point(self) -> None:
        if not self.session.dataset.editable:
            self.action_inspect()
            return
        x, y = self.plot.cursor
        self._try(lambda: self.session.add(x, y, self.new_class))

    def action_grab(self) -> None:
        ds = self.session.dataset
        if not ds.editable:
            return
        if self.grabbed is not None:
            self.grabbed = None
            self.plot.grabbed = None
            self._after_edit()
            return
        near = ds.nearest(*self.plot.cursor, self._radius())
        if near is None:
            self.notify("No point under the cursor to move.", severity="warning")
            return
        self.grabbed = near
        self.plot.grabbed = near
        self.plot.set_cursor(*ds.X[near])
        self._after_edit()

    def action_delete_point(self) -> None:
        ds = self.session.dataset
        if not ds.editable:
            return
        near = self.grabbed if self.grabbed is not None else ds.nearest(*self.plot.cursor, self._radius())
        if near is None:
            self.notify("No point under the cursor to delete.", severity="warning")
            return
        self.grabbed = None
        self.plot.grabbed = None
        self._try(lambda: self.session.delete(near))

    def action_choose_class(self, k: int) -> None:
        ds = self.session.dataset
        if not ds.editable:
            return
        if k >= ds.classes:
            self.notify(f"This dataset has {ds.classes} classes (1-{ds.classes}).", severity="warning")
            return
        self.new_class = k
        if self.grabbed is not None:
            self._try(lambda: self.session.relabel(self.grabbed, k))
        else:
            self._refresh_panel()

    def palette_commands(self) -> list[tuple[str, str, object]]:
        """The lab's actions for the command palette (``ActionCommands``)."""
        out = [
            ("Play / pause training", "Train continuously, or stop (space)", self.action_play_pause),
            ("One step", "One optimisation step (n)", self.action_step),
            ("Inspect", "The graph of one point's forward pass and a neuron's weights (i)", self.action_inspect),
            ("New weights", "A fresh network, the same points (r)", self.action_reset),
            ("Choose the engine", "The reference, or your own file (e)", self.action_engine),
            ("Hidden layer sizes", "The network's shape (h)", self.action_hidden),
            ("Toggle tanh / relu", "The reference engine's activation (t)", self.action_activation),
            ("Toggle AdamW / SGD", "The optimizer (o)", self.action_optimizer),
        ]
        for name in DATASET_ORDER:
            title = lab_datasets.load(name).title if name != "digits" else "handwritten digits 8x8"
            out.append((f"Dataset: {title}", f"Train on {title}", lambda n=name: self.switch_dataset(n)))
        return out

    # -- inspect -------------------------------------------------------------------------

    def action_inspect(self) -> None:
        s = self.session
        if s.net is None or s.layout is None:
            self.notify("Nothing to inspect yet: the network is being built.", severity="warning")
            return
        if s.problem is not None and s.problem_kind != "diverged":
            self.notify("The engine stopped: press r first.", severity="warning")
            return
        if self.playing:
            self.playing = False
            self._wake.set()
            self._refresh_panel()
        ds = s.dataset
        if ds.editable:
            index = self.grabbed if self.grabbed is not None else ds.nearest(*self.plot.cursor, math.inf)
            x, target = list(ds.X[index]), ds.y[index]
            what = f"point {index + 1} ({x[0]:+.2f}, {x[1]:+.2f}), class {target + 1}"
        else:
            index = self.digits.cursor
            x, target = list(ds.test_X[index]), ds.test_y[index]
            what = f"test image {index + 1}, a {target}"
        from .lab_inspect import LabInspectScreen

        self.app.push_screen(LabInspectScreen(s, x, target, what))

    def action_back(self) -> None:
        if self.grabbed is not None:
            self.action_grab()
            return
        self.app.pop_screen()


class EngineDialog(ModalScreen[str | None]):
    """Pick the engine: the reference, a file from the workspace, or any path."""

    CSS_PATH = "lab.tcss"  # loaded when this screen first opens

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str, workspace_dir: Path | None) -> None:
        super().__init__()
        self.current = current
        self.workspace_dir = workspace_dir

    def candidates(self) -> list[tuple[str, str]]:
        out = [(REFERENCE, "The reference engine (gradrill's own micrograd)")]
        if self.workspace_dir and self.workspace_dir.is_dir():
            files = sorted(self.workspace_dir.glob("*.py"), key=lambda p: (p.name != "final_checkpoint.py", p.name))
            for path in files:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                if "class Value" in text and "class MLP" in text:
                    out.append((str(path), f"Your file {path.name}"))
        return out

    def compose(self) -> ComposeResult:
        with Vertical(id="lab-dialog"):
            yield Label("Whose engine trains the network?", classes="lab-dialog-title")
            yield OptionList(*[Option(words, id=spec) for spec, words in self.candidates()], id="lab-engines")
            yield Label("or the path of any file defining Value and MLP:", classes="lab-dialog-note")
            yield Input(placeholder="~/micrograd/mine.py", id="lab-engine-path")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HiddenDialog(ModalScreen[str | None]):
    CSS_PATH = "lab.tcss"  # loaded when this screen first opens

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="lab-dialog"):
            yield Label("Hidden layer sizes", classes="lab-dialog-title")
            yield Label("like 8, or 16, 16; empty for none (a softmax classifier)", classes="lab-dialog-note")
            yield Input(value=self.current, id="lab-hidden-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
