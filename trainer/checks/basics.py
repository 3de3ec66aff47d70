"""The basic helpers: fail, fetch what the learner's file defines, build Values, compare numbers,
walk a graph."""

from __future__ import annotations

import inspect
import math
from typing import Any, Callable, Iterable, Sequence

import pytest

__all__ = [
    "need", "need_method", "value", "has_label", "close", "num", "expect", "expect_close",
    "numgrad", "fail", "nodes_of", "topo_ok",
]


def fail(message: str) -> None:
    """Fail the check with exactly this message."""
    pytest.fail(message, pytrace=False)


def need(learner: Any, name: str, what: str | None = None) -> Any:
    """``learner.<name>``, or a failure saying the file does not define it yet.

    It also settles the order in which the learner's Values meet their children (``order.settle``): the same in
    every run."""
    from .order import settle

    settle(learner)
    try:
        return getattr(learner, name)
    except AttributeError:
        fail(f"your file defines no `{name}`" + (f": {what}" if what else ""))


def need_method(cls: type, name: str, what: str | None = None) -> Callable[..., Any]:
    method = getattr(cls, name, None)
    if method is None:
        fail(f"`{cls.__name__}` has no method `{name}`" + (f": {what}" if what else ""))
    return method


def has_label(Value: type) -> bool:
    """Does this Value's constructor take a ``label`` (the lecture's form)?"""
    try:
        return "label" in inspect.signature(Value).parameters
    except (TypeError, ValueError):
        return False


def value(Value: type, data: float, label: str | None = None) -> Any:
    """Build ``Value(data)``, with a label where the learner's Value supports one."""
    if label is not None and has_label(Value):
        return Value(data, label=label)
    v = Value(data)
    if label is not None:
        try:
            v.label = label
        except AttributeError:
            pass
    return v


def num(x: Any) -> str:
    """A number as a learner reads it: 2.0, -3.0, 0.7071, 1e-08."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return repr(x)
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return repr(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{float(x):.1f}"
    if 1e-4 <= abs(x) < 1e6:
        return f"{x:.6g}"
    return f"{x:.4g}"


def close(actual: Any, expected: float, tol: float = 1e-6) -> bool:
    """Within ``tol``, relative or absolute: near zero, any two numbers closer than ``tol`` agree.

    That absolute part is what finite differences need (f'(2/3) = 0 comes back as ~3e-6);
    checks comparing tiny exact values pass a smaller ``tol``.
    """
    if isinstance(actual, bool) or not isinstance(actual, (int, float)):
        return False
    return math.isclose(actual, expected, rel_tol=tol, abs_tol=tol)


def expect(condition: bool, message: str) -> None:
    if not condition:
        fail(message)


def expect_close(actual: Any, expected: float, what: str, hint: str = "", tol: float = 1e-6,
                 after: str = "") -> None:
    """Unless they agree, fail with "<what> is <actual> after <after>; expected <expected>: <hint>"."""
    if not close(actual, expected, tol):
        message = f"{what} is {num(actual)}" + (f" after {after}" if after else "") + f"; expected {num(expected)}"
        fail(message + (f": {hint}" if hint else ""))


def numgrad(f: Callable[..., float], xs: Sequence[float], h: float = 1e-6) -> list[float]:
    """Central finite differences of ``f`` at ``xs``."""
    grads = []
    for i in range(len(xs)):
        up = list(xs)
        down = list(xs)
        up[i] += h
        down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def nodes_of(root: Any) -> list[Any]:
    """Every node reachable from ``root`` through ``_prev`` (iteratively, any depth)."""
    seen, order, stack = set(), [], [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(getattr(node, "_prev", ()))
    return order


def topo_ok(order: Iterable[Any]) -> tuple[bool, str]:
    """Is ``order`` topological (every node after all its children)? (ok, why not)."""
    position = {}
    for i, node in enumerate(order):
        if id(node) in position:
            return False, f"a node appears twice (at {position[id(node)]} and {i}): is `visited` checked?"
        position[id(node)] = i
    for node in order:
        for child in getattr(node, "_prev", ()):
            if id(child) not in position:
                return False, "a node's child is missing from the order: is every child visited?"
            if position[id(child)] > position[id(node)]:
                return False, ("a node comes before one of its children: append a node only after "
                               "visiting all of its children")
    return True, ""
