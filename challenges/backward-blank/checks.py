"""Hidden checks for backward-blank."""

import pytest

from gradrill.checks import attempt, expect, expect_number, fail, need, need_method, value, in_both_orders
from gradrill.checks.engine import call_backward
from gradrill.checks.ops import check_gradients, compute, values

SEED = "backward() must seed the root first, `self.grad = 1.0`, before walking the graph"
ACCUMULATE = "a node used twice gets gradient from both uses: accumulate with `+=` in _backward, not `=`"
VISITED = ("a node used twice must appear once in the topological order: check `visited` before walking "
           "into a node, so its _backward runs once, after every use has added to its grad")
REVERSED = ("the gradients stopped right below the root: the root's _backward ran last; call the "
            "closures in reverse topological order, `for node in reversed(topo)`, root first")


NOTHING_YET = ("nothing reached the inputs through the closures: does each operation define `_backward` and "
               "store it on its result, `out._backward = _backward`?")
NOTHING = ("no gradient reached the inputs: are the closures stored on the results (`out._backward = "
           "_backward`), and called root first, `for node in reversed(topo)`?")


def need_backward(v):
    need_method(type(v), "backward", "define `def backward(self):` in the class (task 2): sort the graph "
                "topologically, seed `self.grad = 1.0`, and call every node's `_backward` in reverse order")


def run_closures(root):
    """Task 1 without the learner's backward(): seed the root, then call every node's own _backward,
    root first, in a correct reverse topological order."""
    topo, seen = [], set()
    stack = [(root, False)]
    while stack:
        v, done = stack.pop()
        if done:
            topo.append(v)
        elif id(v) not in seen:
            seen.add(id(v))
            stack.append((v, True))
            stack.extend((c, False) for c in getattr(v, "_prev", ()))
    root.grad = 1.0
    for v in reversed(topo):
        call_backward(v, "a node")


def backward(out, what, leaves, after):
    """out.backward(), then the two mistakes that spoil every gradient: no seed, no walk."""
    need_backward(out)
    attempt(out.backward, what)
    expect_number(out.grad, 1.0, "the root's grad", SEED, after=after)
    if all(leaf.grad == 0 for leaf in leaves):
        fail(f"every input's grad is still 0 after {after}: {NOTHING}")


@pytest.mark.task(taskno=1)
def test_forward_and_children(learner):
    """a + b and a * b compute new Values and record their children"""
    a, b = values(learner, 2.0, -3.0)
    c = compute(lambda: a + b, "a + b")
    expect_number(c.data, -1.0, "(a + b).data", "add the two .data", after="a = Value(2.0); b = Value(-3.0)")
    expect(set(getattr(c, "_prev", ())) == {a, b}, "c = a + b should have c._prev == {a, b}: pass (self, other) "
                                                   "as the children of the new Value")
    d = compute(lambda: a * b, "a * b")
    expect_number(d.data, -6.0, "(a * b).data", "multiply the two .data", after="a = Value(2.0); b = Value(-3.0)")
    expect(set(getattr(d, "_prev", ())) == {a, b}, "d = a * b should have d._prev == {a, b}: pass (self, other) "
                                                   "as the children of the new Value")
    expect(a.grad == 0 and d.grad == 0, f"a fresh Value should start with grad 0.0; got {a.grad!r} and {d.grad!r}")


@in_both_orders
@pytest.mark.task(taskno=1)
def test_reused_leaf(learner):
    """b = a + a gives a.grad 2.0; a * a at 3.0 gives 6.0"""
    (a,) = values(learner, 3.0)
    b = compute(lambda: a + a, "a + a")
    after = "a = Value(3.0); b = a + a; b.grad = 1.0; b._backward()"
    run_closures(b)
    expect_number(a.grad, 2.0, "a.grad", ACCUMULATE, wrong=[(0.0, NOTHING_YET)], after=after)
    (a,) = values(learner, 3.0)
    b = compute(lambda: a * a, "a * a")
    after = "a = Value(3.0); b = a * a; b.grad = 1.0; b._backward()"
    run_closures(b)
    expect_number(a.grad, 6.0, "a.grad", ACCUMULATE, wrong=[(0.0, NOTHING_YET)], after=after)


@in_both_orders
@pytest.mark.task(taskno=1)
def test_leaf_used_in_two_branches(learner):
    """a = -2, b = 3; f = (a*b) * (a+b) = -6 gives a.grad -3.0, b.grad -8.0"""
    a, b = values(learner, -2.0, 3.0)
    d = a * b
    e = a + b
    f = d * e
    after = ("a = Value(-2.0); b = Value(3.0); d = a*b; e = a + b; f = d*e; f.grad = 1.0; then each node's "
             "_backward(), f first")
    run_closures(f)
    if a.grad == 0 and b.grad == 0:
        fail(f"a.grad and b.grad are still 0 after {after}: {NOTHING_YET}")
    expect_number(a.grad, -3.0, "a.grad", ACCUMULATE, after=after)
    expect_number(b.grad, -8.0, "b.grad", ACCUMULATE, after=after)


@in_both_orders
@pytest.mark.task(taskno=2)
def test_backward_seeds_the_root(learner):
    """L = a * b; L.backward() sets L.grad = 1.0, a.grad = b, b.grad = a"""
    a, b = values(learner, 2.0, -3.0)
    L = compute(lambda: a * b, "a * b")
    after = "a = Value(2.0); b = Value(-3.0); L = a * b; L.backward()"
    backward(L, "L.backward()", [a, b], after)
    expect_number(a.grad, -3.0, "a.grad", "the local derivative of a * b with respect to a is b",
                  wrong=[(6.0, "that is a.data: self.grad gets other.data * out.grad (swap them)")], after=after)
    expect_number(b.grad, 2.0, "b.grad", "the local derivative of a * b with respect to b is a", after=after)


@in_both_orders
@pytest.mark.task(taskno=2)
def test_lecture_example(learner):
    """the lecture's first graph: L = (a*b + c) * f = -8, a.grad 6, b.grad -4"""
    Value = need(learner, "Value")
    a, b, c, f = (value(Value, x, n) for x, n in [(2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f")])
    e = a * b
    d = e + c
    L = d * f
    expect_number(L.data, -8.0, "L.data", "e = a*b; d = e + c; L = d*f")
    after = "e = a*b; d = e + c; L = d*f; L.backward()"
    need_backward(L)
    attempt(L.backward, "L.backward()")
    expect_number(L.grad, 1.0, "L.grad", SEED, after=after)
    if d.grad == -2.0 and e.grad == 0:
        expect(False, f"e.grad is 0 after {after}; expected -2.0: {REVERSED}")
    for node, name, want in [(d, "d", -2.0), (f, "f", 4.0), (e, "e", -2.0), (c, "c", -2.0), (a, "a", 6.0),
                             (b, "b", -4.0)]:
        expect_number(node.grad, want, f"{name}.grad", "each node gets its local derivative times the "
                      "gradient of the node above it (the chain rule)", after=after)


@in_both_orders
@pytest.mark.task(taskno=2)
def test_reused_inner_node(learner):
    """x = a*b feeds both y = x*c and z = x + y: a.grad -15.0, each closure runs once"""
    a, b, c = values(learner, 2.0, -3.0, 4.0)
    x = a * b
    y = x * c
    z = x + y
    after = "a, b, c = Value(2.0), Value(-3.0), Value(4.0); x = a*b; y = x*c; z = x + y; z.backward()"
    backward(z, "z.backward()", [a, b, c], after)
    expect_number(x.grad, 5.0, "x.grad", VISITED, wrong=[(4.0, ACCUMULATE)], after=after)
    expect_number(a.grad, -15.0, "a.grad", VISITED, wrong=[(-12.0, ACCUMULATE)], after=after)
    expect_number(b.grad, 10.0, "b.grad", VISITED, after=after)
    expect_number(c.grad, -6.0, "c.grad", VISITED, after=after)


@in_both_orders
@pytest.mark.task(taskno=2)
def test_finite_differences(learner):
    """bigger expressions of + and * have the gradients finite differences give"""
    hint = ("walk the graph in reverse topological order from a seeded root, and accumulate each "
            "closure's contribution with `+=`")
    cases = [
        (lambda R, a, b, c: (a * b + c) * (a + c) * b + a * a * a, "(a*b + c)*(a + c)*b + a*a*a", (1.5, -0.5, 2.0)),
        (lambda R, a, b, c: ((a + b) * (a + b) + c) * ((a + b) * c), "((a+b)*(a+b) + c) * ((a+b)*c)",
         (-1.2, 0.7, 0.9)),
    ]
    for f, expr, xs in cases:
        check_gradients(learner, f, xs, expr, hint)
