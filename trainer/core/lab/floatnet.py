"""The network as plain floats: what the lab draws from, without building autograd graphs.

The engine process sends the parameters as a flat list in ``parameters()`` order (layer by
layer, neuron by neuron, each neuron's weights then its bias) and the ``Layout`` it found
(sizes and each layer's activation). ``FloatNet`` evaluates that network on plain floats;
``grid`` evaluates a whole rectangle of points row by row with list comprehensions, using
that the first layer is affine in x and y (its column and row parts are computed once).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ACTIVATIONS = ("tanh", "relu", "linear")


def _act(name: str):
    if name == "tanh":
        return math.tanh
    if name == "relu":
        return lambda v: v if v > 0.0 else 0.0
    return None


@dataclass(frozen=True)
class Layout:
    sizes: tuple[int, ...]  # (nin, hidden..., nout)
    acts: tuple[str, ...]  # one per layer: "tanh", "relu" or "linear"

    @property
    def n_params(self) -> int:
        return sum((a + 1) * b for a, b in zip(self.sizes, self.sizes[1:]))

    def describe(self) -> str:
        shape = f"MLP({self.sizes[0]}, {list(self.sizes[1:])})"
        hidden = sorted(set(self.acts[:-1]))
        return f"{shape} {'/'.join(hidden) or 'no hidden layer'}, output {self.acts[-1]}"

    def neurons(self) -> list[tuple[int, int]]:
        """Every neuron as (layer, index), both from 1; the last layer is the read-out."""
        return [(li, n) for li, nout in enumerate(self.sizes[1:], start=1) for n in range(1, nout + 1)]

    def neuron_name(self, layer: int, index: int) -> str:
        return f"z{index}" if layer == len(self.sizes) - 1 else f"h{layer}.{index}"

    def input_names(self, layer: int) -> list[str]:
        if layer == 1:
            return [f"x{i}" for i in range(1, self.sizes[0] + 1)]
        return [self.neuron_name(layer - 1, i) for i in range(1, self.sizes[layer - 1] + 1)]

    def param_slice(self, layer: int, index: int) -> tuple[int, int]:
        """Where neuron (layer, index)'s weights start in the flat parameters, and how many (bias last)."""
        start = sum((a + 1) * b for a, b in zip(self.sizes[:layer - 1], self.sizes[1:layer]))
        nin = self.sizes[layer - 1]
        return start + (index - 1) * (nin + 1), nin

    def to_dict(self) -> dict:
        return {"sizes": list(self.sizes), "acts": list(self.acts)}

    @classmethod
    def from_dict(cls, data: dict) -> "Layout":
        return cls(tuple(data["sizes"]), tuple(data["acts"]))


class FloatNet:
    """The MLP of ``layout`` with the weights ``params`` (a flat list), on floats."""

    def __init__(self, layout: Layout, params: list[float]):
        if len(params) != layout.n_params:
            raise ValueError(f"{len(params)} parameters for {layout.describe()}, which has {layout.n_params}")
        self.layout = layout
        self.layers: list[tuple[list[list[float]], list[float]]] = []  # (W[out][in], b[out])
        i = 0
        for nin, nout in zip(layout.sizes, layout.sizes[1:]):
            W, b = [], []
            for _ in range(nout):
                W.append([float(v) for v in params[i:i + nin]])
                b.append(float(params[i + nin]))
                i += nin + 1
            self.layers.append((W, b))

    def neuron(self, layer: int, index: int) -> tuple[list[float], float]:
        W, b = self.layers[layer]
        return W[index], b[index]

    def forward(self, x: list[float]) -> list[float]:
        h = list(x)
        for (W, b), act in zip(self.layers, self.layout.acts):
            f = _act(act)
            h = [bj + sum(w * v for w, v in zip(row, h)) for row, bj in zip(W, b)]
            if f is not None:
                h = [f(v) for v in h]
        return h

    def probs(self, x: list[float]) -> list[float]:
        return softmax(self.forward(x))

    def predict(self, x: list[float]) -> int:
        out = self.forward(x)
        return max(range(len(out)), key=out.__getitem__)

    def accuracy(self, X: list[list[float]], y: list[int]) -> float:
        if not X:
            return 0.0
        return sum(self.predict(x) == t for x, t in zip(X, y)) / len(X)

    def evaluate(self, xs: list[float], ys: list[float]) -> tuple[list[int], list[float]]:
        """The predicted class and its probability at each point (xs[i], ys[i]) of a 2-input net.

        Vectorised by hand: each neuron is one list comprehension over all the points.
        """
        if self.layout.sizes[0] != 2:
            raise ValueError("a decision boundary needs a network with 2 inputs")
        (W0, b0), *rest = self.layers
        acts = self.layout.acts
        f0 = _act(acts[0])
        pts = list(zip(xs, ys))
        h = []
        for (wx, wy), bj in zip(W0, b0):
            pre = [wx * x + wy * y + bj for x, y in pts]
            h.append([f0(v) for v in pre] if f0 else pre)
        n = len(pts)
        for (W, b), act in zip(rest, acts[1:]):
            f = _act(act)
            nxt = []
            for row, bj in zip(W, b):
                acc = [bj] * n
                for w, hv in zip(row, h):
                    if w:
                        acc = [a + w * v for a, v in zip(acc, hv)]
                nxt.append([f(a) for a in acc] if f else acc)
            h = nxt
        exp = math.exp
        if len(h) == 1:  # one output: class 1 where it is positive, confidence from a sigmoid
            classes = [1 if v > 0 else 0 for v in h[0]]
            conf = [1 / (1 + exp(-min(abs(v), 50.0))) for v in h[0]]
            return classes, conf
        classes, conf = [], []
        for logits in zip(*h):
            m = max(logits)
            classes.append(logits.index(m))
            try:
                conf.append(1.0 / sum(exp(v - m) for v in logits))
            except (OverflowError, ValueError):
                conf.append(1.0)
        return classes, conf

    def grid(self, xs: list[float], ys: list[float], block: int = 3) -> list[list[tuple[int, float]]]:
        """For each y in ``ys`` (a row), for each x in ``xs``: (predicted class, its probability).

        The net is evaluated on every ``block``-th row and column; a block whose four corners
        agree on the class takes that class and interpolates the probability; a block whose
        corners disagree (the boundary runs through it) is evaluated at every cell.
        """
        nx, ny = len(xs), len(ys)
        if nx == 0 or ny == 0:
            return [[] for _ in ys]
        gx = sorted(set(list(range(0, nx, block)) + [nx - 1]))
        gy = sorted(set(list(range(0, ny, block)) + [ny - 1]))
        cls, conf = self.evaluate([xs[i] for _ in gy for i in gx], [ys[j] for j in gy for _ in gx])
        W = len(gx)
        known: dict[tuple[int, int], tuple[int, float]] = {}
        for a, j in enumerate(gy):
            for b, i in enumerate(gx):
                known[(j, i)] = (cls[a * W + b], conf[a * W + b])
        out: list[list[tuple[int, float] | None]] = [[None] * nx for _ in range(ny)]
        todo_x, todo_y, todo_at = [], [], []
        for a in range(len(gy) - 1):
            j0, j1 = gy[a], gy[a + 1]
            for b in range(len(gx) - 1):
                i0, i1 = gx[b], gx[b + 1]
                c00, c01, c10, c11 = known[(j0, i0)], known[(j0, i1)], known[(j1, i0)], known[(j1, i1)]
                if c00[0] == c01[0] == c10[0] == c11[0]:
                    k = c00[0]
                    for j in range(j0, j1 + 1):
                        t = (j - j0) / (j1 - j0)
                        left = c00[1] + (c10[1] - c00[1]) * t
                        right = c01[1] + (c11[1] - c01[1]) * t
                        row = out[j]
                        for i in range(i0, i1 + 1):
                            s = (i - i0) / (i1 - i0)
                            row[i] = (k, left + (right - left) * s)
                else:
                    for j in range(j0, j1 + 1):
                        for i in range(i0, i1 + 1):
                            if (j, i) in known:
                                out[j][i] = known[(j, i)]
                            else:
                                todo_x.append(xs[i])
                                todo_y.append(ys[j])
                                todo_at.append((j, i))
        if len(gx) == 1 or len(gy) == 1:  # a single row or column: evaluate it all
            todo_at = [(j, i) for j in range(ny) for i in range(nx)]
            todo_x = [xs[i] for _, i in todo_at]
            todo_y = [ys[j] for j, _ in todo_at]
        if todo_at:
            cls, conf = self.evaluate(todo_x, todo_y)
            for (j, i), k, p in zip(todo_at, cls, conf):
                out[j][i] = (k, p)
        return out  # type: ignore[return-value]


def softmax(logits: list[float]) -> list[float]:
    m = max(logits)
    exps = [math.exp(v - m) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def finite(values) -> bool:
    return all(math.isfinite(v) for v in values)
