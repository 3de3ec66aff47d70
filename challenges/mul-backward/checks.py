"""Hidden checks for mul-backward."""

from gradrill.checks import close, expect, expect_close, fail, is_value, need, need_method, not_a_value, num, numgrad, value, in_both_orders
from gradrill.checks.engine import call_backward


def make(learner, *xs):
    Value = need(learner, "Value")
    need_method(Value, "__mul__", "define `def __mul__(self, other):` returning a new Value, with its `_backward` closure")
    return [value(Value, x) for x in xs]


def run(learner, x, y, out_grad):
    """a = Value(x), b = Value(y), c = a*b, c.grad = out_grad, c._backward(): (a, b, the setup)."""
    a, b = make(learner, x, y)
    c = a * b
    c.grad = out_grad
    call_backward(c, "c")
    return a, b, f"a = Value({num(x)}); b = Value({num(y)}); c = a*b; c.grad = {num(out_grad)}; c._backward()"


def why(a, b, x, y, g, a0=0.0):
    """The likely mistake, from what a and b received (a started at a0)."""
    da, db = a.grad - a0, b.grad
    if da == 0 and db == 0:
        return ("nothing reached a or b: is the closure attached to the result (`out._backward = _backward`), "
                "not to self?")
    if close(da, x * g) and close(db, y * g):
        return ("the local derivatives are swapped: a's is b.data (other.data for self), "
                "b's is a.data (self.data for other)")
    if close(da, y) and close(db, x):
        return "multiply the local derivative by out.grad (the chain rule)"
    return "self.grad += other.data * out.grad and other.grad += self.data * out.grad"


def check_grads(a, b, x, y, g, after):
    hint = why(a, b, x, y, g)
    expect_close(a.grad, y * g, "a.grad", hint, after=after)
    expect_close(b.grad, x * g, "b.grad", hint, after=after)


def test_forward(learner):
    """a * b still computes the product and records its children"""
    a, b = make(learner, 2.0, -3.0)
    c = a * b
    expect(is_value(c), f"Value(2.0) * Value(-3.0) returned {c!r} ({not_a_value(c)}); expected a new Value")
    expect_close(c.data, -6.0, "(Value(2.0) * Value(-3.0)).data")
    expect(set(c._prev) == {a, b}, "c = a*b should have c._prev == {a, b}: pass (self, other) as the children")


def test_local_derivatives(learner):
    """with out.grad = 1, a gets b.data and b gets a.data"""
    a, b, after = run(learner, 2.0, -3.0, 1.0)
    check_grads(a, b, 2.0, -3.0, 1.0, after)


def test_chain_rule_uses_out_grad(learner):
    """the gradient sent back is the local derivative times out.grad"""
    a, b, after = run(learner, 2.0, -3.0, -2.0)
    check_grads(a, b, 2.0, -3.0, -2.0, after)


def test_matches_finite_differences(learner):
    """the gradients match finite differences of c = a*b"""
    x, y, g = 1.5, -0.25, 2.5
    a, b, after = run(learner, x, y, g)
    want = numgrad(lambda p, q: p * q * g, [x, y])  # d(g * a*b)/da, d(g * a*b)/db
    hint = why(a, b, x, y, g)
    expect_close(a.grad, want[0], "a.grad", hint + " (finite differences give b.data * out.grad)", tol=1e-5,
                 after=after)
    expect_close(b.grad, want[1], "b.grad", hint + " (finite differences give a.data * out.grad)", tol=1e-5,
                 after=after)


@in_both_orders
def test_gradients_accumulate(learner):
    """_backward adds to existing gradients instead of overwriting them"""
    a, b = make(learner, 2.0, -3.0)
    a.grad = 5.0
    c = a * b
    c.grad = 1.0
    call_backward(c, "c")
    after = "a.grad = 5.0; c = a*b with b = -3.0; c.grad = 1.0; c._backward()"
    if close(a.grad, -3.0):
        hint = "is `_backward` assigning with `=` instead of accumulating with `+=`?"
    else:
        hint = why(a, b, 2.0, -3.0, 1.0, a0=5.0)
    expect_close(a.grad, 2.0, "a.grad", hint, after=after)


@in_both_orders
def test_same_node_twice(learner):
    """a * a gives a.grad == 2 * a.data"""
    (a,) = make(learner, 3.0)
    b = a * a
    b.grad = 1.0
    call_backward(b, "b")
    after = "a = Value(3.0); b = a*a; b.grad = 1.0; b._backward()"
    if a.grad == 0:
        fail(f"a.grad is 0.0 after {after}; expected 6.0: {why(a, a, 3.0, 3.0, 1.0)}")
    expect_close(a.grad, 6.0, "a.grad", "a is both self and other: is `_backward` assigning with `=` instead "
                 "of accumulating with `+=`?", after=after)


def test_leaves_keep_a_noop_backward(learner):
    """calling _backward on a leaf changes nothing"""
    a, b, _ = run(learner, 2.0, -3.0, 1.0)
    before = (a.grad, b.grad)
    call_backward(a, "a")
    call_backward(b, "b")
    expect((a.grad, b.grad) == before,
           f"calling a._backward() and b._backward() on the leaves changed their grads from {before} to "
           f"{(a.grad, b.grad)}: store the closure on the result (`out._backward = _backward`), not on self")
