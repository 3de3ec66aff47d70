"""Hidden checks for slope-numeric."""

import math

from gradrill.checks import attempt, close, expect, expect_close, fail, need, num


def F(x):
    # The lecture's function, kept here so that a slip in the learner's f fails only test_f.
    return 3*x**2 - 4*x + 5


def call_slope(learner, g, x, **kw):
    slope = need(learner, "slope", "define `slope(f, x, h=1e-6)`")
    name = {"F": "f", "sin": "math.sin"}.get(getattr(g, "__name__", ""), "g")
    call = f"slope({name}, {num(x)}" + "".join(f", {k}={v}" for k, v in kw.items()) + ")"
    got = attempt(lambda: slope(g, x, **kw), call,
                  lambda exc: "slope takes the function first, then x, then h: `def slope(f, x, h=1e-6)`"
                  if isinstance(exc, TypeError) and ("argument" in str(exc) or "function" in str(exc)) else "")
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        fail(f"slope returned {got!r}; expected a number: `return (f(x + h) - f(x)) / h`")
    return got


def why(got, expected, fn=None, x=None, h=1e-6):
    """The likely mistake behind a slope of ``got`` where ``expected`` was due (``fn`` at ``x``)."""
    if fn is not None:
        if close(got, fn(x + h) - fn(x) / h, 1e-6):
            return ("`/` binds tighter than `-`, so f(x + h) - f(x) / h divides only f(x): put the rise in "
                    "parentheses, (f(x + h) - f(x)) / h")
        if expected != 0 and close(got, fn(x + h) - fn(x), 1e-6):
            return "that is the rise f(x + h) - f(x) alone, about h times too small: divide by h"
    if expected != 0 and close(got, expected * h, 1e-2):
        return "it is about h times too small: did you forget to divide by h?"
    if expected != 0 and close(got, -expected, 1e-3):
        return "the sign is flipped: the rise is f(x + h) - f(x), not f(x) - f(x + h)"
    if fn is not None and close(got, fn(x + 1.0) - fn(x), 1e-6):
        return ("that is the slope of a chord with h = 1.0: is h small? the default is h=1e-6, and a large h "
                "measures the slope of a chord, not of the curve at x")
    return ("expected (f(x + h) - f(x)) / h, calling the f you are given, with the h you are given "
            "(default h=1e-6)")


def test_f(learner):
    """f(x) is 3x² - 4x + 5"""
    f = need(learner, "f", "define `f(x)` returning 3*x**2 - 4*x + 5")
    for x, want in [(3.0, 20.0), (-3.0, 44.0), (0.0, 5.0), (0.5, 3.75)]:
        expect_close(f(x), want, f"f({num(x)})", "f(x) is 3*x**2 - 4*x + 5 (x**2, not x*2 or x^2)")


def test_slope_at_3(learner):
    """the slope of f at x = 3 is 14"""
    got = call_slope(learner, F, 3.0)
    expect(close(got, 14.0, 1e-3), f"slope(f, 3) is {num(got)}; expected 14.0 (14.000003): {why(got, 14.0, F, 3.0)}")


def test_slope_at_minus_3(learner):
    """the slope of f at x = -3 is -22"""
    got = call_slope(learner, F, -3.0)
    expect(close(got, -22.0, 1e-3), f"slope(f, -3) is {num(got)}; expected -22.0 (-21.999997): {why(got, -22.0, F, -3.0)}")


def test_slope_at_the_minimum(learner):
    """the slope of f at x = 2/3 is 0"""
    got = call_slope(learner, F, 2/3)
    expect(close(got, 0.0, 1e-3),
           f"slope(f, 2/3) is {num(got)}; expected about 0.0 (the bottom of the parabola): {why(got, 0.0, F, 2/3)}")


def test_any_function(learner):
    """slope works on any function it is given, e.g. a cubic and sin"""
    g = lambda x: x**3 - 2*x + 1  # noqa: E731 - g'(x) = 3x² - 2
    for fn, name, x, want in [(g, "g", 2.0, 10.0), (g, "g", -1.0, 1.0), (math.sin, "math.sin", 0.0, 1.0)]:
        got = call_slope(learner, fn, x)
        if not close(got, want, 1e-3):
            if close(got, 6*x - 4, 1e-6):
                hint = ("that is 6x - 4, the derivative of the lecture's f, worked out by hand: slope must "
                        "call the function it is given, f(x + h) and f(x)")
            else:
                hint = why(got, want, fn, x)
            where = " for g(x) = x**3 - 2*x + 1" if name == "g" else ""
            fail(f"slope({name}, {num(x)}) is {num(got)}{where}; expected {num(want)}: {hint}")


def test_uses_h(learner):
    """slope uses the h it is given"""
    got = call_slope(learner, lambda x: x**3, 0.0, h=1.0)
    # forward, backward and central differences all give 1.0 here; the true slope is 0
    if not close(got, 1.0, 1e-9):
        if abs(got) < 1e-3:
            hint = "did you use the h passed in, rather than a fixed 1e-6?"
        elif close(got, 6*0.0 - 4, 1e-6):
            hint = ("that is 6x - 4 at x = 0, the derivative of the lecture's f worked out by hand: slope must "
                    "call the function it is given, with the h it is given")
        elif close(got, -1.0, 1e-9):
            hint = "the sign is flipped: the rise is f(x + h) - f(x), not f(x) - f(x + h)"
        else:
            hint = "return (f(x + h) - f(x)) / h, calling the f and using the h you are given"
        fail(f"slope(lambda x: x**3, 0, h=1.0) is {num(got)}; expected 1.0 ((1**3 - 0**3) / 1): {hint}")


def test_default_h_is_small(learner):
    """the default h is small (1e-6)"""
    got = call_slope(learner, lambda x: x**2, 1.0)
    expect(close(got, 2.0, 1e-4),
           f"slope(lambda x: x**2, 1) is {num(got)} with the default h; expected 2.0: {why(got, 2.0, lambda x: x**2, 1.0)}")
