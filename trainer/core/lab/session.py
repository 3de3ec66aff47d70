"""One lab session: a dataset the learner edits, a network training in the engine process.

The screen owns a ``LabSession``. ``start_engine()`` runs on the app's main thread (see
``engine.py``); ``init``, ``step``, ``graph`` block on the engine process and run in a
worker thread; the point edits (``add``, ``move``, ``delete``, ``relabel``) are instant,
from the UI thread, and reach the engine before the next step (``sync``).

Everything the screen draws is plain floats: the loss and accuracy history, and a
``FloatNet`` of the latest weights (the decision boundary, the digits' predictions).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field, replace

from ..graph import Graph, Node
from .datasets import Dataset, load
from .engine import EngineError, EngineProcess, Superseded
from .floatnet import FloatNet, Layout, softmax

REFERENCE = "reference"
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 1000.0, 10000.0)


@dataclass(frozen=True)
class LabConfig:
    dataset: str = "yinyang"
    engine: str = REFERENCE  # "reference" or a path to the learner's file
    hidden: tuple[int, ...] | None = None  # None: the dataset's own suggestion
    act: str = "tanh"  # the reference engine's activation ("tanh" or "relu")
    lr: float = 0.1
    optimizer: str = "adamw"  # "adamw" (LLM101n) or "sgd"
    seed: int = 0
    step_timeout: float = 10.0  # seconds one step may take before the engine is killed
    init_timeout: float = 10.0

    def with_(self, **changes) -> "LabConfig":
        return replace(self, **changes)


@dataclass
class StepResult:
    t: int
    loss: float
    acc: float


@dataclass
class InspectGraph:
    graph: Graph
    param_grads: list[float]
    x: list[float]
    target: int
    scope: str
    layer: int
    neuron: int


@dataclass
class History:
    losses: list[float] = field(default_factory=list)
    accs: list[float] = field(default_factory=list)


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"8"`` or ``"16, 16"`` or ``""`` (no hidden layer); raises ValueError with a message."""
    text = text.strip().strip("[]()")
    if not text:
        return ()
    try:
        sizes = tuple(int(part) for part in text.replace(",", " ").split())
    except ValueError:
        raise ValueError(f"hidden sizes are whole numbers separated by commas, like 8 or 16, 16; not {text!r}") from None
    if any(not 1 <= s <= 64 for s in sizes) or len(sizes) > 4:
        raise ValueError("at most 4 hidden layers of 1 to 64 neurons each")
    return sizes


class LabSession:
    def __init__(self, config: LabConfig = LabConfig()):
        self.config = config
        self.dataset: Dataset = load(config.dataset)
        self.engine = EngineProcess()
        self.history = History()
        self.t = 0
        self.trained_on = 0  # how many points the engine's last step saw
        self.net: FloatNet | None = None
        self.layout: Layout | None = None
        self.engine_name = ""
        self.problem: str | None = None  # why training stopped (diverged, engine error), for the screen
        self.problem_kind: str | None = None
        self._lock = threading.Lock()  # guards the dataset between the UI and the worker
        self._generation = 0  # one more at each engine (re)start: work for an older engine is superseded
        self._dirty = False
        self._lr_dirty = False

    # -- set-up ----------------------------------------------------------------------------

    @property
    def hidden(self) -> tuple[int, ...]:
        return self.config.hidden if self.config.hidden is not None else tuple(self.dataset.hidden)

    @property
    def ready(self) -> bool:
        return self.net is not None and self.problem is None

    def start_engine(self) -> None:
        """On the main thread: (re)start the engine process. ``init()`` then loads the network.
        Work still in flight for the old process (an init, a step) ends as ``Superseded``: it
        neither reports the old process's death nor overwrites the new network."""
        self._generation += 1
        self.engine.kill()
        self.engine.start()
        self.net = None
        self.problem = self.problem_kind = None

    def reconfigure(self, config: LabConfig, new_dataset: bool = False) -> None:
        """Take a new configuration (main thread); restart the engine. ``init()`` next."""
        if new_dataset or config.dataset != self.config.dataset:
            self.dataset = load(config.dataset)
        self.config = config
        self.start_engine()

    def init(self) -> None:
        """Load the engine's file and build a fresh network (blocks; a worker thread)."""
        generation = self._generation
        with self._lock:
            X, y = [list(p) for p in self.dataset.X], list(self.dataset.y)
            self._dirty = False
        c = self.config
        try:
            reply = self.engine.request("init", c.init_timeout, engine=c.engine, X=X, y=y,
                                        classes=self.dataset.classes, hidden=list(self.hidden), act=c.act, lr=c.lr,
                                        optimizer=c.optimizer, seed=c.seed, batch=self.dataset.batch)
        except EngineError as exc:
            self._fail(exc, generation)
            raise
        if generation != self._generation:
            raise Superseded()
        self.layout = Layout.from_dict(reply["layout"])
        self.net = FloatNet(self.layout, reply["params"])
        self.engine_name = reply.get("engine", "")
        self.history = History()
        self.t = 0

    def close(self) -> None:
        self.engine.close()

    def restart(self) -> None:
        """After a failure: a fresh engine process, the same configuration (main thread)."""
        self.start_engine()

    # -- training --------------------------------------------------------------------------

    def step(self, n: int = 1) -> StepResult:
        """``n`` optimisation steps (blocks). Raises ``EngineError``; a diverged run stops."""
        if self.problem is not None:
            raise EngineError(self.problem, self.problem_kind or "engine")
        if self.net is None:
            raise EngineError("the network is not built yet", "request")
        generation = self._generation
        self.sync(generation)
        try:
            reply = self.engine.request("step", self.config.step_timeout * n, n=n)
        except EngineError as exc:
            self._fail(exc, generation)
            raise
        if generation != self._generation:
            raise Superseded()
        self.net = FloatNet(self.layout, reply["params"])
        self.history.losses.extend(reply["losses"])
        self.history.accs.extend(reply["accs"])
        self.t = reply["t"]
        self.trained_on = reply.get("n", 0)
        return StepResult(self.t, reply["losses"][-1], reply["accs"][-1])

    def set_lr(self, lr: float) -> None:
        """Instant: the engine gets the new rate before the next step."""
        with self._lock:
            self.config = self.config.with_(lr=lr)
            self._lr_dirty = True

    def sync(self, generation: int | None = None) -> None:
        """Send edited points to the engine before the next step (blocks briefly)."""
        with self._lock:
            lr = self.config.lr if self._lr_dirty else None
            self._lr_dirty = False
            if not self._dirty and lr is None:
                return
            data = ([list(p) for p in self.dataset.X], list(self.dataset.y)) if self._dirty else None
            self._dirty = False
        try:
            if lr is not None:
                self.engine.request("set", 5.0, lr=lr)
            if data is not None:
                self.engine.request("data", 5.0, X=data[0], y=data[1])
        except EngineError as exc:
            self._fail(exc, generation)
            raise

    def _fail(self, exc: EngineError, generation: int | None = None) -> None:
        """Keep the engine's failure for the UI, unless it was the failure of an engine replaced
        since (``generation``): then raise ``Superseded`` instead."""
        if generation is not None and generation != self._generation:
            raise Superseded() from exc
        self.problem, self.problem_kind = str(exc), exc.kind

    # -- editing points (instant, UI thread) -------------------------------------------------

    def add(self, x: float, y: float, label: int) -> int:
        with self._lock:
            index = self.dataset.add(x, y, label)
            self._dirty = True
        return index

    def move(self, index: int, x: float, y: float) -> None:
        with self._lock:
            self.dataset.move(index, x, y)
            self._dirty = True

    def relabel(self, index: int, label: int) -> None:
        with self._lock:
            self.dataset.relabel(index, label)
            self._dirty = True

    def delete(self, index: int) -> None:
        with self._lock:
            self.dataset.delete(index)
            self._dirty = True

    # -- what the screen shows ----------------------------------------------------------------

    def evaluate(self) -> tuple[float, float]:
        """(mean cross-entropy, accuracy) of the current weights on the current training points."""
        if self.net is None or not self.dataset.X:
            return math.nan, 0.0
        with self._lock:
            X, y = list(self.dataset.X), list(self.dataset.y)
        total, correct = 0.0, 0
        for x, t in zip(X, y):
            out = self.net.forward(x)
            try:
                p = softmax(out)[t]
                total += -math.log(p) if p > 0 else math.inf
            except (OverflowError, ValueError):
                total = math.nan
            correct += out.index(max(out)) == t
        return total / len(X), correct / len(X)

    def test_accuracy(self) -> float | None:
        if self.net is None or not self.dataset.test_X:
            return None
        return self.net.accuracy(self.dataset.test_X, self.dataset.test_y)

    def graph(self, x: list[float], target: int, scope: str = "loss", layer: int = 1,
              neuron: int = 1) -> InspectGraph:
        """The graph of one forward pass of the input ``x`` (class ``target``), with data and grad.

        ``scope`` "loss": up to that point's loss; "neuron": up to neuron ``neuron`` of
        ``layer`` (1-based; the last layer is the read-out). Blocks: a worker thread.
        """
        self.sync()
        reply = self.engine.request("graph", self.config.step_timeout, x=x, target=target, scope=scope,
                                    layer=layer, neuron=neuron)
        nodes = [Node(n["id"], n["label"], n["data"], n["grad"], n["op"]) for n in reply["nodes"]]
        graph = Graph(nodes, [tuple(e) for e in reply["edges"]], reply.get("root", 0))
        return InspectGraph(graph, reply["param_grads"], list(x), target, scope, layer, neuron)
