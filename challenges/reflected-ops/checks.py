"""Hidden checks for reflected-ops."""

from gradrill.checks import attempt, expect_number, in_both_orders
from gradrill.checks.engine import ENGINE
from gradrill.checks.ops import check_gradients, compute, mixing_hint as why, values

RETURN_HINT = "does the reflected method `return` the Value it builds?"


def run(fn, what):
    return compute(fn, what, why, RETURN_HINT)


@in_both_orders
def test_number_on_the_right(learner):
    """a + 2 and a * 2 wrap the plain number in a Value"""
    (a,) = values(learner, 3.0)
    out = run(lambda: a + 2, "a + 2")
    expect_number(out.data, 5.0, "(a + 2).data", "add the wrapped number's data", after="a = Value(3.0)")
    attempt(out.backward, "(a + 2).backward()", why)
    expect_number(a.grad, 1.0, "a.grad", "the local derivative of a + 2 with respect to a is 1",
                  after="a = Value(3.0); (a + 2).backward()")
    (a,) = values(learner, 3.0)
    out = run(lambda: a * 2, "a * 2")
    expect_number(out.data, 6.0, "(a * 2).data", "multiply by the wrapped number's data", after="a = Value(3.0)")
    attempt(out.backward, "(a * 2).backward()", why)
    expect_number(a.grad, 2.0, "a.grad", "the local derivative of a * 2 with respect to a is 2",
                  after="a = Value(3.0); (a * 2).backward()")


@in_both_orders
def test_radd(learner):
    """2 + a works through __radd__: data 5.0, a.grad 1.0"""
    (a,) = values(learner, 3.0)
    out = run(lambda: 2 + a, "2 + a")
    expect_number(out.data, 5.0, "(2 + a).data", "__radd__ is self + other", after="a = Value(3.0)")
    attempt(out.backward, "(2 + a).backward()", why)
    expect_number(a.grad, 1.0, "a.grad", "__radd__ is self + other", after="a = Value(3.0); (2 + a).backward()")


@in_both_orders
def test_rmul(learner):
    """-2 * a works through __rmul__: data -6.0, a.grad -2.0"""
    (a,) = values(learner, 3.0)
    out = run(lambda: -2 * a, "-2 * a")
    expect_number(out.data, -6.0, "(-2 * a).data", "__rmul__ is self * other", after="a = Value(3.0)")
    attempt(out.backward, "(-2 * a).backward()", why)
    expect_number(a.grad, -2.0, "a.grad", "__rmul__ is self * other", after="a = Value(3.0); (-2 * a).backward()")


@in_both_orders
def test_rsub(learner):
    """1 - a works through __rsub__: data -2.0, a.grad -1.0"""
    (a,) = values(learner, 3.0)
    out = run(lambda: 1 - a, "1 - a")
    sign = "that is a - 1: __rsub__ computes other - self, which is other + (-self)"
    expect_number(out.data, -2.0, "(1 - a).data", "other - self is other + (-self)", wrong=[(2.0, sign)],
                  after="a = Value(3.0)")
    attempt(out.backward, "(1 - a).backward()", why)
    expect_number(a.grad, -1.0, "a.grad", "other - self is other + (-self)", wrong=[(1.0, sign)],
                  after="a = Value(3.0); (1 - a).backward()")


@in_both_orders
def test_rtruediv(learner):
    """2 / a works through __rtruediv__: data 0.5, a.grad -0.125"""
    (a,) = values(learner, 4.0)
    out = run(lambda: 2 / a, "2 / a")
    flipped = "that is a / 2: __rtruediv__ computes other / self, which is other * self**-1"
    expect_number(out.data, 0.5, "(2 / a).data", "other / self is other * self**-1", wrong=[(2.0, flipped)],
                  after="a = Value(4.0)")
    attempt(out.backward, "(2 / a).backward()", why)
    expect_number(a.grad, -0.125, "a.grad", "other / self is other * self**-1, whose gradient is -other / self**2",
                  wrong=[(0.5, flipped)], after="a = Value(4.0); (2 / a).backward()")


@in_both_orders
def test_finite_differences(learner):
    """expressions mixing numbers and Values have the right gradients"""
    hint = "each reflected op should be built from existing ones, with the Value first"
    cases = [
        (lambda R, a: 1 - 2 / (1 + a * a), "1 - 2 / (1 + a*a)", (0.6,)),
        (lambda R, a, b: (3 * a - 1) / (2 + b), "(3*a - 1) / (2 + b)", (1.5, -0.5)),
        (lambda R, a, b: 10.0 / (a * b) + 2 * b - 1 - a, "10.0 / (a*b) + 2*b - 1 - a", (-1.2, 2.5)),
    ]
    for f, expr, xs in cases:
        check_gradients(learner, f, xs, expr, hint, error_hint=why, given=ENGINE)
