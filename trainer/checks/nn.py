"""Networks, losses and training: helpers for the ``nn``, ``training``, ``beyond``, ``from-blank``
(nn-blank, training-blank) and ``checkpoint`` checks.

On top of :mod:`gradrill.checks` (``attempt``, ``is_value``, ``expect_number``, ``fmt``):

- ``as_outputs`` / ``first_output`` read a layer's output in both forms (a list, or a lone Value);
- ``activation`` tells which squashing (tanh, relu, none) turned a raw sum into an output;
- ``param_grads_fd`` nudges parameters' ``data`` and re-runs the learner's forward pass;
- ``CheckMLP`` is a network the checks build themselves on the learner's ``Value`` (seeded,
  tanh or relu), so a training check does not depend on how the learner draws random weights;
- ``gc_paused`` keeps Python's cyclic garbage collector out of a training run (every
  ``_backward`` closure makes a reference cycle with its node, and the collector would
  otherwise spend most of the run re-scanning live graphs); the learner never has to care;
- ``lecture_data`` and ``make_moons`` are the datasets (``gradrill.reference.datasets``).
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import random
from typing import Any, Callable, Iterator, Sequence

from gradrill.reference.datasets import lecture_samples, make_moons

from . import close, fail, fmt, is_value

__all__ = [
    "LECTURE_XS", "LECTURE_YS", "lecture_data", "make_moons", "as_outputs", "first_output", "activation",
    "ACTIVATIONS", "param_grads_fd", "CheckMLP", "gc_paused", "tidy", "leave_garbage", "distinct", "SCHEMES",
    "network", "seed_network",
    "float_forward", "schemes_matching", "squared_error", "descend", "DESCENT_MISTAKES", "name_descent_mistake",
    "ZERO_FIRST", "RELU_FLAT", "lecture_mlp",
]

LECTURE_XS, LECTURE_YS = lecture_samples()


def lecture_data() -> tuple[list[list[float]], list[float]]:
    """Fresh copies of the lecture's four samples and their targets."""
    return lecture_samples()


# ---------------------------------------------------------------------------------------
# Networks


def distinct(objs: Sequence[Any]) -> bool:
    return len({id(o) for o in objs}) == len(objs)


# ---------------------------------------------------------------------------------------
# Layers and neurons, in both forms


def as_outputs(out: Any) -> list[Any] | None:
    """A layer's output as a list: the lecture returns a lone Value when there is one neuron."""
    if is_value(out):
        return [out]
    if isinstance(out, (list, tuple)):
        return list(out)
    return None


def first_output(out: Any) -> Any:
    """The network's single output, whether it came back as a Value or a list of one Value."""
    if isinstance(out, (list, tuple)) and len(out) == 1:
        return out[0]
    return out


RELU_FLAT = ("its w·x + b is negative, where relu is flat (it outputs 0): no gradient may pass: relu's local "
             "gradient is 1 for a positive input and 0 otherwise, `self.grad += (out.data > 0) * out.grad`")

ACTIVATIONS: dict[str, Callable[[float], float]] = {
    "tanh": math.tanh,
    "relu": lambda x: max(0.0, x),
    "linear": lambda x: x,
}


def activation(raw: float, out: float, tol: float = 1e-6) -> set[str]:
    """The names of the activations f with f(raw) == out (tanh, relu, linear)."""
    return {name for name, f in ACTIVATIONS.items() if close(out, f(raw), tol)}


def param_grads_fd(params: Sequence[Any], forward: Callable[[], float], h: float = 1e-6) -> list[float]:
    """Central differences of ``forward()`` (a float) with respect to each parameter's ``data``."""
    grads = []
    for p in params:
        old = p.data
        p.data = old + h
        up = forward()
        p.data = old - h
        down = forward()
        p.data = old
        grads.append((up - down) / (2 * h))
    return grads


# ---------------------------------------------------------------------------------------
# A network of the checks' own, on the learner's Value


class _Neuron:
    def __init__(self, Value: type, nin: int, rng: random.Random, act: str, zero_bias: bool):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0 if zero_bias else rng.uniform(-1, 1))
        self.act = act

    def __call__(self, x):
        out = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if self.act == "tanh":
            return out.tanh()
        if self.act == "relu":
            return out.relu()
        return out

    def parameters(self):
        return self.w + [self.b]


class _Layer:
    def __init__(self, Value, nin, nout, rng, act, zero_bias):
        self.neurons = [_Neuron(Value, nin, rng, act, zero_bias) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class CheckMLP:
    """``MLP(nin, nouts)`` built by the checks on the learner's ``Value``, from ``random.Random(seed)``.

    ``act`` is "tanh" (the lecture: every layer) or "relu" (the library: hidden layers, with a
    linear last layer). It offers ``parameters()``, ``zero_grad()`` and ``layers``, so a learner's
    training code may use either form. With ``collect_every=k`` it has a collection point every k
    forward calls (``tidy``: for long runs under ``gc_paused``, to keep memory bounded).
    """

    def __init__(self, Value: type, nin: int, nouts: Sequence[int], seed: int = 0, act: str = "tanh",
                 zero_bias: bool = False, collect_every: int | None = None):
        rng = random.Random(seed)
        sz = [nin] + list(nouts)
        self.layers = []
        for i in range(len(nouts)):
            last = i == len(nouts) - 1
            layer_act = "linear" if (act == "relu" and last) else act
            self.layers.append(_Layer(Value, sz[i], sz[i + 1], rng, layer_act, zero_bias))
        self.collect_every = collect_every
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        if self.collect_every and self.calls % self.collect_every == 0:
            tidy()
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def snapshot(self) -> list[float]:
        return [p.data for p in self.parameters()]

    def load(self, datas: Sequence[float]) -> None:
        for p, d in zip(self.parameters(), datas):
            p.data = d


def lecture_mlp(Value: type, nin: int, nouts: Sequence[int], seed: int, relu_seed: int | None = None,
                **kwargs: Any) -> CheckMLP:
    """The lecture's tanh ``CheckMLP``, or, for a Value without tanh (the library's: relu), a relu one from
    ``relu_seed`` (a seed chosen so that a check's training run works for relu too; default ``seed``)."""
    if callable(getattr(Value, "tanh", None)):
        return CheckMLP(Value, nin, nouts, seed=seed, **kwargs)
    return CheckMLP(Value, nin, nouts, seed=seed if relu_seed is None else relu_seed, act="relu", **kwargs)


# ---------------------------------------------------------------------------------------
# The garbage collector


# In a grading, a training run's garbage is left for the end of the process rather than collected, as
# long as it fits in a budget (a third of the memory the learner's code may use). Collecting micrograd's
# graphs costs about as much as building them: max-margin-moons' training check took 2.9 s with a
# collection every ten steps and takes 1.65 s without, for 240 MB left behind; the grading process
# ends soon after its checks, and its memory goes with it, all at once.
_budget: int | None = None  # bytes the process may grow by before garbage is collected; None: always collect
_start = 0  # the process's size when the budget was set


def leave_garbage(budget: int) -> None:
    """Called by the grader in the grading process (never elsewhere: garbage left behind stays for the
    process's lifetime): from now on, training runs leave their garbage while the process has grown by
    less than ``budget`` bytes."""
    global _budget, _start
    size = _process_size()
    if size is not None:
        _budget, _start = budget, size


def _process_size() -> int | None:
    """The process's address space in bytes (what the grader's memory limit counts), if /proc says."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _may_leave_garbage() -> bool:
    if _budget is None:
        return False
    size = _process_size()
    return size is not None and size - _start < _budget


def tidy() -> None:
    """A collection point in a long run under ``gc_paused``: collect, unless the garbage may stay (in a
    grading, within its budget)."""
    if not _may_leave_garbage():
        gc.collect()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run a block (a training run) with the cyclic collector off; collect once afterwards (in a grading,
    within the budget set by ``leave_garbage``, freeze instead: the garbage is never scanned again).

    micrograd's graphs are made of reference cycles (each ``_backward`` closure refers to its
    output node, which refers to the closure), so without this the collector re-scans the
    live graph over and over. Keep what runs inside small, or pair it with
    ``CheckMLP(collect_every=...)``: nothing is freed while the collector is off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # decided and done with the collector still off: switched on first, the next allocation
        # would start a collection of everything the run made
        if _may_leave_garbage():
            gc.freeze()
        else:
            gc.collect()
        if was_enabled:
            gc.enable()


# ---------------------------------------------------------------------------------------
# A learner's network: its structure, seeded weights, and what it should compute

SCHEMES: dict[str, tuple[str, str]] = {
    # name: (hidden layers' activation, last layer's activation)
    "tanh in every layer (the lecture)": ("tanh", "tanh"),
    "relu, with a linear last layer (the library)": ("relu", "linear"),
    "tanh, with a linear last layer": ("tanh", "linear"),
}


def network(model: Any, what: str) -> list[list[Any]]:
    """The model's neurons, layer by layer (``model.layers[i].neurons``), or a failure."""
    layers = getattr(model, "layers", None)
    if not isinstance(layers, (list, tuple)) or not layers:
        fail(f"{what}.layers is {fmt(layers)}; expected a list of Layers: keep them in `self.layers`")
    out = []
    for i, layer in enumerate(layers):
        neurons = getattr(layer, "neurons", None)
        if not isinstance(neurons, (list, tuple)):
            fail(f"{what}.layers[{i}].neurons is {fmt(neurons)}; expected a list of Neurons")
        for j, n in enumerate(neurons):
            if not isinstance(getattr(n, "w", None), (list, tuple)) or not is_value(getattr(n, "b", None)):
                fail(f"{what}.layers[{i}].neurons[{j}] has no list of weights `w` and bias Value `b`")
        out.append(list(neurons))
    return out


def seed_network(neurons: list[list[Any]], seed: int) -> None:
    """Give every weight and bias a seeded random value (the same for every learner)."""
    rng = random.Random(seed)
    for layer in neurons:
        for n in layer:
            for w in n.w:
                w.data = rng.uniform(-1, 1)
            n.b.data = rng.uniform(-1, 1)


def float_forward(neurons: list[list[Any]], x: Sequence[float], scheme: tuple[str, str]) -> list[float]:
    """What the network computes, on plain floats, under an activation scheme."""
    h = [float(v) for v in x]
    for i, layer in enumerate(neurons):
        f = ACTIVATIONS[scheme[1] if i == len(neurons) - 1 else scheme[0]]
        h = [f(sum(w.data * xi for w, xi in zip(n.w, h)) + n.b.data) for n in layer]
    return h


def schemes_matching(neurons: list[list[Any]], xs: Sequence[Sequence[float]],
                     outs: Sequence[Sequence[float]], tol: float = 1e-6) -> list[str]:
    """The activation schemes under which the network's outputs ``outs`` (floats) are right."""
    good = []
    for name, scheme in SCHEMES.items():
        if all(len(o) == len(w) and all(close(a, b, tol) for a, b in zip(o, w))
               for o, w in ((o, float_forward(neurons, x, scheme)) for x, o in zip(xs, outs))):
            good.append(name)
    return good


# ---------------------------------------------------------------------------------------
# Gradient descent, done right and done wrong, to name what a learner's loop does


def squared_error(model: Any, xs: Sequence[Sequence[float]], ys: Sequence[float]) -> Any:
    return sum((first_output(model(x)) - y)**2 for x, y in zip(xs, ys))


def descend(model: Any, xs, ys, steps: int, lr: float, variant: str = "correct") -> list[float]:
    """Gradient descent on the squared error, as the lecture ends up writing it, or with a known mistake:
    ``no_zero`` (grads never reset), ``zero_after`` (reset between backward and update), ``no_update``,
    ``wrong_sign`` (p.data += lr * p.grad), ``loss_grad`` (p.data += -lr * loss.grad: every parameter moves by
    -lr). Returns the loss before each step."""
    params = model.parameters()
    losses = []
    for _ in range(steps):
        loss = squared_error(model, xs, ys)
        if variant not in ("no_zero", "zero_after"):
            for p in params:
                p.grad = 0.0
        loss.backward()
        if variant == "zero_after":
            for p in params:
                p.grad = 0.0
        if variant != "no_update":
            sign = 1.0 if variant == "wrong_sign" else -1.0
            for p in params:
                p.data += sign * lr * (loss.grad if variant == "loss_grad" else p.grad)
        losses.append(loss.data)
    return losses


ZERO_FIRST = "zero every p.grad (`p.grad = 0.0`) before `loss.backward()`"
DESCENT_MISTAKES = {
    "no_zero": ("match gradient descent that never resets the gradients: backward() adds to every p.grad, "
                f"so each step used the sum of all past gradients; {ZERO_FIRST} in every step"),
    "zero_after": ("never moved, and every grad is 0: the grads are reset after backward() and before the "
                   f"update, so the update adds -lr * 0; {ZERO_FIRST}, then update"),
    "no_update": ("never moved: after backward(), nudge every parameter against its gradient, "
                  "`p.data += -lr * p.grad`"),
    "loss_grad": ("each moved by exactly -lr per step, all the same: that is the update with the loss's own grad, "
                  "`loss.grad` (always 1.0); nudge each parameter by its own gradient, `p.data += -lr * p.grad`"),
    "wrong_sign": ("moved up the gradient, which makes the loss grow: `p.data += lr * p.grad` climbs; step "
                   "against the gradient, `p.data += -lr * p.grad`"),
}


def name_descent_mistake(got: Sequence[float], make_model: Callable[[], Any], xs, ys, steps: int, lr: float,
                         grads_after: Sequence[float]) -> str | None:
    """Which known mistake (a key of DESCENT_MISTAKES) leaves the parameters at ``got``, if any."""
    for variant in ("no_zero", "wrong_sign", "loss_grad", "zero_after", "no_update"):
        model = make_model()
        descend(model, xs, ys, steps, lr, variant)
        want = [p.data for p in model.parameters()]
        if len(want) == len(got) and all(close(a, b, 1e-9) for a, b in zip(got, want)):
            if variant in ("zero_after", "no_update"):
                return "zero_after" if all(g == 0 for g in grads_after) else "no_update"
            return variant
    return None


def expect_random_init(ws: list[float], other_ws: list[float], bs: list[float], where: str) -> None:
    """Weights drawn from all of [-1, 1] (``ws``, 20 of one neuron; ``other_ws``, another neuron's),
    different in every neuron; biases (``bs``, 20 neurons') the same way, or all 0 (the library)."""
    if not all(isinstance(v, (int, float)) and -1 <= v <= 1 for v in ws) or len(set(ws)) < 15:
        fail(f"{where}: a neuron's 20 weights start at {fmt(ws)}; expected 20 different numbers from "
             "random.uniform(-1, 1)")
    if ws == other_ws:
        fail(f"{where}: two neurons start with the same weights: draw them in Neuron's __init__, once per neuron")
    # 20 draws from uniform(-1, 1) all on one side of 0 happen once in 500,000 (and the grader seeds random)
    if all(v >= 0 for v in ws) or all(v <= 0 for v in ws):
        fail(f"{where}: a neuron's weights start at {fmt(ws)}, all on one side of 0; expected numbers from all of "
             "[-1, 1]: `random.uniform(-1, 1)`")
    if not all(v == 0 for v in bs) and (any(not -1 <= v <= 1 for v in bs) or len(set(bs)) < 15
                                        or all(v >= 0 for v in bs) or all(v <= 0 for v in bs)):
        fail(f"{where}: the biases of 20 neurons are {fmt(bs)}; expected each from all of [-1, 1], "
             "`Value(random.uniform(-1, 1))` (or 0 for every neuron, as the library does)")
