"""Hidden checks for relu-backward."""

from gradrill.checks import expect, expect_number, in_both_orders
from gradrill.checks.engine import ENGINE, call_backward
from gradrill.checks.ops import check_gradients, compute, values

UNCHANGED = ("x.grad did not change: is the closure attached to the result (`out._backward = _backward`), "
             "with (self,) as the result's children?")
FLAT = ("the input is negative, so relu's output is flat there (always 0) and its gradient is 0: "
        "send (out.data > 0) * out.grad")


def relu_of(x, what="x.relu()"):
    return compute(lambda: x.relu(), what)


def backward_once(learner, x0, out_grad, before=0.0):
    (x,) = values(learner, x0)
    x.grad = before
    out = relu_of(x)
    out.grad = out_grad
    call_backward(out, "out")
    return x.grad


def test_forward(learner):
    """x.relu() is max(0, x) and records x as its only child"""
    (x,) = values(learner, 3.0)
    out = relu_of(x, "Value(3.0).relu()")
    expect_number(out.data, 3.0, "Value(3.0).relu().data", "relu keeps a positive input as it is")
    expect(set(out._prev) == {x}, f"out = x.relu() has out._prev == {set(out._prev)!r}; expected {{x}}: "
                                  "pass (self,) as the children of the new Value, or no gradient can reach x")
    expect("relu" in str(out._op).lower(), f"out = x.relu() has out._op == {out._op!r}; expected 'ReLU'")
    (y,) = values(learner, -2.0)
    expect_number(relu_of(y, "Value(-2.0).relu()").data, 0.0, "Value(-2.0).relu().data",
                  "relu turns a negative input into 0")


@in_both_orders
def test_gradient_positive_input(learner):
    """for a positive input, relu passes the gradient through unchanged"""
    got = backward_once(learner, 3.0, 1.0)
    expect_number(got, 1.0, "x.grad", "for x > 0, relu(x) = x, whose local derivative is 1",
                  wrong=[(0.0, UNCHANGED)],
                  after="x = Value(3.0); out = x.relu(); out.grad = 1.0; out._backward()")


@in_both_orders
def test_gradient_negative_input(learner):
    """for a negative input, relu sends back no gradient"""
    got = backward_once(learner, -2.0, 1.0)
    expect_number(got, 0.0, "x.grad", FLAT, after="x = Value(-2.0); out = x.relu(); out.grad = 1.0; out._backward()")
    got = backward_once(learner, -2.0, -4.0)
    expect_number(got, 0.0, "x.grad", FLAT, after="x = Value(-2.0); out = x.relu(); out.grad = -4.0; out._backward()")


@in_both_orders
def test_chain_rule_uses_out_grad(learner):
    """the gradient sent back is (out.data > 0) * out.grad"""
    got = backward_once(learner, 3.0, -4.0)
    zero = UNCHANGED
    if got == 0 and backward_once(learner, 3.0, 1.0) == 1.0:
        zero = ("with out.grad = 1.0 the same x gets 1.0, so the gate looks at the sign of out.grad: the local "
                "derivative depends on the output (or input) only, `(out.data > 0)`, and then multiplies out.grad")
    expect_number(got, -4.0, "x.grad", "multiply the local derivative by out.grad (the chain rule)",
                  wrong=[(1.0, "the local derivative was not multiplied by out.grad (the chain rule)"), (0.0, zero)],
                  after="x = Value(3.0); out = x.relu(); out.grad = -4.0; out._backward()")


@in_both_orders
def test_gradients_accumulate(learner):
    """_backward adds to x.grad instead of overwriting it"""
    got = backward_once(learner, 3.0, 1.0, before=5.0)
    expect_number(got, 6.0, "x.grad", "accumulate with `+=`, not `=`",
                  wrong=[(1.0, "the earlier x.grad was overwritten: accumulate with `+=`, not `=`"), (5.0, UNCHANGED)],
                  after="x = Value(3.0); x.grad = 5.0; out = x.relu(); out.grad = 1.0; out._backward()")


@in_both_orders
def test_finite_differences(learner):
    """gradients through relu match finite differences, on both sides of 0"""
    hint = "relu's _backward should add (out.data > 0) * out.grad to self.grad"
    cases = [
        (lambda R, a, b: R.relu(a * b) + R.relu(a + b) * a, "(a*b).relu() + (a + b).relu() * a", (1.5, 0.5)),
        (lambda R, a, b: R.relu(a * b) + R.relu(a + b) * a, "(a*b).relu() + (a + b).relu() * a", (1.5, -0.5)),
        (lambda R, a, b: R.relu(R.relu(a) * b + b) * a, "(a.relu()*b + b).relu() * a", (-0.7, 2.0)),
        (lambda R, a, b: R.relu(R.relu(a) * b + b) * a, "(a.relu()*b + b).relu() * a", (0.7, -2.0)),
    ]
    for f, expr, xs in cases:
        check_gradients(learner, f, xs, expr, hint, given=tuple(m for m in ENGINE if m != 'relu'))
