"""Running the learner's code from a check: one ``attempt`` (an exception becomes a failure that names
the learner's line and the likely mistake), one ``is_value``, one ``expect_number`` (a wrong number that
equals a known wrong answer names that mistake)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from .basics import close, fail, num
from .causes import likely_cause, where

__all__ = ["attempt", "is_value", "not_a_value", "data_of", "fmt", "expect_number"]


def attempt(fn: Callable[[], Any], what: str, hint: str | Callable[[BaseException], str] = "") -> Any:
    """``fn()``, or a failure "<what> raised <error> (line N: `...`): <hint>".

    ``hint`` may be a function of the exception, to name the mistake each error points at; without one
    (or when it has nothing to say) the failure gives ``likely_cause``."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - learner code may raise anything
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if isinstance(exc, RecursionError):
            text = "RecursionError (a method that calls itself without end, or a graph walk that recurses too deep)"
        why = (hint(exc) if callable(hint) else hint) or likely_cause(exc)
        fail(f"{what} raised {text}{where(exc)}" + (f": {why}" if why else ""))


def is_value(x: Any) -> bool:
    """A Value, as far as a check can tell without knowing the learner's class: it has ``data`` and
    ``grad`` (a from-blank Value may keep its children under another name than ``_prev``)."""
    return hasattr(x, "data") and hasattr(x, "grad")


def not_a_value(x: Any) -> str:
    """Why ``x`` is not a Value, in the learner's terms ("" when it is one): "None", "a list", or, for an
    object of the learner's that lacks one of them, "a Value with no `.data`" (never "a Value; expected a
    Value")."""
    if is_value(x):
        return ""
    if x is None:
        return "None"
    kind = type(x).__name__
    missing = [a for a in ("data", "grad") if not hasattr(x, a)]
    if isinstance(x, (int, float, str, bytes, list, tuple, dict, set, bool)) or len(missing) == 2 and kind != "Value":
        return f"a {kind}"
    return f"a {kind} with no `.{missing[0]}` (the prompt's Value keeps its number in `data`, its gradient in `grad`)"


def data_of(x: Any) -> Any:
    """A number recorded as a float or as a Value: its number."""
    return x.data if is_value(x) else x


def fmt(x: Any) -> str:
    """A number, a Value or a list of them, as a learner reads it."""
    if is_value(x):
        return f"Value(data={num(x.data)})"
    if isinstance(x, (list, tuple)):
        inner = ", ".join(fmt(v) for v in x[:6]) + (", ..." if len(x) > 6 else "")
        return f"[{inner}]"
    return num(x)


def expect_number(got: Any, want: float, what: str, hint: str | Callable[[], str] = "",
                  wrong: Iterable[tuple[float, str]] = (), after: str = "", tol: float = 1e-6) -> None:
    """Unless ``got`` is ``want``: fail with "<what> is <got> after <after>; expected <want>: <why>",
    <why> naming the first known wrong answer that ``got`` equals, or else ``hint`` (a function: called only
    then)."""
    if close(got, want, tol):
        return
    if callable(hint):
        hint = hint()
    message = f"{what} is {fmt(got)}" + (f" after {after}" if after else "") + f"; expected {num(want)}"
    for bad, why in wrong:
        if not close(bad, want, tol) and close(got, bad, tol):
            fail(f"{message}: {why}")
    fail(f"{message}: {hint}" if hint else message)
