"""Hidden checks for partial-derivatives."""

import math

from gradrill.checks import attempt, close, expect, expect_close, fail, need, num

NAMES = ("dd_da", "dd_db", "dd_dc")


def call_partials(learner, a, b, c):
    partials = need(learner, "partials", "define `partials(a, b, c, h=1e-6)`")
    got = attempt(lambda: partials(a, b, c), f"partials({num(a)}, {num(b)}, {num(c)})",
                  lambda exc: "define `partials(a, b, c, h=1e-6)`, calling `d_fn(a, b, c)` with three numbers"
                  if isinstance(exc, TypeError) and "argument" in str(exc) else "")
    try:
        got = tuple(got)
    except TypeError:
        fail(f"partials({num(a)}, {num(b)}, {num(c)}) returned {got!r}; expected a tuple "
             "(dd_da, dd_db, dd_dc): `return dd_da, dd_db, dd_dc`")
    expect(len(got) == 3 and all(isinstance(g, (int, float)) and not isinstance(g, bool) for g in got),
           f"partials({num(a)}, {num(b)}, {num(c)}) returned {got!r}; expected three numbers "
           "(dd_da, dd_db, dd_dc)")
    return got


def show(xs):
    return "(" + ", ".join(num(x) for x in xs) + ")"


def d_lecture(a, b, c):
    return a * b + c


def nudged(F, a, b, c, h=1e-6):
    """The rises of F when a, b or c alone is nudged by h (not yet divided by h)."""
    d1 = F(a, b, c)
    return (F(a + h, b, c) - d1, F(a, b + h, c) - d1, F(a, b, c + h) - d1)


def piled_up(F, a, b, c, h=1e-6):
    """The partials when each nudge is kept: a += h, then b += h on top of it, then c += h."""
    d1 = F(a, b, c)
    return ((F(a + h, b, c) - d1) / h, (F(a + h, b + h, c) - d1) / h, (F(a + h, b + h, c + h) - d1) / h)


def all_close(xs, ys, tol):
    return all(math.isclose(x, y, rel_tol=tol, abs_tol=1e-12) for x, y in zip(xs, ys))


def why(got, want, point, F=d_lecture):
    """The likely mistake behind partials ``got`` where ``want`` was due (at ``point``, for ``F``)."""
    h = 1e-6
    rises = nudged(F, *point)
    together = (F(*(x + h for x in point)) - F(*point)) / h
    if all_close(got, rises, 1e-3):
        return "each is about h times too small, the rise alone: did you forget to divide by h?"
    if all_close(got, piled_up(F, *point), 1e-5):
        return ("the nudges pile up: after `a += h`, a stays nudged while you nudge b (and a and b while you "
                "nudge c): nudge one input at a time, e.g. d_fn(a + h, b, c), d_fn(a, b + h, c), "
                "d_fn(a, b, c + h)")
    if all(math.isclose(g, together, rel_tol=1e-4, abs_tol=1e-4) for g in got):
        return ("all three are the same: d moved with a, b and c nudged together: nudge one input at a time, "
                "keeping the other two fixed")
    if sorted(round(g, 3) for g in got) == sorted(round(w, 3) for w in want):
        return ("the right numbers in the wrong places: the partials are mixed up: dd_da nudges a, "
                "dd_db nudges b, dd_dc nudges c, returned in that order")
    if all(close(g, -w, 1e-4) for g, w in zip(got, want)):
        return "every sign is flipped: the rise is d(a + h, b, c) - d(a, b, c), not the other way round"
    return "nudge one input by h, subtract d at the original point, and divide by h"


def check_at(learner, a, b, c, want):
    got = call_partials(learner, a, b, c)
    if not all(close(g, w, 1e-4) for g, w in zip(got, want)):
        fail(f"partials({num(a)}, {num(b)}, {num(c)}) is {show(got)}; expected {show(want)} "
             f"(dd_da = b, dd_db = a, dd_dc = 1): {why(got, want, (a, b, c))}")


def test_d_fn(learner):
    """d_fn(a, b, c) is a*b + c"""
    d_fn = need(learner, "d_fn", "define `d_fn(a, b, c)` returning a*b + c")
    expect_close(d_fn(2.0, -3.0, 10.0), 4.0, "d_fn(2, -3, 10)", "d_fn is a*b + c")
    expect_close(d_fn(4.0, 0.5, -1.0), 1.0, "d_fn(4, 0.5, -1)", "d_fn is a*b + c")


def test_lecture_point(learner):
    """at a = 2, b = -3, c = 10 the partials are (-3, 2, 1)"""
    check_at(learner, 2.0, -3.0, 10.0, (-3.0, 2.0, 1.0))


def test_other_points(learner):
    """the partials are (b, a, 1) at other points too"""
    for a, b, c in [(4.0, 0.5, -1.0), (-1.5, 2.5, 0.0), (3.0, 7.0, 100.0)]:
        check_at(learner, a, b, c, (b, a, 1.0))


def test_dd_dc_is_one(learner):
    """dd/dc is 1 wherever you look: c is simply added"""
    for a, b, c in [(2.0, -3.0, 10.0), (5.0, 5.0, -7.0)]:
        got = call_partials(learner, a, b, c)
        if not close(got[2], 1.0, 1e-4):
            fail(f"dd_dc is {num(got[2])} at a = {num(a)}, b = {num(b)}, c = {num(c)}; expected 1.0 (the third "
                 f"of {show(got)}): {why(got, (b, a, 1.0), (a, b, c))}")


def test_nudges_d_fn(learner, monkeypatch):
    """partials nudges d_fn itself, so it follows any d_fn"""
    need(learner, "d_fn")
    monkeypatch.setattr(learner, "d_fn", lambda a, b, c: a * b * c)
    got = call_partials(learner, 2.0, -3.0, 10.0)
    want = (-30.0, 20.0, -6.0)
    if not all(close(g, w, 1e-4) for g, w in zip(got, want)):
        if all(close(g, w, 1e-6) for g, w in zip(got, (-3.0, 2.0, 1.0))):
            hint = ("those are the partials of a*b + c worked out by hand: compute each one by calling "
                    "d_fn at nudged inputs, so the same code works for any expression")
        else:
            hint = why(got, want, (2.0, -3.0, 10.0), lambda a, b, c: a * b * c)
        fail(f"with d_fn replaced by a*b*c, partials(2, -3, 10) is {show(got)}; expected {show(want)} "
             f"(b*c, a*c, a*b): {hint}")
