"""Hidden checks for div-neg-sub."""

from gradrill.checks import attempt, expect_number, in_both_orders, mixing_cause
from gradrill.checks.engine import ENGINE
from gradrill.checks.ops import check_gradients, compute, values

RETURN_HINT = "does the method `return` the Value it builds?"
NUMBER_HINT = ("other is a plain number here: keep the Value on the left (self + (-other), self * other**-1), "
               "so that Value's own __add__ and __mul__ run and wrap the number")


def left_hint(exc):
    """The likely mistake when building -a, a - b or a / b raised."""
    text = str(exc)
    missing = mixing_cause(exc)
    if missing.startswith("Value has no"):
        return missing
    if isinstance(exc, TypeError) and "unsupported operand" in text and ("'int' and 'Value'" in text or
                                                                       "'float' and 'Value'" in text):
        return ("a plain number on the left of a Value (like `-1 * self` or `1 / other`) needs the reflected "
                "methods, which come in the next challenge: keep the Value on the left: `self * -1`, "
                "`self + (-other)`, `self * other**-1`")
    if isinstance(exc, TypeError) and "NoneType" in text:
        return "one of the three returned None: " + RETURN_HINT
    if isinstance(exc, RecursionError):
        return ("a method calls itself: `-self` inside __neg__, or `self - other` inside __sub__, asks Python for "
                "the same method again: build it from +, * and ** instead")
    return NUMBER_HINT


LOST = ("the result is not connected to {x} in the graph, so no gradient reaches it: build the operation "
        "from ones you already have (-self is self * -1) and its gradient comes for free")


@in_both_orders
def test_neg(learner):
    """-a is a * -1: data -3.0, and a.grad == -1.0 after backward"""
    (a,) = values(learner, 3.0)
    out = compute(lambda: -a, "-a", left_hint, RETURN_HINT)
    expect_number(out.data, -3.0, "(-a).data", "negate: self * -1", after="a = Value(3.0)")
    attempt(out.backward, "(-a).backward()")
    expect_number(a.grad, -1.0, "a.grad", "the derivative of -a is -1: build -a as self * -1",
                  wrong=[(0.0, LOST.format(x="a"))], after="a = Value(3.0); out = -a; out.backward()")


@in_both_orders
def test_sub(learner):
    """a - b is a + (-b): data 3.0, a.grad 1.0, b.grad -1.0"""
    a, b = values(learner, 5.0, 2.0)
    out = compute(lambda: a - b, "a - b", left_hint, RETURN_HINT)
    expect_number(out.data, 3.0, "(a - b).data", "subtract: self + (-other)",
                  wrong=[(-3.0, "that is b - a: self - other is self + (-other)")], after="a = Value(5.0); b = Value(2.0)")
    attempt(out.backward, "(a - b).backward()")
    after = "a = Value(5.0); b = Value(2.0); out = a - b; out.backward()"
    expect_number(a.grad, 1.0, "a.grad", "self - other is self + (-other)",
                  wrong=[(-1.0, "that is the gradient of b - a: self - other is self + (-other)"),
                         (0.0, LOST.format(x="a"))], after=after)
    expect_number(b.grad, -1.0, "b.grad", "self - other is self + (-other)",
                  wrong=[(1.0, "that is the gradient of b - a: self - other is self + (-other)"),
                         (0.0, "b gets no gradient: -other must stay in the graph, so build __neg__ as "
                               "self * -1 and __sub__ as self + (-other)")], after=after)


@in_both_orders
def test_truediv(learner):
    """a / b is a * b**-1: data 0.75, a.grad 0.25, b.grad -0.1875"""
    a, b = values(learner, 3.0, 4.0)
    out = compute(lambda: a / b, "a / b", left_hint, RETURN_HINT)
    expect_number(out.data, 0.75, "(a / b).data", "divide: self * other**-1",
                  wrong=[(12.0, "that is self * other: dividing multiplies by other**-1"),
                         (4.0 / 3.0, "that is other / self: self / other is self * other**-1")],
                  after="a = Value(3.0); b = Value(4.0)")
    attempt(out.backward, "(a / b).backward()")
    after = "a = Value(3.0); b = Value(4.0); out = a / b; out.backward()"
    expect_number(a.grad, 0.25, "a.grad", "self / other is self * other**-1, so a.grad is 1/b", after=after)
    expect_number(b.grad, -0.1875, "b.grad", "self / other is self * other**-1, so b.grad is -a/b**2", after=after)


@in_both_orders
def test_plain_numbers(learner):
    """a - 1 and a / 2 work with plain numbers, and a.grad is 1.0 and 0.5"""
    (a,) = values(learner, 3.0)
    out = compute(lambda: a - 1, "a - 1", left_hint, RETURN_HINT)
    expect_number(out.data, 2.0, "(a - 1).data", "self - other is self + (-other)",
                  wrong=[(-2.0, "that is 1 - a: self - other is self + (-other)")], after="a = Value(3.0)")
    attempt(out.backward, "(a - 1).backward()")
    expect_number(a.grad, 1.0, "a.grad", "self - other is self + (-other)", after="a = Value(3.0); (a - 1).backward()")
    (a,) = values(learner, 3.0)
    out = compute(lambda: a / 2, "a / 2", left_hint, RETURN_HINT)
    expect_number(out.data, 1.5, "(a / 2).data", "self / other is self * other**-1",
                  wrong=[(6.0, "that is self * other: dividing multiplies by other**-1"),
                         (2.0 / 3.0, "that is other / self: self / other is self * other**-1")],
                  after="a = Value(3.0)")
    attempt(out.backward, "(a / 2).backward()")
    expect_number(a.grad, 0.5, "a.grad", "self / other is self * other**-1", after="a = Value(3.0); (a / 2).backward()")


@in_both_orders
def test_finite_differences(learner):
    """gradients through -, / and negation match finite differences, with re-used nodes"""
    hint = "build -self as self * -1, self - other as self + (-other), self / other as self * other**-1"
    cases = [
        (lambda R, a, b: (a - b) / (a * b), "(a - b) / (a*b)", (1.5, -0.5)),
        (lambda R, a, b: -(a / b) - a, "-(a / b) - a", (-1.2, 2.5)),
        (lambda R, a, b: a / a + (b - a) / -b, "a / a + (b - a) / -b", (0.7, 2.0)),
    ]
    for f, expr, xs in cases:
        check_gradients(learner, f, xs, expr, hint, error_hint=left_hint, given=ENGINE)
