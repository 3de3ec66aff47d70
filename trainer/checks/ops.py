"""Operations and their gradients: helpers for the ``ops``, ``tanh-decomposed`` and ``from-blank`` checks.

On top of :mod:`gradrill.checks` (``attempt``, ``is_value``, ``expect_number``):

- ``new_value`` insists that an operation returned a ``Value``;
- ``check_gradients`` builds an expression with the learner's ``Value``, calls
  ``backward()`` and compares every input's gradient with central finite differences of
  the same expression on plain floats.

Expressions are written once for both worlds: ``lambda R, a, b: R.tanh(a * b) + a`` where
``R`` is ``FloatOps`` (math on floats) or ``ValueOps`` (the learner's methods).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

from . import (
    attempt, close, expect_number, fail, likely_cause, not_a_value, mixing_cause, need, nodes_of, num, numgrad,
    value,
)

__all__ = [
    "values", "new_value", "compute", "FloatOps", "ValueOps", "check_gradients", "backward_hint", "common_hint",
    "ops_of", "setup_text", "mixing_hint",
]


def values(learner: Any, *xs: float) -> list[Any]:
    """``Value(x)`` for each x, with the learner's ``Value``."""
    Value = need(learner, "Value")
    return [value(Value, x) for x in xs]






def new_value(out: Any, what: str, hint: str = "") -> Any:
    """``out``, if it is a Value; otherwise a failure saying what came back instead."""
    if out is None:
        fail(f"{what} returned None; expected a new Value: "
             + (hint or "does the method build `out` and end with `return out`?"))
    why = not_a_value(out)
    if why:
        if "with no" in why:
            fail(f"{what} returned {out!r}, {why}")
        fail(f"{what} returned {out!r} ({why}); expected a Value" + (f": {hint}" if hint else ""))
    return out


def common_hint(exc: BaseException) -> str:
    """The likely mistake behind an error that any new operation can raise while building its result: the
    children tuple, an overflowing formula, then the general causes (``checks.likely_cause``)."""
    text = str(exc)
    if isinstance(exc, TypeError) and "not iterable" in text:
        return ("the children must be a tuple: `(self,)` with the comma for one child (`(self)` is just self), "
                "`(self, other)` for two")
    if isinstance(exc, OverflowError):
        return "a number grew too large for a float: e.g. e**(2x) for a large x: math.tanh(x) does not overflow"
    return likely_cause(exc)


def compute(fn: Callable[[], Any], what: str, hint: str | Callable[[BaseException], str] = "",
            none_hint: str = "") -> Any:
    """``attempt`` then ``new_value``."""
    def why(exc: BaseException) -> str:
        return (hint(exc) if callable(hint) else hint) or common_hint(exc)
    return new_value(attempt(fn, what, why), what, none_hint)




class FloatOps:
    """The math of each op on plain floats (the truth the learner's gradients are held to)."""

    relu = staticmethod(lambda x: max(0.0, x))
    tanh = staticmethod(math.tanh)
    exp = staticmethod(math.exp)


class ValueOps:
    """The same ops, as the learner's Value methods."""

    relu = staticmethod(lambda v: v.relu())
    tanh = staticmethod(lambda v: v.tanh())
    exp = staticmethod(lambda v: v.exp())


def setup_text(names: Sequence[str], xs: Sequence[float]) -> str:
    return ", ".join(f"{n} = {num(x)}" for n, x in zip(names, xs))


def check_gradients(learner: Any, f: Callable[..., Any], xs: Sequence[float], expr: str, hint: str,
                    names: Sequence[str] = "abcd", tol: float = 1e-5,
                    error_hint: str | Callable[[BaseException], str] = "", none_hint: str = "",
                    given: Sequence[str] = ()) -> None:
    """``out = f(ValueOps, *Values)``; ``out.backward()``; every input's grad must match central
    finite differences of ``f(FloatOps, *floats)``. ``given``: the Value methods the challenge gives (e.g.
    ``engine.ENGINE``): when a gradient is wrong and one of them is at fault in the learner's file, that is
    named instead of ``hint``."""
    Value = need(learner, "Value")
    names = list(names)[: len(xs)]
    setup = setup_text(names, xs)
    leaves = [value(Value, x, label=n) for n, x in zip(names, xs)]
    out = compute(lambda: f(ValueOps, *leaves), f"out = {expr} with {setup}", error_hint, none_hint)
    want = f(FloatOps, *xs)
    expect_number(getattr(out, "data", None), want, f"out.data for out = {expr}",
                  "the forward pass of one of its operations computes the wrong number", after=setup, tol=tol)
    if not callable(getattr(out, "backward", None)):
        fail("`Value` has no method `backward`: define `def backward(self):`: sort the graph topologically, seed "
             "`self.grad = 1.0`, and call every node's `_backward` in reverse order")
    attempt(out.backward, f"out.backward() for out = {expr}", backward_hint(error_hint))
    if not close(out.grad, 1.0):
        fail(f"out.grad is {num(out.grad)} after {setup}; out = {expr}; out.backward(); expected 1.0: "
             "backward() must seed the root first, `self.grad = 1.0`, before walking the graph")
    grads = numgrad(lambda *ys: f(FloatOps, *ys), xs)
    after = f"{setup}; out = {expr}; out.backward()"
    for n, leaf, g in zip(names, leaves, grads):
        got = leaf.grad
        if not close(got, g, tol):
            if given:
                from .engine import engine_hint
                hint = engine_hint(Value, hint, given)
            fail(f"{n}.grad is {num(got)} after {after}; expected {num(round(g, 6))} "
                 f"(by finite differences, nudging {n} by ±1e-6): {hint}")


def backward_hint(hint: str | Callable[[BaseException], str] = "") -> Callable[[BaseException], str]:
    """``hint`` for an error raised by ``out.backward()``, after the mistakes that any op's closure can make."""
    def why(exc: BaseException) -> str:
        text = str(exc)
        if isinstance(exc, TypeError) and "'NoneType' object is not callable" in text:
            return ("a node's _backward is None: `out._backward = _backward()` calls the closure once and stores "
                    "what it returns (None): store the function itself, `out._backward = _backward`")
        if isinstance(exc, AttributeError) and "object has no attribute '_prev'" in text:
            return ("a plain number is among a node's children: only Values are nodes: a unary op's children are "
                    "`(self,)`, and a number operand is wrapped in a Value first")
        if (isinstance(exc, AttributeError) and "'float' object has no attribute 'data'" in text) or (
                isinstance(exc, TypeError) and "unsupported operand" in text and "Value" in text):
            return ("a _backward mixed a Value into the arithmetic: gradients are plain numbers: use `.data` "
                    "(e.g. `out.data * out.grad`), not the Value itself")
        return (hint(exc) if callable(hint) else hint) or common_hint(exc)
    return why


def ops_of(root: Any) -> list[str]:
    """The ``_op`` of every node reachable from ``root``."""
    return [str(getattr(n, "_op", "")) for n in nodes_of(root)]


def mixing_hint(exc: BaseException) -> str:
    """The likely mistake behind an error raised by an expression mixing plain numbers and Values
    (``checks.mixing_cause``), else the general causes; never empty."""
    if isinstance(exc, RecursionError):
        return mixing_cause(exc) or ("a method calls itself without end: build a reflected method's result "
                                     "with a Value first, e.g. `self + other` in __radd__")
    if isinstance(exc, TypeError) and "unsupported operand" in str(exc):
        return mixing_cause(exc) or likely_cause(exc) or (
            "Python found no way to combine these operands: define the reflected methods (__radd__ for 2 + a, "
            "__rmul__ for 2 * a, __rsub__ for 1 - a, __rtruediv__ for 2 / a), each returning a Value built "
            "with the Value first")
    return common_hint(exc) or "build each derived operation from existing ones, with the Value first"
