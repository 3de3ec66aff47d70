"""Hidden checks for pow-backward."""

from gradrill.checks import expect, expect_number, in_both_orders
from gradrill.checks.engine import ENGINE, call_backward
from gradrill.checks.ops import check_gradients, compute, values


def wrong_local(x, n, out_grad=1.0, before=0.0):
    """The numbers the usual mistakes give for x.grad after out = x**n."""
    return [
        (before + n * x**n * out_grad, "that is n * x**n: the power rule lowers the exponent by one, "
                                       "n * x**(n-1)"),
        (before + x**(n - 1) * out_grad, "that is x**(n-1) without the factor n in front: the power rule is "
                                         "n * x**(n-1)"),
        (before + n * x**n - 1 * out_grad,
         "that is other * self.data**other - 1 * out.grad: `**` binds tighter than `-`, so the exponent was not "
         "lowered: put it in parentheses, `self.data**(other - 1)`"),
        (before, "x.grad did not change: is the closure attached to the result (`out._backward = _backward`)?"),
        (before + n * x**(n - 1), "the local derivative was not multiplied by out.grad (the chain rule)"),
        (n * x**(n - 1) * out_grad, "the earlier x.grad was overwritten: accumulate with `+=`, not `=`"),
    ]


def pow_of(x, n, what):
    return compute(lambda: x**n, what)


def test_forward(learner):
    """x**n holds the power and records x as its only child"""
    (x,) = values(learner, 3.0)
    out = pow_of(x, 2, "Value(3.0)**2")
    expect_number(out.data, 9.0, "(Value(3.0)**2).data", "compute self.data**other")
    expect(set(out._prev) == {x}, f"out = x**2 has out._prev == {set(out._prev)!r}; expected {{x}}: "
                                  "the exponent is a plain number, so the only child is self: pass (self,)")
    expect(str(out._op).replace(" ", "") in ("**2", "**2.0", "pow", "**"),
           f"out = x**2 has out._op == {out._op!r}; expected '**2' (the exponent, a number): use f'**{{other}}'")
    (y,) = values(learner, 4.0)
    expect_number(pow_of(y, -1, "Value(4.0)**-1").data, 0.25, "(Value(4.0)**-1).data", "compute self.data**other")
    expect_number(pow_of(y, 0.5, "Value(4.0)**0.5").data, 2.0, "(Value(4.0)**0.5).data", "compute self.data**other")


@in_both_orders
def test_power_rule(learner):
    """the local gradient of x**n is n * x**(n-1)"""
    for x0, n in [(3.0, 3), (4.0, -1), (4.0, 0.5)]:
        (x,) = values(learner, x0)
        out = pow_of(x, n, f"Value({x0})**{n}")
        out.grad = 1.0
        call_backward(out, "out")
        expect_number(x.grad, n * x0**(n - 1), "x.grad", "the power rule: d/dx x**n = n * x**(n-1)",
                      wrong=wrong_local(x0, n), after=f"x = Value({x0}); out = x**{n}; out.grad = 1.0; out._backward()")


@in_both_orders
def test_chain_rule_uses_out_grad(learner):
    """the gradient sent back is n * x**(n-1) * out.grad"""
    (x,) = values(learner, 3.0)
    out = pow_of(x, 2, "x**2")
    out.grad = -4.0
    call_backward(out, "out")
    expect_number(x.grad, -24.0, "x.grad", "multiply the local derivative by out.grad (the chain rule)",
                  wrong=wrong_local(3.0, 2, out_grad=-4.0),
                  after="x = Value(3.0); out = x**2; out.grad = -4.0; out._backward()")


@in_both_orders
def test_gradients_accumulate(learner):
    """_backward adds to x.grad instead of overwriting it"""
    (x,) = values(learner, 3.0)
    x.grad = 5.0
    out = pow_of(x, 2, "x**2")
    out.grad = 1.0
    call_backward(out, "out")
    expect_number(x.grad, 11.0, "x.grad", "accumulate with `+=`, not `=`",
                  wrong=wrong_local(3.0, 2, before=5.0),
                  after="x = Value(3.0); x.grad = 5.0; out = x**2; out.grad = 1.0; out._backward()")


@in_both_orders
def test_finite_differences(learner):
    """gradients through ** match finite differences, with re-used nodes"""
    hint = "__pow__'s _backward should add other * self.data**(other - 1) * out.grad to self.grad"
    cases = [
        (lambda R, a, b: (a * b)**2 + a, "(a*b)**2 + a", (1.5, -0.5)),
        (lambda R, a, b: a**3 * b**-1 + a**2, "a**3 * b**-1 + a**2", (-1.2, 2.5)),
        (lambda R, a, b: (a * a + b)**0.5 * b, "(a*a + b)**0.5 * b", (0.7, 2.0)),
    ]
    for f, expr, xs in cases:
        check_gradients(learner, f, xs, expr, hint, given=tuple(m for m in ENGINE if m != '__pow__'))
