"""Hidden checks for add-backward."""

from gradrill.checks import expect, expect_close, is_value, need, need_method, not_a_value, value, in_both_orders
from gradrill.checks.engine import call_backward


def make(learner, *xs):
    Value = need(learner, "Value")
    need_method(Value, "__add__", "define `def __add__(self, other):` returning a new Value, with its `_backward` closure")
    return [value(Value, x) for x in xs]


def test_forward(learner):
    """a + b still computes the sum and records its children"""
    a, b = make(learner, 2.0, -3.0)
    c = a + b
    expect(is_value(c), f"Value(2.0) + Value(-3.0) returned {c!r} ({not_a_value(c)}); expected a new Value")
    expect_close(c.data, -1.0, "(Value(2.0) + Value(-3.0)).data")
    expect(set(c._prev) == {a, b}, "c = a + b should have c._prev == {a, b}: pass (self, other) as the children")


@in_both_orders
def test_grads_reach_both_inputs(learner):
    """c._backward() sends c.grad to both a and b"""
    a, b = make(learner, 2.0, -3.0)
    c = a + b
    c.grad = 1.0
    call_backward(c, "c")
    if a.grad == 0.0 and b.grad == 0.0:
        expect(False, "a.grad and b.grad are still 0.0 after c._backward(); expected 1.0 each: "
                      "is the closure attached to the result (`out._backward = _backward`)?")
    after = "c = a + b; c.grad = 1.0; c._backward()"
    expect_close(a.grad, 1.0, "a.grad", "the local derivative of a + b with respect to a is 1.0", after=after)
    expect_close(b.grad, 1.0, "b.grad", "is `other.grad` updated in _backward too?", after=after)


@in_both_orders
def test_chain_rule_uses_out_grad(learner):
    """the gradient sent back is 1.0 * out.grad"""
    a, b = make(learner, 2.0, -3.0)
    c = a + b
    c.grad = -4.0
    call_backward(c, "c")
    after = "c = a + b; c.grad = -4.0; c._backward()"
    expect_close(a.grad, -4.0, "a.grad", "multiply the local derivative by out.grad (the chain rule)", after=after)
    expect_close(b.grad, -4.0, "b.grad", "multiply by out.grad (the chain rule) for other.grad too", after=after)


@in_both_orders
def test_gradients_accumulate(learner):
    """_backward adds to existing gradients instead of overwriting them"""
    a, b = make(learner, 2.0, -3.0)
    a.grad = 5.0
    c = a + b
    c.grad = 1.0
    call_backward(c, "c")
    expect_close(a.grad, 6.0, "a.grad", "is `_backward` assigning with `=` instead of accumulating with `+=`?",
                 after="a.grad = 5.0; c = a + b; c.grad = 1.0; c._backward()")


@in_both_orders
def test_same_node_twice(learner):
    """a + a gives a.grad == 2.0"""
    (a,) = make(learner, 3.0)
    b = a + a
    b.grad = 1.0
    call_backward(b, "b")
    expect_close(a.grad, 2.0, "a.grad", "a is both self and other: is `_backward` assigning with `=` "
                 "instead of accumulating with `+=`?", after="b = a + a; b.grad = 1.0; b._backward()")


@in_both_orders
def test_leaves_keep_a_noop_backward(learner):
    """calling _backward on a leaf changes nothing"""
    a, b = make(learner, 2.0, -3.0)
    c = a + b
    c.grad = 1.0
    call_backward(c, "c")
    before = (a.grad, b.grad)
    call_backward(a, "a")
    call_backward(b, "b")
    expect((a.grad, b.grad) == before,
           f"calling a._backward() and b._backward() on the leaves changed their grads from {before} to "
           f"{(a.grad, b.grad)}: store the closure on the result (`out._backward = _backward`), not on self")
