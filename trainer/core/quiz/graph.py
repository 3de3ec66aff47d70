"""A quiz's expression graph: values with ``data`` and ``grad``, and the worked chain rule.

This is micrograd's ``Value`` graph, written down as data: every node has a ``name``, an
``op`` (empty for a leaf), its ``children`` (names, repeated when a node is used twice by
the same op, as in ``a + a``), its ``data`` and, after ``backward``, its ``grad``.

The ops and their local derivatives (the ``_backward`` of each op in micrograd):

====  ===============  ==========================================
op    value            child.grad += out.grad * ...
====  ===============  ==========================================
\\+    a + b            1 (each side)
\\*    a * b            the other factor's data
\\-    a - b            1 for a, -1 for b
/     a / b            1 / b for a, -a / b**2 for b
\\**   x ** n           n * x**(n-1)   (n is a number, not a node)
neg   -x               -1
exp   exp(x)           out.data
tanh  tanh(x)          1 - out.data**2
relu  max(0, x)        1 if out.data > 0 else 0
====  ===============  ==========================================

A node's grad is the sum, over every use of it, of its user's grad times the local
derivative: ``explain(name)`` writes that sum out with names and numbers, e.g.
``d.grad = L.grad * f.data = 1.0 * -2.0 = -2.0``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

BINARY = ("+", "*", "-", "/")
UNARY = ("neg", "exp", "tanh", "relu", "**")
OPS = BINARY + UNARY


class GraphBuildError(ValueError):
    """A graph that does not hold together (an unknown child, a repeated name, a bad op)."""


def num(x: float) -> str:
    """A number as the quiz shows it: ``-2.0``, ``0.5``, ``0.7071``, ``0.01832``, ``1.386e+05``."""
    if x != x or x in (math.inf, -math.inf):
        return str(x)
    if abs(x - round(x)) < 5e-10 and abs(x) < 1e6:
        r = round(x)
        return f"{r}.0" if r != 0 else "0.0"
    if abs(x) >= 1e4:
        return f"{x:.4g}"
    if abs(x) < 0.1:
        return f"{x:.4g}"
    text = f"{x:.4f}".rstrip("0")
    if text.endswith("."):
        text += "0"
    return "0.0" if text in ("-0.0", "-0") else text


def power_text(n: float) -> str:
    """An exponent as written in an expression: ``2``, ``-1``, ``0.5``."""
    return str(int(n)) if float(n).is_integer() else repr(float(n))


def pow_text(base: str, n: float, spaced: bool = False) -> str:
    """``x**3``, ``x**(-1)``: a power with a negative exponent in parentheses."""
    p = power_text(n)
    op = " ** " if spaced else "**"
    return f"{base}{op}{p}" if n >= 0 else f"{base}{op}({p})"


@dataclass
class Node:
    name: str
    op: str = ""                        # "" for a leaf
    children: tuple[str, ...] = ()
    data: float = 0.0
    grad: float = 0.0
    power: float | None = None          # the exponent n of a ``**`` node
    const: bool = False                 # a constant leaf (like micrograd's Value(2) in 2*n): not asked

    @property
    def leaf(self) -> bool:
        return not self.op

    @property
    def op_label(self) -> str:
        """The op as micrograd labels it: ``+``, ``*``, ``**3``, ``exp``..."""
        return f"**{power_text(self.power)}" if self.op == "**" else self.op

    def expr(self) -> str:
        """A Python expression (using ``math``) computing this node from its children's names."""
        c = self.children
        if self.leaf:
            return ""
        if self.op in BINARY:
            return f"{c[0]} {self.op} {c[1]}"
        if self.op == "**":
            return pow_text(c[0], self.power, spaced=True)
        if self.op == "neg":
            return f"-{c[0]}"
        if self.op == "relu":
            return f"max(0.0, {c[0]})"
        return f"math.{self.op}({c[0]})"

    def formula(self) -> str:
        """How the node is defined, as the learner reads it: ``e = a * b``, ``o = tanh(n)``."""
        if self.leaf:
            return f"{self.name} = {num(self.data)}" + ("  (a constant)" if self.const else "")
        c = self.children
        if self.op in BINARY:
            rhs = f"{c[0]} {self.op} {c[1]}"
        elif self.op == "**":
            rhs = pow_text(c[0], self.power)
        elif self.op == "neg":
            rhs = f"-{c[0]}"
        else:
            rhs = f"{self.op}({c[0]})"
        return f"{self.name} = {rhs}"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "op": self.op, "children": list(self.children),
                             "data": self.data, "grad": self.grad, "expr": self.expr()}
        if self.power is not None:
            d["power"] = self.power
        if self.const:
            d["const"] = True
        return d


def forward(op: str, values: list[float], power: float | None = None) -> float:
    """The value of ``op`` applied to its children's values."""
    if op == "+":
        return values[0] + values[1]
    if op == "*":
        return values[0] * values[1]
    if op == "-":
        return values[0] - values[1]
    if op == "/":
        return values[0] / values[1]
    if op == "**":
        return values[0] ** power
    if op == "neg":
        return -values[0]
    if op == "exp":
        return math.exp(values[0])
    if op == "tanh":
        return math.tanh(values[0])
    if op == "relu":
        return values[0] if values[0] > 0 else 0.0
    raise GraphBuildError(f"unknown op {op!r}")


@dataclass(frozen=True)
class Term:
    """One use of a node: its user (``parent``) and the local derivative of that use."""

    parent: str
    index: int           # which child slot of the parent this use fills
    local_text: str      # the local derivative with names: "f.data", "1", "(1 - o.data**2)"
    local: float         # its value

    def symbolic(self) -> str:
        return f"{self.parent}.grad * {self.local_text}"


@dataclass(frozen=True)
class Worked:
    """A node's chain rule, written out: ``d.grad = L.grad * f.data = 1.0 * -2.0 = -2.0``."""

    name: str
    terms: tuple[Term, ...]
    parent_grads: tuple[float, ...]
    grad: float
    output: bool = False

    @property
    def reused(self) -> bool:
        return len(self.terms) > 1

    def symbolic(self) -> str:
        if self.output:
            return f"{self.name}.grad = 1"
        return f"{self.name}.grad = " + " + ".join(t.symbolic() for t in self.terms)

    def numeric(self) -> str:
        return " + ".join(f"{num(g)} * {num(t.local)}" for t, g in zip(self.terms, self.parent_grads))

    def line(self) -> str:
        if self.output:
            return f"{self.name}.grad = 1.0  (the output: d{self.name}/d{self.name} = 1)"
        if not self.terms:
            return f"{self.name}.grad = 0.0  (nothing uses {self.name})"
        return f"{self.symbolic()} = {self.numeric()} = {num(self.grad)}"

    def note(self) -> str:
        """Why a re-used node's grad is a sum."""
        if not self.reused:
            return ""
        users = sorted({t.parent for t in self.terms}, key=[t.parent for t in self.terms].index)
        if len(users) == 1:
            times = {2: "twice", 3: "three times"}.get(len(self.terms), f"{len(self.terms)} times")
            return f"{self.name} is used {times} by {users[0]}: each use adds its part (+= in _backward)"
        return (f"{self.name} is used by {', '.join(users[:-1])} and {users[-1]}: the gradients from "
                f"each use add up (+= in _backward)")


@dataclass
class Problem:
    """A graph to backpropagate through by hand. ``nodes`` in forward (topological) order."""

    family: str
    level: int
    seed: int
    nodes: list[Node]
    output: str
    title: str = ""
    target_s: float = 60.0
    _index: dict[str, Node] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for n in self.nodes:
            if n.name in self._index:
                raise GraphBuildError(f"two nodes are called {n.name}")
            for c in n.children:
                if c not in self._index:
                    raise GraphBuildError(f"{n.name} uses {c} before it is defined")
            self._index[n.name] = n
        if self.output not in self._index:
            raise GraphBuildError(f"no output node {self.output}")

    def __getitem__(self, name: str) -> Node:
        return self._index[name]

    def __contains__(self, name: object) -> bool:
        return name in self._index

    @property
    def asked(self) -> list[Node]:
        """The nodes whose grad the learner fills in, walking back from the output."""
        return [n for n in reversed(self.nodes) if not n.const]

    def users(self, name: str) -> list[tuple[Node, int]]:
        """Every use of ``name``: (the node using it, the child slot), in forward order."""
        return [(n, i) for n in self.nodes for i, c in enumerate(n.children) if c == name]

    def local(self, parent: Node, index: int) -> tuple[str, float]:
        """The local derivative of ``parent`` with respect to its child in slot ``index``."""
        c = parent.children
        v = [self[x].data for x in c]
        op = parent.op
        if op == "+":
            return "1", 1.0
        if op == "*":
            other = c[1 - index]
            return f"{other}.data", v[1 - index]
        if op == "-":
            return ("1", 1.0) if index == 0 else ("-1", -1.0)
        if op == "/":
            if index == 0:
                return f"(1 / {c[1]}.data)", 1.0 / v[1]
            return f"(-{c[0]}.data / {c[1]}.data**2)", -v[0] / v[1] ** 2
        if op == "**":
            n = parent.power
            base = f"{c[0]}.data" if n - 1 == 1 else pow_text(f"{c[0]}.data", n - 1)
            return f"({power_text(n)} * {base})", n * v[0] ** (n - 1)
        if op == "neg":
            return "-1", -1.0
        if op == "exp":
            return f"{parent.name}.data", parent.data
        if op == "tanh":
            return f"(1 - {parent.name}.data**2)", 1.0 - parent.data ** 2
        if op == "relu":
            return f"({parent.name}.data > 0)", 1.0 if parent.data > 0 else 0.0
        raise GraphBuildError(f"unknown op {op!r}")

    def backward(self) -> None:
        """Fill every node's grad: the output's is 1, then each op adds to its children's."""
        for n in self.nodes:
            n.grad = 0.0
        self[self.output].grad = 1.0
        for n in reversed(self.nodes):
            for i, c in enumerate(n.children):
                self[c].grad += n.grad * self.local(n, i)[1]

    def explain(self, name: str) -> Worked:
        node = self[name]
        if name == self.output:
            return Worked(name, (), (), node.grad, output=True)
        terms, grads = [], []
        for parent, i in self.users(name):
            text, value = self.local(parent, i)
            terms.append(Term(parent.name, i, text, value))
            grads.append(parent.grad)
        return Worked(name, tuple(terms), tuple(grads), node.grad)

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "level": self.level, "seed": self.seed, "title": self.title,
                "output": self.output, "nodes": [n.to_dict() for n in self.nodes]}


class Builder:
    """Writes a ``Problem`` the way micrograd code builds a graph: leaves, then ops."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self._values: dict[str, float] = {}

    def leaf(self, name: str, value: float, const: bool = False) -> str:
        self._add(Node(name, data=float(value), const=const))
        return name

    def op(self, name: str, op: str, *children: str, power: float | None = None) -> str:
        if op not in OPS:
            raise GraphBuildError(f"unknown op {op!r}")
        want = 2 if op in BINARY else 1
        if len(children) != want:
            raise GraphBuildError(f"{op} takes {want} operand(s), got {len(children)}")
        if op == "**" and power is None:
            raise GraphBuildError("** needs a power")
        for c in children:
            if c not in self._values:
                raise GraphBuildError(f"{name} uses {c} before it is defined")
        value = forward(op, [self._values[c] for c in children], power)
        self._add(Node(name, op, tuple(children), value, power=power))
        return name

    def _add(self, node: Node) -> None:
        if node.name in self._values:
            raise GraphBuildError(f"two nodes are called {node.name}")
        self.nodes.append(node)
        self._values[node.name] = node.data

    def build(self, family: str, level: int, seed: int, output: str | None = None, title: str = "",
              target_s: float = 60.0) -> Problem:
        problem = Problem(family, level, seed, list(self.nodes), output or self.nodes[-1].name, title, target_s)
        problem.backward()
        return problem

