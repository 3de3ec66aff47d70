"""Hidden checks for exp-backward."""

import math

from gradrill.checks import expect, expect_number, in_both_orders
from gradrill.checks.engine import ENGINE, call_backward
from gradrill.checks.ops import check_gradients, compute, values

X = 2.0  # e**2 = 7.389: far from x itself, so out.data and self.data differ


def wrong_local(x, out_grad=1.0, before=0.0):
    """The numbers the usual mistakes give for x.grad."""
    e = math.exp(x)
    return [
        (before + x * out_grad, "that is self.data (x) times out.grad; the derivative of e**x is e**x itself, "
                                "which is the output: use out.data"),
        (before, "x.grad did not change: is the closure attached to the result (`out._backward = _backward`)?"),
        (before + e, "the local derivative was not multiplied by out.grad (the chain rule)"),
        (e * out_grad, "the earlier x.grad was overwritten: accumulate with `+=`, not `=`"),
    ]


def exp_of(x, what="x.exp()"):
    return compute(lambda: x.exp(), what)


def test_forward(learner):
    """x.exp() holds e**x and records x as its only child"""
    (x,) = values(learner, 0.5)
    out = exp_of(x, "Value(0.5).exp()")
    expect_number(out.data, math.exp(0.5), "Value(0.5).exp().data", "compute math.exp(self.data)")
    expect(set(out._prev) == {x}, f"out = x.exp() has out._prev == {set(out._prev)!r}; expected {{x}}: "
                                  "pass (self,) as the children of the new Value")
    expect("exp" in str(out._op), f"out = x.exp() has out._op == {out._op!r}; expected 'exp': "
                                  "pass it as the third argument, Value(..., (self,), 'exp')")
    (y,) = values(learner, -1.0)
    expect_number(exp_of(y, "Value(-1.0).exp()").data, math.exp(-1.0), "Value(-1.0).exp().data",
                  "compute math.exp(self.data)")


@in_both_orders
def test_local_gradient(learner):
    """the local gradient of e**x is e**x: the output, out.data"""
    (x,) = values(learner, X)
    out = exp_of(x)
    out.grad = 1.0
    call_backward(out, "out")
    expect_number(x.grad, math.exp(X), "x.grad", "the derivative of e**x is e**x, which is out.data",
                  wrong=wrong_local(X), after="x = Value(2.0); out = x.exp(); out.grad = 1.0; out._backward()")


@in_both_orders
def test_chain_rule_uses_out_grad(learner):
    """the gradient sent back is out.data * out.grad"""
    (x,) = values(learner, X)
    out = exp_of(x)
    out.grad = -4.0
    call_backward(out, "out")
    expect_number(x.grad, -4.0 * math.exp(X), "x.grad", "multiply the local derivative by out.grad (the chain rule)",
                  wrong=wrong_local(X, out_grad=-4.0),
                  after="x = Value(2.0); out = x.exp(); out.grad = -4.0; out._backward()")


@in_both_orders
def test_gradients_accumulate(learner):
    """_backward adds to x.grad instead of overwriting it"""
    (x,) = values(learner, X)
    x.grad = 5.0
    out = exp_of(x)
    out.grad = 1.0
    call_backward(out, "out")
    expect_number(x.grad, 5.0 + math.exp(X), "x.grad", "accumulate with `+=`, not `=`",
                  wrong=wrong_local(X, before=5.0),
                  after="x = Value(2.0); x.grad = 5.0; out = x.exp(); out.grad = 1.0; out._backward()")


@in_both_orders
def test_finite_differences(learner):
    """gradients through exp match finite differences, with re-used nodes"""
    hint = "exp's _backward should add out.data * out.grad to self.grad"
    cases = [
        (lambda R, a, b: R.exp(a * b) + a, "(a*b).exp() + a", (0.5, -1.5)),
        (lambda R, a, b: R.exp(a) * R.exp(a) * b, "a.exp() * a.exp() * b", (-0.3, 1.7)),
        (lambda R, a, b, c: R.exp(R.exp(a) * b + c) * a, "(a.exp()*b + c).exp() * a", (0.4, -0.8, 0.3)),
    ]
    for f, expr, xs in cases:
        check_gradients(learner, f, xs, expr, hint, given=tuple(m for m in ENGINE if m != 'exp'))
