"""Helpers shared by the checks of the engine drills (value, topological sort, backward,
trace, draw_dot): the lecture's graphs, a diagnosis of topological orders, and a small
parser for graphviz source.

Everything here accepts micrograd in both its forms (library and lecture): values are built
with ``checks.value``, and nodes are compared by identity.
"""

from __future__ import annotations

import re
from typing import Any

from . import (
    attempt, close, expect_number, fail, fmt, is_value, likely_cause, mixing_cause, nodes_of, num, topo_ok, value,
)

__all__ = [
    "EXAMPLE1_GRADS", "example1", "diamond", "shared_middle", "order_problem", "ids",
    "names_of", "parse_dot", "record_fields", "forward_hint", "call_backward", "walk_hint", "engine_fault",
    "engine_hint", "ENGINE", "reused_at_two_depths", "REUSED_AT_TWO_DEPTHS_GRADS", "ACCUMULATE", "expect_reuse_grads",
    "expect_plain_numbers",
]

# The gradients of L in the lecture's first example (lecture-facts.md).
EXAMPLE1_GRADS = {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0, "c": -2.0, "a": 6.0, "b": -4.0}


def example1(Value: type) -> dict[str, Any]:
    """The lecture's first graph: a = 2, b = -3, c = 10, e = a*b, d = e + c, f = -2, L = d*f (-8)."""
    a = value(Value, 2.0, label="a")
    b = value(Value, -3.0, label="b")
    c = value(Value, 10.0, label="c")
    e = a * b
    _set_label(e, "e")
    d = e + c
    _set_label(d, "d")
    f = value(Value, -2.0, label="f")
    L = d * f
    _set_label(L, "L")
    return {"a": a, "b": b, "c": c, "e": e, "d": d, "f": f, "L": L}


def diamond(Value: type) -> dict[str, Any]:
    """The re-used node case: a = -2, b = 3, d = a*b, e = a + b, f = d*e (-6)."""
    a = value(Value, -2.0, label="a")
    b = value(Value, 3.0, label="b")
    d = a * b
    _set_label(d, "d")
    e = a + b
    _set_label(e, "e")
    f = d * e
    _set_label(f, "f")
    return {"a": a, "b": b, "d": d, "e": e, "f": f}


def shared_middle(Value: type) -> dict[str, Any]:
    """A graph whose shared node is not a leaf: x = a*b feeds both y = x + c and z = x*c; out = y*z.

    With a = 2, b = -3, c = 4: x = -6, y = -2, z = -24, out = 48. A sort without a
    ``visited`` set lists x (and its children) twice, and over-counts a and b.
    """
    a = value(Value, 2.0, label="a")
    b = value(Value, -3.0, label="b")
    c = value(Value, 4.0, label="c")
    x = a * b
    _set_label(x, "x")
    y = x + c
    _set_label(y, "y")
    z = x * c
    _set_label(z, "z")
    out = y * z
    _set_label(out, "out")
    return {"a": a, "b": b, "c": c, "x": x, "y": y, "z": z, "out": out}


def forward_hint(sym: str):
    """The likely mistake behind an error raised by ``a <sym> b`` on two Values (for ``attempt``)."""
    def hint(exc: BaseException) -> str:
        text = str(exc)
        missing = mixing_cause(exc)
        if missing.startswith("Value has no"):
            return missing
        if isinstance(exc, RecursionError):
            return (f"`self {sym} other` inside the method asks Python for the same method again: combine "
                    f"the numbers, `self.data {sym} other.data`")
        if isinstance(exc, TypeError) and "unsupported operand" in text and "Value" in text:
            return (f"other is a Value, not a number: combine the two numbers, `self.data {sym} other.data`, "
                    "and wrap the result in a new Value")
        if isinstance(exc, TypeError) and "not iterable" in text:
            return (f"the children must be passed as one tuple, `Value(self.data {sym} other.data, (self, other), "
                    f"'{sym}')`: without the parentheses self and other land in separate parameters")
        if isinstance(exc, TypeError) and ("argument" in text or "positional" in text):
            return "the Value(...) call does not match __init__'s parameters: check what you pass to Value(...)"
        if isinstance(exc, (AttributeError, NameError)):
            return likely_cause(exc) or "a name is misspelt, or something that should be a Value is not"
        return likely_cause(exc)
    return hint


def call_backward(node: Any, name: str) -> None:
    """``node._backward()``, or a failure naming what is wrong with it: not stored, stored as the
    result of calling it (None), or raising. A leaf's ``_backward`` may be None (nothing to run)."""
    if not hasattr(node, "_backward"):
        fail(f"{name} has no `_backward`; expected a function: in __init__, `self._backward = lambda: None`, "
             "and each operation stores its closure on its result, `out._backward = _backward`")
    fn = node._backward
    if fn is None and not getattr(node, "_prev", None):
        return  # a leaf without a closure: nothing to run (a backward() that skips None is right)
    if fn is None:
        fail(f"{name}._backward is None; expected the closure: `out._backward = _backward()` calls it once and "
             "stores what it returns (None): store the function itself, `out._backward = _backward`, "
             "without parentheses")
    if not callable(fn):
        fail(f"{name}._backward is {fn!r}; expected a function to call later: `out._backward = _backward`")
    attempt(fn, f"{name}._backward()", _backward_hint)


def walk_hint(exc: BaseException) -> str:
    """The likely mistake behind an error raised while walking a graph (build_topo, trace, backward)."""
    text = str(exc)
    if isinstance(exc, RecursionError):
        return ("the walk never ends: does the recursive function call itself on the same node (`build(v)`) "
                "instead of on each child (`build(child)`)?")
    if isinstance(exc, AttributeError) and "'Value' object has no attribute" in text:
        return likely_cause(exc) + "; a node's children are `v._prev`"
    if isinstance(exc, TypeError) and "unhashable" in text:
        return "`visited` and `nodes` are sets of Values: add the node itself, `visited.add(v)`, not a list"
    if isinstance(exc, TypeError) and "'NoneType' object is not callable" in text:
        return ("a node's _backward is None: `out._backward = _backward()` calls the closure once and stores "
                "what it returns: store the function itself, `out._backward = _backward`")
    if isinstance(exc, (NameError, UnboundLocalError)):
        return ("a name is not defined where it is used: define `topo` and `visited` (or `nodes` and `edges`) "
                "inside the function, before the nested walk that uses them")
    return _backward_hint(exc)


def _backward_hint(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, AttributeError) and "'float' object has no attribute 'grad'" in text:
        return "a number got `.grad`: the grads live on the Values, `self.grad` and `other.grad`, not on `.data`"
    if (isinstance(exc, AttributeError) and "'float' object has no attribute 'data'" in text) or (
            isinstance(exc, TypeError) and "unsupported operand" in text and "Value" in text):
        return ("_backward mixed a Value into the arithmetic: gradients are plain numbers, so use the Values' "
                "numbers (`.data`), e.g. `other.data * out.grad`, not `other * out.grad`")
    if isinstance(exc, (NameError, UnboundLocalError)):
        return ("the closure uses a name that is not defined where it runs: define `_backward` inside the method, "
                "after `out = Value(...)`, and use `self`, `other` and `out`")
    return likely_cause(exc)


def _set_label(v: Any, label: str) -> None:
    # Only where the learner's Value already has labels (the lecture's form).
    if hasattr(v, "label"):
        try:
            v.label = label
        except AttributeError:
            pass


def ids(nodes: Any) -> set[int]:
    return {id(n) for n in nodes}


def names_of(nodes: Any, graph: dict[str, Any], limit: int = 12) -> str:
    """The lecture's names of these nodes, for messages: "[a, b, L]" ("old" for a node not in ``graph``,
    e.g. one left over from an earlier call)."""
    by_id = {id(v): k for k, v in graph.items()}
    nodes = list(nodes)
    shown = [by_id.get(id(n), "old") for n in nodes[:limit]]
    if len(nodes) > limit:
        shown.append(f"... {len(nodes) - limit} more")
    return "[" + ", ".join(shown) + "]"


def order_problem(order: Any, root: Any, what: str = "build_topo(root)") -> str:
    """Why ``order`` is not a topological order of the graph under ``root`` (children
    first, every node once, root last), in the learner's terms; "" if it is one."""
    if not isinstance(order, (list, tuple)):
        return (f"{what} returned {type(order).__name__} {order!r}; expected a list of the graph's nodes: "
                "do you `return topo` at the end?")
    if not order:
        return (f"{what} returned an empty list; expected every node of the graph: "
                "is each node appended (`topo.append(v)`) after visiting its children?")
    expected = nodes_of(root)
    got_ids = [id(n) for n in order]
    if len(order) == 1 and order[0] is root and len(expected) > 1:
        return (f"{what} lists only the root, of the graph's {len(expected)} nodes: the children's nodes are lost: "
                "if the function calls itself, each call fills its own fresh `topo` and the caller drops it: "
                "recurse with a nested `def build(v)` that appends to the one `topo` (or extend `topo` with "
                "what the recursive call returns)")
    if len(set(got_ids)) < len(got_ids):
        return (f"{what} lists {len(got_ids)} entries for a graph of {len(expected)} nodes: a node appears "
                "more than once: keep a `visited` set and skip nodes already in it")
    missing = ids(expected) - set(got_ids)
    if missing:
        return (f"{what} lists {len(got_ids)} of the graph's {len(expected)} nodes; expected all of them: "
                "recurse into every child (`for child in v._prev`), and append every node you visit")
    extra = set(got_ids) - ids(expected)
    if extra:
        return (f"{what} lists {len(extra)} node(s) that are not in this graph (shown as `old`); expected only "
                "the nodes reachable from the root: are they left over from an earlier call? keep `topo` and `visited` inside the "
                "function, fresh for each call")
    ok, _ = topo_ok(order)
    if ok and order[-1] is root:
        return ""
    if topo_ok(list(reversed(order)))[0]:
        return (f"{what} lists the root first and every parent before its children; expected the reverse, "
                "children first and the root last: append a node only after visiting all of its children "
                "(not before), and return `topo` as built, not reversed (backward() is what walks it in reverse)")
    return (f"{what} puts a node before one of its children (the root is at position "
            f"{next((i for i, n in enumerate(order) if n is root), '?')} of {len(order)}): append a node "
            "only after visiting all of its children")


# ---------------------------------------------------------------------------------------
# graphviz source

_ID = r'"(?:[^"\\]|\\.)*"|[A-Za-z_\x80-\uffff][\w\x80-\uffff]*|-?(?:\.\d+|\d+(?:\.\d*)?)'
_NODE = re.compile(rf'^\s*({_ID})\s*(?:\[(.*)\])?\s*;?\s*$')
_EDGE = re.compile(rf'^\s*({_ID})\s*->\s*({_ID})\s*(?:\[(.*)\])?\s*;?\s*$')
_ATTR = re.compile(rf'({_ID})\s*=\s*({_ID})')
_KEYWORDS = {"graph", "node", "edge", "digraph", "subgraph", "strict"}


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] == '"':
        return s[1:-1].replace('\\"', '"')
    return s


def parse_dot(source: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    """(nodes, edges) of a graphviz source as ``graphviz.Digraph.source`` writes it: one
    statement a line. ``nodes`` maps a node's name to its attributes; ``edges`` lists
    (tail, head) names. Nodes that appear only in edges get empty attributes."""
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str]] = []
    for line in source.splitlines():
        line = line.strip()
        if not line or line.startswith(("//", "#", "}")) or line.endswith("{"):
            continue
        m = _EDGE.match(line)
        if m:
            tail, head = _unquote(m.group(1)), _unquote(m.group(2))
            edges.append((tail, head))
            nodes.setdefault(tail, {})
            nodes.setdefault(head, {})
            continue
        m = _NODE.match(line)
        if m:
            name = _unquote(m.group(1))
            if name in _KEYWORDS:
                continue
            attrs = {_unquote(k): _unquote(v) for k, v in _ATTR.findall(m.group(2) or "")}
            nodes.setdefault(name, {}).update(attrs)
    return nodes, edges


_FIELD = re.compile(r"\b(data|grad)\s*[=:]?\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|-?inf)", re.I)


def record_fields(label: str) -> dict[str, float]:
    """{"data": 2.0, "grad": 6.0} from a record label like "{ a | data 2.0000 | grad 6.0000 }"."""
    return {k.lower(): float(v) for k, v in _FIELD.findall(label or "")}


# ---------------------------------------------------------------------------------------
# A quick self-test of the learner's engine: when a gradient comes out wrong in a challenge
# about something else (a neuron, a layer, zero_grad), the mistake may be in the Value class
# the file carries (given code, changed): name it instead of blaming the subject.


def reused_at_two_depths(Value: type) -> dict[str, Any]:
    """A node re-used at two depths: m = a*b; out = m * ((m + c) + d), with a = 1.5, b = 2, c = 0.5, d = -1.

    m is a child of out and a grandchild of out (through p = m + c, q = p + d). A breadth-first walk from
    out meets m before p, so its reverse puts p before m and runs m's _backward before p's has added to
    m.grad: a.grad comes out wrong. out = 3 * 2.5 = 7.5; dout/dm = q + m = 5.5; a.grad 11, b.grad 8.25.
    """
    a = value(Value, 1.5, label="a")
    b = value(Value, 2.0, label="b")
    c = value(Value, 0.5, label="c")
    d = value(Value, -1.0, label="d")
    m = a * b
    _set_label(m, "m")
    p = m + c
    _set_label(p, "p")
    q = p + d
    _set_label(q, "q")
    out = m * q
    _set_label(out, "out")
    return {"a": a, "b": b, "c": c, "d": d, "m": m, "p": p, "q": q, "out": out}


REUSED_AT_TWO_DEPTHS_GRADS = {"a": 11.0, "b": 8.25, "c": 3.0, "d": 3.0, "m": 5.5, "p": 3.0, "q": 3.0, "out": 1.0}
ASSIGNS = "its _backward assigns with `=` instead of accumulating with `+=`"


def _closure_grad(make: Any, x: float, preset: float = 5.0) -> float | None:
    """x.grad after: x.grad = preset; out = make(x); out.grad = 1.0; out._backward() (None if it cannot run)."""
    try:
        return _closure_grad_unsafe(make, x, preset)
    except Exception:  # noqa: BLE001 - a probe: no diagnosis
        return None


def _closure_grad_unsafe(make: Any, x: float, preset: float) -> float | None:
    v = make(x)
    leaf, out = v
    leaf.grad = preset
    out.grad = 1.0
    fn = getattr(out, "_backward", None)
    if not callable(fn):
        return None
    fn()
    return leaf.grad


ENGINE = ("__add__", "__mul__", "__pow__", "tanh", "exp", "relu", "backward")


def engine_fault(Value: Any, methods: Any = ENGINE) -> str:
    """The first mistake a quick self-test finds in ``methods`` of the learner's Value (their closures, relu
    below 0, and backward() on a node re-used at two depths), as "the file's Value ...: <mistake>"; "" if none is
    found. Checks pass the methods the challenge gives (not the ones the learner writes, which their own checks
    name more precisely)."""
    import math

    def new(x: float) -> Any:
        return value(Value, x)

    probes = [("__add__", "a + a", lambda x: (lambda a: (a, a + a))(new(x)), 3.0, 7.0),
              ("__mul__", "a * a", lambda x: (lambda a: (a, a * a))(new(x)), 3.0, 11.0)]
    if callable(getattr(Value, "__pow__", None)):
        probes.append(("__pow__", "x**2", lambda x: (lambda a: (a, a**2))(new(x)), 3.0, 11.0))
    if callable(getattr(Value, "tanh", None)):
        probes.append(("tanh", "x.tanh()", lambda x: (lambda a: (a, a.tanh()))(new(x)), 0.5,
                       5.0 + 1 - math.tanh(0.5)**2))
    if callable(getattr(Value, "exp", None)):
        probes.append(("exp", "x.exp()", lambda x: (lambda a: (a, a.exp()))(new(x)), 0.5, 5.0 + math.exp(0.5)))
    if callable(getattr(Value, "relu", None)):
        probes.append(("relu", "x.relu()", lambda x: (lambda a: (a, a.relu()))(new(x)), 2.0, 6.0))
        probes.append(("relu", "x.relu() at x = -2", lambda x: (lambda a: (a, a.relu()))(new(x)), -2.0, 5.0))
    for method, expr, make, x, want in probes:
        if method not in methods:
            continue
        got = _closure_grad(make, x)
        if got is None or abs(got - want) < 1e-6:
            continue
        # what the closure alone gives, from a grad of 0: tells "=" from a wrong local gradient
        fresh = _closure_grad(make, x, preset=0.0)
        if fresh is not None and abs(fresh + 5.0 - want) < 1e-6 and method not in ("__add__", "__mul__"):
            return f"the file's Value.{method} {ASSIGNS} (x.grad was 5.0 before {expr}'s _backward ran)"
        if method in ("__add__", "__mul__") and fresh is not None and abs(got - fresh) < 1e-6:
            return (f"the file's Value.{method} {ASSIGNS}: for {expr}, self and other are the same node, and each "
                    "of its two contributions must add to its grad")
        if method == "relu" and x < 0:
            return ("the file's Value.relu passes gradient for a negative input, where it is flat: its local "
                    "gradient is `(out.data > 0)`")
        return f"the file's Value.{method} has a wrong local gradient (check {expr}'s _backward)"
    if "backward" in methods and callable(getattr(Value, "backward", None)):
        try:
            g = reused_at_two_depths(Value)
            g["out"].backward()
            wrong = [k for k in "abcd" if abs(g[k].grad - REUSED_AT_TWO_DEPTHS_GRADS[k]) > 1e-6]
        except Exception:  # noqa: BLE001 - a probe
            wrong = []
        if wrong:
            return ("the file's Value.backward() gives wrong gradients when a node is re-used at two depths "
                    "(m = a*b; out = m * ((m + c) + d)): it must call _backward in reverse topological order, "
                    "`for node in reversed(topo)`, the order built depth-first, each node appended after its children")
    return ""


def engine_hint(Value: Any, hint: str, methods: Any = ENGINE) -> str:
    """``hint``, unless the learner's Value itself is at fault (``engine_fault``): then that."""
    fault = engine_fault(Value, methods)
    return f"{fault} (the Value class in your file computes gradients wrongly; fix it first)" if fault else hint


ACCUMULATE = "every _backward must add with `+=` (a node used twice gets gradient from both uses)"


def expect_reuse_grads(Value: type, start: float, cases) -> None:
    """For each ``(expr, build, want)``: ``a = Value(start); out = build(a); out.backward()`` leaves
    ``a.grad == want``: a node used twice gets the gradient of both uses (``a + a``, ``a * a``)."""
    for expr, build, want in cases:
        a = value(Value, start, label="a")
        out = attempt(lambda make=build, x=a: make(x), expr)
        attempt(out.backward, f"({expr}).backward()")
        if not close(a.grad, want):
            fail(f"a.grad is {num(a.grad)} after a = Value({num(start)}); out = {expr}; out.backward(); expected "
                 f"{num(want)}: {ACCUMULATE}")


def expect_plain_numbers(Value: type, subtraction: bool = False) -> None:
    """``a + 2``, ``2 + a``, ``a * 3`` and ``3 * a`` (with ``subtraction``, ``a - 2`` and ``2 - a``
    too) give a Value with the right data and gradient, for ``a = Value(2.5)``."""
    a = value(Value, 2.5)
    cases = [("a + 2.0", lambda: a + 2.0, 4.5, 1.0), ("2.0 + a", lambda: 2.0 + a, 4.5, 1.0),
             ("a * 3.0", lambda: a * 3.0, 7.5, 3.0), ("3.0 * a", lambda: 3.0 * a, 7.5, 3.0)]
    left = "`__radd__`, `__rmul__`"
    how = "`return self + other`, `return self * other`"
    if subtraction:
        cases += [("a - 2.0", lambda: a - 2.0, 0.5, 1.0), ("2.0 - a", lambda: 2.0 - a, -0.5, -1.0)]
        left += " and `__rsub__`"
        how += ", `return other + (-self)`"
    for expr, make, want, grad in cases:
        a.grad = 0.0
        out = attempt(make, f"{expr} with a = Value(2.5)")
        if not is_value(out):
            fail(f"{expr} returned {fmt(out)}; expected a Value: a plain number on either side works (wrap it in a "
                 f"Value; {left} for a number on the left)")
        expect_number(out.data, want, f"({expr}).data", f"a number on the left goes through {left}: {how}",
                      after="a = Value(2.5)")
        attempt(out.backward, f"({expr}).backward()")
        expect_number(a.grad, grad, "a.grad", "the gradient of a + c is 1, of a * c is c and of c - a is -1, for "
                      "a number c", after=f"a = Value(2.5); out = {expr}; out.backward()")
