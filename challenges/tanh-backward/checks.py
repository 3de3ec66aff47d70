"""Hidden checks for tanh-backward."""

import math

from gradrill.checks import expect, expect_number, need, value, in_both_orders
from gradrill.checks.engine import ENGINE, call_backward
from gradrill.checks.ops import check_gradients, compute, values

X = 0.8  # tanh(0.8) = 0.664: t and x differ, so 1 - t**2 and 1 - x**2 differ


def local(x):
    t = math.tanh(x)
    return 1 - t**2


def wrong_local(x, out_grad=1.0, before=0.0):
    """The numbers the usual mistakes give for x.grad."""
    t = math.tanh(x)
    return [
        (before + (1 - x**2) * out_grad,
         "that is 1 - x**2 with x the input; the derivative of tanh is 1 - t**2, where t = tanh(x) is the output"),
        (before + (1 - t) * out_grad, "that is 1 - t: square t, the derivative of tanh is 1 - t**2"),
        (before + 1 - t**2 * out_grad,
         "that is 1 - t**2 * out.grad, which multiplies only t**2 by out.grad: put the local derivative in "
         "parentheses, `(1 - t**2) * out.grad`"),
        (before, "x.grad did not change: is the closure attached to the result (`out._backward = _backward`)?"),
        (before + (1 - t**2), "the local derivative was not multiplied by out.grad (the chain rule)"),
        ((1 - t**2) * out_grad, "the earlier x.grad was overwritten: accumulate with `+=`, not `=`"),
    ]


def tanh_of(x, what="x.tanh()"):
    return compute(lambda: x.tanh(), what)


def test_forward(learner):
    """x.tanh() holds tanh(x) and records x as its only child"""
    (x,) = values(learner, 0.8813735870195432)
    out = tanh_of(x, "Value(0.8814).tanh()")
    expect_number(out.data, math.tanh(0.8813735870195432), "Value(0.8814).tanh().data",
                  "compute tanh(x) = (e**(2x) - 1) / (e**(2x) + 1), or math.tanh(x)")
    expect(set(out._prev) == {x}, f"out = x.tanh() has out._prev == {set(out._prev)!r}; expected {{x}}: "
                                  "pass (self,) as the children of the new Value")
    expect("tanh" in str(out._op), f"out = x.tanh() has out._op == {out._op!r}; expected 'tanh': "
                                   "pass it as the third argument, Value(..., (self,), 'tanh')")
    (y,) = values(learner, -2.0)
    expect_number(tanh_of(y, "Value(-2.0).tanh()").data, math.tanh(-2.0), "Value(-2.0).tanh().data",
                  "tanh is odd: tanh(-2) = -0.964")


@in_both_orders
def test_local_gradient(learner):
    """the local gradient of tanh is 1 - t**2, with t the output"""
    (x,) = values(learner, X)
    out = tanh_of(x)
    out.grad = 1.0
    call_backward(out, "out")
    expect_number(x.grad, local(X), "x.grad", "the derivative of tanh(x) is 1 - tanh(x)**2",
                  wrong=wrong_local(X), after="x = Value(0.8); out = x.tanh(); out.grad = 1.0; out._backward()")


@in_both_orders
def test_chain_rule_uses_out_grad(learner):
    """the gradient sent back is (1 - t**2) * out.grad"""
    (x,) = values(learner, X)
    out = tanh_of(x)
    out.grad = -4.0
    call_backward(out, "out")
    expect_number(x.grad, -4.0 * local(X), "x.grad",
                  "multiply the local derivative (1 - t**2) by out.grad (the chain rule)",
                  wrong=wrong_local(X, out_grad=-4.0),
                  after="x = Value(0.8); out = x.tanh(); out.grad = -4.0; out._backward()")


@in_both_orders
def test_gradients_accumulate(learner):
    """_backward adds to x.grad instead of overwriting it"""
    (x,) = values(learner, X)
    x.grad = 5.0
    out = tanh_of(x)
    out.grad = 1.0
    call_backward(out, "out")
    expect_number(x.grad, 5.0 + local(X), "x.grad", "accumulate with `+=`, not `=`",
                  wrong=wrong_local(X, before=5.0),
                  after="x = Value(0.8); x.grad = 5.0; out = x.tanh(); out.grad = 1.0; out._backward()")


@in_both_orders
def test_lecture_neuron(learner):
    """the lecture's neuron: o = tanh(x1*w1 + x2*w2 + b) = 0.7071, x1.grad -1.5, w1.grad 1.0"""
    Value = need(learner, "Value")
    x1, x2 = value(Value, 2.0, "x1"), value(Value, 0.0, "x2")
    w1, w2 = value(Value, -3.0, "w1"), value(Value, 1.0, "w2")
    b = value(Value, 6.8813735870195432, "b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = tanh_of(n, "n.tanh()")
    expect_number(o.data, math.sqrt(0.5), "o.data", "o = n.tanh() with n = 0.8814 should be 0.7071", tol=1e-6)
    o.backward()
    after = "o.backward()"
    t = o.data
    local_wrong = [
        (1 - n.data**2, "that uses 1 - n**2 with n the input; the derivative of tanh is 1 - t**2, "
                        "where t = o.data is the output"),
        (1 - t, "that uses 1 - t: square t, the derivative of tanh is 1 - t**2"),
    ]
    for node, name, want, k in [(n, "n", 0.5, 1.0), (b, "b", 0.5, 1.0), (x1w1, "x1w1", 0.5, 1.0),
                                (x2w2, "x2w2", 0.5, 1.0), (x1, "x1", -1.5, -3.0), (w1, "w1", 1.0, 2.0),
                                (x2, "x2", 0.5, 1.0), (w2, "w2", 0.0, 0.0)]:
        expect_number(node.grad, want, f"{name}.grad",
                      "tanh's _backward must send (1 - t**2) * out.grad = 0.5 to n; + and * carry it on",
                      wrong=[(w * k, why) for w, why in local_wrong], after="o.backward()")


@in_both_orders
def test_finite_differences(learner):
    """gradients through tanh match finite differences, with re-used nodes"""
    hint = "tanh's _backward should add (1 - t**2) * out.grad to self.grad, where t is the output"
    cases = [
        (lambda R, a, b, c: R.tanh(a * b + c), "(a*b + c).tanh()", (0.5, -1.5, 0.25)),
        (lambda R, a, b: R.tanh(a) * a + R.tanh(a * b), "a.tanh()*a + (a*b).tanh()", (-0.7, 1.3)),
        (lambda R, a, b: R.tanh(R.tanh(a) * b) * R.tanh(b), "(a.tanh()*b).tanh() * b.tanh()", (1.1, -0.4)),
    ]
    for f, expr, xs in cases:
        check_gradients(learner, f, xs, expr, hint, given=tuple(m for m in ENGINE if m != 'tanh'))
