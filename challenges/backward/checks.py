"""Hidden checks for backward."""

from gradrill.checks import (
    in_both_orders,
    attempt, expect_close, fail, need, need_method, nodes_of, numgrad, value,
)
from gradrill.checks.engine import (
    diamond, example1, EXAMPLE1_GRADS, REUSED_AT_TWO_DEPTHS_GRADS, reused_at_two_depths, shared_middle, walk_hint,
)


def Value_of(learner):
    Value = need(learner, "Value")
    need_method(Value, "backward", "define `def backward(self):` in the class")
    for method, sym in (("__add__", "+"), ("__mul__", "*")):
        need_method(Value, method, f"the graphs are built with `{sym}`: the class needs `{method}` (given in the starter)")
    return Value


def hint_for(root, name):
    """The likely mistake when node ``name``'s gradient came out wrong after root.backward()."""
    if root.grad != 1:
        return "the root's grad must be 1.0: set `self.grad = 1.0` before walking the graph"
    below = [n for n in nodes_of(root) if n is not root]
    if below and all(n.grad == 0 for n in below):
        return ("no gradient reached any node below the root: set `self.grad = 1.0` before the loop (each "
                "closure multiplies by out.grad, which is still 0 if you seed after it), and make sure the loop "
                "calls `node._backward()` on every node of a non-empty `topo`")
    children = {id(c) for c in root._prev}
    deeper = [n for n in below if id(n) not in children]
    if deeper and all(n.grad == 0 for n in deeper):
        return ("only the root's own children got a gradient: the other closures ran before their node's grad "
                "was set, or never ran: walk the order from the root down, `for node in reversed(topo): "
                "node._backward()` (not `for node in topo`), calling every node's `_backward`, not only the root's, "
                "and make sure the walk reaches every node (it recurses with `build_topo(child)`)")
    return ("call `_backward()` on every node, each once (a `visited` set), in reverse topological order "
            "(`for node in reversed(topo)`)")


@in_both_orders
def test_root_grad_is_one(learner):
    """backward() sets the root's grad to 1.0"""
    g = example1(Value_of(learner))
    attempt(g["L"].backward, "L.backward()", walk_hint)
    expect_close(g["L"].grad, 1.0, "L.grad", "dL/dL is 1: set `self.grad = 1.0` before calling the _backward "
                 "closures", after="L.backward()")


@in_both_orders
def test_lecture_example(learner):
    """the lecture's L = (a*b + c) * f: every gradient, leaves and inner nodes"""
    g = example1(Value_of(learner))
    attempt(g["L"].backward, "L.backward()", walk_hint)
    after = "L.backward() with a = 2, b = -3, c = 10, e = a*b, d = e + c, f = -2, L = d*f"
    for name in ("L", "d", "f", "e", "c", "a", "b"):
        expect_close(g[name].grad, EXAMPLE1_GRADS[name], f"{name}.grad", hint_for(g["L"], name), after=after)


@in_both_orders
def test_each_backward_once_in_reverse_order(learner):
    """each node's _backward runs once, after those of all the nodes that use it"""
    g = shared_middle(Value_of(learner))
    root = g["out"]
    nodes = nodes_of(root)
    name = {id(v): k for k, v in g.items()}
    calls = []

    def spy(node, original):
        def _backward():
            calls.append(node)
            return original()
        return _backward

    for node in nodes:
        if callable(node._backward):  # a leaf's may be None, for a backward() that skips None
            node._backward = spy(node, node._backward)
    attempt(root.backward, "out.backward()", walk_hint)

    where = "out.backward() for x = a*b, y = x + c, z = x*c, out = y*z"
    count = {id(n): 0 for n in nodes}
    for n in calls:
        count[id(n)] = count.get(id(n), 0) + 1
    inner = [n for n in nodes if n._prev]
    if count[id(root)] == 0:
        fail(f"out._backward never ran during {where}; expected it to run first: call `_backward()` on every "
             "node of the topological order, starting from the root")
    for n in inner:
        if count[id(n)] == 0:
            fail(f"{name[id(n)]}._backward never ran during {where}; expected once: backward() must call "
                 "`_backward()` on every node in the topological order, not only on the root's")
        if count[id(n)] > 1:
            fail(f"{name[id(n)]}._backward ran {count[id(n)]} times during {where}; expected once: x feeds both "
                 "y and z, and your topological order lists it twice: keep a `visited` set in build_topo")
    first = {}
    for i, n in enumerate(calls):
        first.setdefault(id(n), i)
    for parent in inner:
        for child in parent._prev:
            if child._prev and first[id(child)] < first[id(parent)]:
                fail(f"{name[id(child)]}._backward ran before {name[id(parent)]}._backward during {where}, "
                     f"though {name[id(parent)]} uses {name[id(child)]}: its gradient was not complete yet: "
                     "build the order children-first, then walk it in reverse (`for node in reversed(topo)`)")


@in_both_orders
def test_reused_leaf(learner):
    """b = a + a gives a.grad == 2.0"""
    Value = Value_of(learner)
    a = value(Value, 3.0, label="a")
    b = a + a
    attempt(b.backward, "b.backward()", walk_hint)
    expect_close(a.grad, 2.0, "a.grad", hint_for(b, "a"), after="a = Value(3.0); b = a + a; b.backward()")


@in_both_orders
def test_reused_leaves_in_a_diamond(learner):
    """a = -2, b = 3, f = (a*b) * (a + b): a.grad == -3.0 and b.grad == -8.0"""
    g = diamond(Value_of(learner))
    attempt(g["f"].backward, "f.backward()", walk_hint)
    want = [round(w, 6) for w in numgrad(lambda a, b: (a * b) * (a + b), [-2.0, 3.0])]
    after = "f.backward() for a = -2, b = 3, d = a*b, e = a + b, f = d*e"
    expect_close(g["a"].grad, want[0], "a.grad", hint_for(g["f"], "a"), tol=1e-5, after=after)
    expect_close(g["b"].grad, want[1], "b.grad", hint_for(g["f"], "b"), tol=1e-5, after=after)


@in_both_orders
def test_reused_inner_node(learner):
    """x = a*b used twice (out = (x + c) * (x*c)): gradients match finite differences"""
    g = shared_middle(Value_of(learner))
    attempt(g["out"].backward, "out.backward()", walk_hint)
    want = [round(w, 6) for w in numgrad(lambda a, b, c: (a * b + c) * (a * b * c), [2.0, -3.0, 4.0])]
    after = "out.backward() for a = 2, b = -3, c = 4, x = a*b, out = (x + c) * (x*c)"
    hint = hint_for(g["out"], "x")
    if g["out"].grad == 1 and any(abs(g[k].grad) > abs(w) + 1e-6 for k, w in zip("abc", want)):
        hint = ("too large: x's _backward ran more than once, adding its gradient again: keep a `visited` "
                "set, so each node is in the order once")
    for k, w in zip("abc", want):
        expect_close(g[k].grad, w, f"{k}.grad", hint, tol=1e-5, after=after)


@in_both_orders
def test_node_reused_at_two_depths(learner):
    """m = a*b used at two depths (out = m * ((m + c) + d)): a.grad 11.0, b.grad 8.25"""
    g = reused_at_two_depths(Value_of(learner))
    attempt(g["out"].backward, "out.backward()", walk_hint)
    after = "out.backward() for a = 1.5, b = 2, c = 0.5, d = -1, m = a*b, p = m + c, q = p + d, out = m*q"
    hint = hint_for(g["out"], "m")
    m_ok = abs(g["m"].grad - REUSED_AT_TWO_DEPTHS_GRADS["m"]) < 1e-6
    if g["out"].grad == 1 and m_ok and abs(g["a"].grad - REUSED_AT_TWO_DEPTHS_GRADS["a"]) > 1e-6:
        hint = ("m's _backward ran before p's had added to m.grad: m is a child of out and, one level deeper, of "
                "p: an order by distance from the root (breadth-first) is not topological here: build the order "
                "depth-first, appending a node after its children, and walk it `for node in reversed(topo)`")
    for k in ("m", "a", "b", "c", "d"):
        expect_close(g[k].grad, REUSED_AT_TWO_DEPTHS_GRADS[k], f"{k}.grad", hint, after=after)


@in_both_orders
def test_calling_backward_twice_accumulates(learner):
    """a second backward() adds to the gradients: b = a + a, c = b + b gives a.grad 4.0, then 12.0"""
    Value = Value_of(learner)
    a = value(Value, 3.0, label="a")
    b = a + a
    c = b + b
    attempt(c.backward, "c.backward()", walk_hint)
    expect_close(a.grad, 4.0, "a.grad", hint_for(c, "a"), after="b = a + a; c = b + b; c.backward()")
    attempt(c.backward, "c.backward()", walk_hint)
    expect_close(a.grad, 12.0, "a.grad", "backward() must not reset any gradient but the root's (`self.grad = "
                 "1.0`); the rest accumulate, b.grad going 2.0 -> 4.0 and a.grad 4.0 -> 12.0",
                 after="b = a + a; c = b + b; c.backward(); c.backward()")
