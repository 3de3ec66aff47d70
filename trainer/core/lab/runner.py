"""The lab's engine process: ``python -m gradrill.core.lab.runner``. Trains, answers in JSON lines.

Both engines run here, never in the app: the reference (``gradrill.reference``) or the
learner's own file (anything defining ``Value`` and ``MLP``, loaded as module ``learner``).
The process puts itself in its own process group (the app starts it with a new session),
dies with its parent (PR_SET_PDEATHSIG, plus a watchdog thread), caps its memory, file
writes and core dumps, and points the learner's stdin/stdout at nothing: requests arrive on
a private copy of stdin, replies leave on a private copy of stdout, one JSON object a line.

Requests (``cmd``): ``init`` (engine, data, network, optimizer), ``step`` (n steps),
``data`` (new points, same weights), ``set`` (learning rate), ``graph`` (the graph of one
forward pass of one point), ``quit``. Each reply carries the request's ``id`` and either
``ok: true`` with its results or ``ok: false`` with ``error`` (one line for the learner,
naming the line of their file) and ``kind`` ("engine", "diverged", "request").

Training is softmax cross-entropy (mean over the batch) with AdamW or SGD, for every engine.
The garbage collector is paused and run every few steps: each ``_backward`` closure makes a
reference cycle with its node, and collecting them as they come costs most of a step.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import math
import os
import random
import resource
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

REFERENCE = "reference"
COLLECT_EVERY = 5  # steps between garbage collections
RECURSION_LIMIT = 10_000


class EngineFault(Exception):
    """Something the learner's engine did, already in words (kind: "engine" or "diverged")."""

    def __init__(self, message: str, kind: str = "engine"):
        super().__init__(message)
        self.kind = kind


# ---------------------------------------------------------------------------------------
# Isolation


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if parent and os.getppid() != parent:  # the parent was gone before prctl
        os._exit(0)

    def watch() -> None:  # PDEATHSIG follows the parent *thread*; this follows the process
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)

    if parent:
        threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def _set_limits(memory_mb: int, output_bytes: int) -> None:
    try:
        if memory_mb:
            with open("/proc/self/statm") as f:
                used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            cap = used + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass


def _private_channels() -> tuple:
    """Requests in and replies out on private descriptors; fds 0 and 1 go to /dev/null and stderr."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, encoding="utf-8")
    sys.stdout = sys.stderr
    return requests, replies


# ---------------------------------------------------------------------------------------
# Engines


class Engine:
    """Where ``Value`` and ``MLP`` come from, and how to build the lab's network with them."""

    def __init__(self, spec: str):
        self.spec = spec
        self.path = None if spec == REFERENCE else os.path.abspath(spec)
        self.name = "the reference engine" if self.path is None else os.path.basename(self.path)
        if self.path is None:
            from gradrill.reference.engine import Value
            from gradrill.reference.nn import MLP
            self.Value, self.MLP = Value, MLP
        else:
            self.Value, self.MLP = self._load(self.path)

    def _load(self, path: str):
        name = os.path.basename(path)
        try:
            source = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise EngineFault(f"no file at {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise EngineFault(f"cannot read {path}: {exc}") from None
        try:
            code = compile(source, path, "exec")
        except SyntaxError as exc:
            raise EngineFault(f"{name} has a syntax error on line {exc.lineno}: {exc.msg}") from None
        sys.path.insert(0, os.path.dirname(path))
        spec = importlib.util.spec_from_loader("learner", loader=None, origin=path)
        module = importlib.util.module_from_spec(spec)
        module.__file__ = path
        sys.modules["learner"] = module
        try:
            exec(code, module.__dict__)
        except BaseException as exc:  # noqa: BLE001 - the learner's code, reported
            raise EngineFault(f"importing {name} raised {self.describe(exc)}") from None
        missing = [n for n in ("Value", "MLP") if not callable(getattr(module, n, None))]
        if missing:
            raise EngineFault(f"{name} defines no {' and no '.join(missing)}: the lab trains your "
                              f"MLP(nin, nouts) built on your Value")
        return module.Value, module.MLP

    def describe(self, exc: BaseException) -> str:
        """``TypeError: message (file.py, line 12: the code)``, naming the learner's line if any."""
        text = f"{type(exc).__name__}: {exc}".strip()
        if isinstance(exc, RecursionError):
            text = "RecursionError: maximum recursion depth exceeded"
        if len(text) > 200:
            text = text[:197] + "..."
        if self.path is None:
            return text
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == self.path]
        if not frames:
            return text
        f = frames[-1]
        return f"{text} ({os.path.basename(self.path)}, line {f.lineno}: {(f.line or '').strip()})"

    def build(self, nin: int, hidden: list[int], act: str):
        """The hidden layers: the engine's own ``MLP(nin, hidden)`` (the reference's with ``act``)."""
        if self.path is None:
            return self.MLP(nin, hidden, act=act, linear_out=False)
        return self.MLP(nin, hidden)


class Net:
    """The engine's MLP for the hidden layers, then a linear read-out the lab adds, one neuron
    a class, built from the engine's ``Value`` (logits need no squashing: a tanh last layer
    would cap them at 1 and the loss well above 0)."""

    def __init__(self, engine: "Engine", nin: int, hidden: list[int], classes: int, act: str):
        self.body = engine.build(nin, hidden, act) if hidden else None
        width = hidden[-1] if hidden else nin
        Value = engine.Value
        scale = width ** -0.5  # the LLM101n module's init: uniform(-1, 1) / sqrt(fan-in), bias 0
        self.head = [([Value(random.uniform(-1, 1) * scale) for _ in range(width)], Value(0.0))
                     for _ in range(classes)]

    def parameters(self) -> list:
        body = list(self.body.parameters()) if self.body is not None else []
        return body + [p for w, b in self.head for p in w + [b]]

    def read_out(self, h: list) -> list:
        return [sum((wi * hi for wi, hi in zip(w, h)), b) for w, b in self.head]

    def __call__(self, x: list) -> list:
        h = _as_list(self.body(x)) if self.body is not None else x
        return self.read_out(h)

    def layer_outputs(self, x: list, layers: int) -> list[list]:
        """Each layer's outputs: layer by layer when the body has ``layers``, else the body's output."""
        outs = []
        if self.body is not None:
            body_layers = getattr(self.body, "layers", None)
            if isinstance(body_layers, (list, tuple)) and len(body_layers) == layers - 1:
                h = x
                for layer in body_layers:
                    h = _as_list(layer(h))
                    outs.append(h)
            else:
                outs = [[]] * (layers - 2) + [_as_list(self.body(x))]
        h = outs[-1] if outs else x
        return outs + [self.read_out(h)]


def _as_list(out) -> list:
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _log(v, Value):
    """log of a Value: the engine's own ``log`` if it has one, else a node built the micrograd way."""
    if hasattr(v, "log"):
        return v.log()
    out = Value(math.log(v.data), (v,), "log")

    def _backward():
        v.grad += (1 / v.data) * out.grad
    out._backward = _backward
    return out


def cross_entropy(logits: list, target: int, Value):
    """-log softmax(logits)[target], as graph ops of the engine (max subtracted first)."""
    m = max(v.data for v in logits)
    exps = [(v - m).exp() for v in logits]
    total = sum(exps)
    return -_log(exps[target] / total, Value)


# ---------------------------------------------------------------------------------------
# Training


class Trainer:
    def __init__(self, engine: Engine, req: dict):
        self.engine = engine
        self.X, self.y = req["X"], req["y"]
        self.classes = int(req["classes"])
        self.hidden = [int(h) for h in req.get("hidden", [])]
        self.act = req.get("act", "tanh")
        self.lr = float(req.get("lr", 0.1))
        self.optimizer = req.get("optimizer", "adamw")
        self.batch = req.get("batch")
        self.rng = random.Random(int(req.get("seed", 0)))
        self.t = 0
        random.seed(int(req.get("seed", 0)))  # the MLP's initial weights come from the global random
        nin = len(self.X[0])
        try:
            self.model = Net(engine, nin, self.hidden, self.classes, self.act)
            self.params = list(self.model.parameters())
        except BaseException as exc:  # noqa: BLE001
            raise EngineFault(f"MLP({nin}, {self.hidden}) raised {engine.describe(exc)}") from None
        self.layout = self._find_layout(nin)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    # -- what the network is ---------------------------------------------------------------

    def _find_layout(self, nin: int):
        from .floatnet import FloatNet, Layout

        sizes = tuple([nin] + self.hidden + [self.classes])
        want = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
        if len(self.params) != want:
            body = want - (sizes[-2] + 1) * self.classes
            raise EngineFault(f"MLP({nin}, {self.hidden}).parameters() has {len(self.params) - want + body} "
                              f"values; the lab expects {body}, each neuron's weights and bias")
        try:
            floats = [float(p.data) for p in self.params]
        except (AttributeError, TypeError, ValueError) as exc:
            raise EngineFault(f"a parameter has no number in .data: {exc}") from None
        probes = [[self.rng.uniform(-1, 1) for _ in range(nin)] for _ in range(3)]
        try:
            outs = [[float(v.data) for v in _as_list(self.model(x))] for x in probes]
        except BaseException as exc:  # noqa: BLE001
            raise EngineFault(f"the forward pass raised {self.engine.describe(exc)}") from None
        if any(len(o) != self.classes for o in outs):
            raise EngineFault(f"the network gives {len(outs[0])} outputs; the lab needs one per class "
                              f"({self.classes})")
        body = len(sizes) - 2  # hidden layers; the read-out is linear
        candidates = []
        for act in (self.act, "tanh", "relu"):
            candidates.append(Layout(sizes, tuple([act] * body + ["linear"])))
            if body:  # a body whose own last layer is linear, like the micrograd library's MLP
                candidates.append(Layout(sizes, tuple([act] * (body - 1) + ["linear", "linear"])))
        for layout in candidates:
            net = FloatNet(layout, floats)
            if all(all(math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9) for a, b in zip(net.forward(x), o))
                   for x, o in zip(probes, outs)):
                return layout
        raise EngineFault("the lab cannot read your network's weights: parameters() should list, layer by "
                          "layer and neuron by neuron, each neuron's weights then its bias, and each "
                          "neuron apply tanh or relu (or nothing in the last layer)")

    # -- steps -----------------------------------------------------------------------------

    def batch_indices(self) -> list[int]:
        n = len(self.X)
        if not self.batch or self.batch >= n:
            return list(range(n))
        return self.rng.sample(range(n), self.batch)

    def step(self) -> tuple[float, float]:
        Value = self.engine.Value
        idx = self.batch_indices()
        try:
            losses, correct = [], 0
            for i in idx:
                logits = _as_list(self.model(self.X[i]))
                data = [v.data for v in logits]
                correct += data.index(max(data)) == self.y[i]
                losses.append(cross_entropy(logits, self.y[i], Value))
            loss = sum(losses) * (1.0 / len(losses))
            for p in self.params:
                p.grad = 0.0
            loss.backward()
            loss_value = float(loss.data)
            grads = [float(p.grad) for p in self.params]
        except (OverflowError, ZeroDivisionError) as exc:
            raise self._numeric(exc) from None
        except ValueError as exc:
            if "math domain" in str(exc):
                raise self._numeric(exc) from None
            raise EngineFault(f"step {self.t + 1}: {self.engine.describe(exc)}") from None
        except BaseException as exc:  # noqa: BLE001
            raise EngineFault(f"step {self.t + 1}: {self.engine.describe(exc)}") from None
        self.t += 1
        self.update(grads)
        if not math.isfinite(loss_value):
            raise EngineFault(f"training diverged at step {self.t}: the loss is {loss_value}. "
                              f"Learning rate {self.lr:g} is too high?", "diverged")
        if not all(math.isfinite(p.data) for p in self.params):
            raise EngineFault(f"training diverged at step {self.t}: a weight became inf or nan. "
                              f"Learning rate {self.lr:g} is too high?", "diverged")
        return loss_value, correct / len(idx)

    def _numeric(self, exc: BaseException) -> EngineFault:
        if self.t == 0:
            return EngineFault(f"step 1: {self.engine.describe(exc)}")
        if isinstance(exc, ValueError):
            why = "the loss went to infinity (a probability rounded to 0, and log(0) is -inf)"
        elif isinstance(exc, OverflowError):
            why = "a number overflowed (exp of a huge value)"
        else:
            why = "a division by zero"
        return EngineFault(f"training diverged at step {self.t + 1}: {why}; {self.engine.describe(exc)}. "
                           f"Learning rate {self.lr:g} is too high?", "diverged")

    def update(self, grads: list[float]) -> None:
        lr = self.lr
        if self.optimizer == "sgd":
            for p, g in zip(self.params, grads):
                p.data -= lr * g
            return
        b1, b2, eps, wd = 0.9, 0.95, 1e-8, 1e-4  # the LLM101n module's AdamW
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        m, v = self.m, self.v
        for i, (p, g) in enumerate(zip(self.params, grads)):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            try:
                p.data -= lr * ((m[i] / c1) / ((v[i] / c2) ** 0.5 + eps) + wd * p.data)
            except OverflowError:
                p.data = math.inf

    def weights(self) -> list[float]:
        return [float(p.data) for p in self.params]

    # -- the graph of one point ------------------------------------------------------------

    def graph(self, x: list[float], target: int, scope: str, layer: int, neuron: int) -> dict:
        from gradrill.core.graph import MAX_NODES, _TooBig, _walk

        Value = self.engine.Value
        sizes = self.layout.sizes
        names = []
        for li, (nin, nout) in enumerate(zip(sizes, sizes[1:]), start=1):
            for n in range(1, nout + 1):
                names += [f"w{li}.{n}.{i}" for i in range(1, nin + 1)] + [f"b{li}.{n}"]
        try:
            for p, name in zip(self.params, names):
                _label(p, name)
                p.grad = 0.0
            inputs = [Value(float(v)) for v in x]
            for i, v in enumerate(inputs, start=1):
                _label(v, f"x{i}")
            outputs = self.model.layer_outputs(inputs, len(sizes) - 1)
            for li, outs in enumerate(outputs, start=1):
                for n, v in enumerate(outs, start=1):
                    _label(v, f"z{n}" if li == len(outputs) else f"h{li}.{n}")
            if scope == "neuron":
                root = outputs[layer - 1][neuron - 1]
            else:
                root = cross_entropy(outputs[-1], target, Value)
                _label(root, "loss")
            root.backward()
            nodes, edges = _walk(root)
            grads = [float(p.grad) for p in self.params]
        except _TooBig:
            raise EngineFault(f"that graph has more than {MAX_NODES} nodes, too big to draw: "
                              f"inspect one neuron instead", "request") from None
        except BaseException as exc:  # noqa: BLE001
            raise EngineFault(f"the forward pass of one point raised {self.engine.describe(exc)}") from None
        finally:
            for p in self.params:
                p.grad = 0.0
        return {"nodes": nodes, "edges": edges, "root": 0, "param_grads": grads}


def _label(v, name: str) -> None:
    try:
        v.label = name
    except (AttributeError, TypeError):
        pass


# ---------------------------------------------------------------------------------------
# The loop


class Runner:
    def __init__(self):
        self.engine: Engine | None = None
        self.trainer: Trainer | None = None
        self.steps_since_collect = 0

    def handle(self, req: dict) -> dict:
        cmd = req.get("cmd")
        if cmd == "init":
            spec = req.get("engine", REFERENCE)
            if self.engine is None or self.engine.spec != spec:
                if self.engine is not None:
                    raise EngineFault("this process already loaded another engine", "request")
                self.engine = Engine(spec)
            self.trainer = Trainer(self.engine, req)
            self._collect()
            return {"params": self.trainer.weights(), "layout": self.trainer.layout.to_dict(),
                    "engine": self.engine.name}
        if self.trainer is None:
            raise EngineFault(f"{cmd!r} before init", "request")
        t = self.trainer
        if cmd == "step":
            losses, accs = [], []
            for _ in range(max(1, int(req.get("n", 1)))):
                loss, acc = t.step()
                losses.append(loss)
                accs.append(acc)
                self.steps_since_collect += 1
                if self.steps_since_collect >= COLLECT_EVERY:
                    self._collect()
            return {"losses": losses, "accs": accs, "params": t.weights(), "t": t.t, "n": len(t.X)}
        if cmd == "data":
            t.X, t.y = req["X"], req["y"]
            return {"n": len(t.X)}
        if cmd == "set":
            if "lr" in req:
                t.lr = float(req["lr"])
            if "optimizer" in req:
                t.optimizer = req["optimizer"]
            return {}
        if cmd == "graph":
            out = t.graph(req["x"], int(req.get("target", 0)), req.get("scope", "loss"),
                          int(req.get("layer", 1)), int(req.get("neuron", 1)))
            self._collect()
            return out
        raise EngineFault(f"unknown request {cmd!r}", "request")

    def _collect(self) -> None:
        gc.collect()
        self.steps_since_collect = 0


def main(argv: list[str]) -> int:
    parent = int(argv[0]) if argv else 0
    memory_mb = int(argv[1]) if len(argv) > 1 else 1024
    _die_with_parent(parent)
    requests, replies = _private_channels()
    _set_limits(memory_mb, 1 << 20)
    sys.setrecursionlimit(RECURSION_LIMIT)
    gc.disable()
    runner = Runner()
    replies.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in requests:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except ValueError:
            continue
        if req.get("cmd") == "quit":
            break
        try:
            reply = {"ok": True, **runner.handle(req)}
        except EngineFault as exc:
            reply = {"ok": False, "kind": exc.kind, "error": str(exc)}
        except MemoryError:
            reply = {"ok": False, "kind": "engine", "error": f"out of memory (the lab's limit is {memory_mb} MB)"}
        except BaseException as exc:  # noqa: BLE001 - report anything, keep serving
            reply = {"ok": False, "kind": "engine", "error": f"the engine process failed: {type(exc).__name__}: {exc}"}
        reply["id"] = req.get("id")
        try:
            replies.write(json.dumps(reply) + "\n")
        except (TypeError, ValueError) as exc:
            replies.write(json.dumps({"id": req.get("id"), "ok": False, "kind": "engine",
                                      "error": f"unreadable answer: {exc}"}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
