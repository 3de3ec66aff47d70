"""Hidden checks for topo-sort."""

from gradrill.checks import attempt, expect, fail, need, value, in_both_orders
from gradrill.checks.engine import (
    diamond, example1, ids, names_of, order_problem, reused_at_two_depths, shared_middle, walk_hint,
)


def topo_of(learner, root, what="build_topo(root)"):
    build_topo = need(learner, "build_topo", "define a module-level `build_topo(root)` returning a list")
    order = attempt(lambda: build_topo(root), what, walk_hint)
    if not isinstance(order, (list, tuple)):
        try:
            order = list(order)
        except TypeError:
            fail(f"{what} returned {order!r}; expected a list of the graph's nodes: `return topo`")
    return list(order)


def check(learner, graph, root_name, what):
    root = graph[root_name]
    order = topo_of(learner, root, what)
    problem = order_problem(order, root, what)
    if problem:
        fail(problem + f" (got {names_of(order, graph)})")


@in_both_orders
def test_leaf(learner):
    """a lone leaf sorts to [leaf]"""
    Value = need(learner, "Value")
    a = value(Value, 2.0, label="a")
    order = topo_of(learner, a, "build_topo(a)")
    expect(len(order) == 1 and order[0] is a,
           f"build_topo(a) for a leaf a is {order!r}; expected [a]: append the node after its (zero) children")


@in_both_orders
def test_lecture_graph(learner):
    """the lecture's L = (a*b + c) * f: 7 nodes, each once, children first"""
    g = example1(need(learner, "Value"))
    check(learner, g, "L", "build_topo(L)")


@in_both_orders
def test_root_is_last(learner):
    """the root comes last, its children just before it"""
    g = example1(need(learner, "Value"))
    order = topo_of(learner, g["L"], "build_topo(L)")
    expect(bool(order), "build_topo(L) returned an empty list; expected the 7 nodes: is each node appended "
                        "(`topo.append(v)`) after visiting its children?")
    if order[-1] is not g["L"]:
        problem = order_problem(order, g["L"], "build_topo(L)")
        fail(f"build_topo(L) ends with {names_of(order[-1:], g)}; expected L last"
             + (f": {problem}" if problem else "") + f" (got {names_of(order, g)})")


@in_both_orders
def test_reused_leaves(learner):
    """leaves used twice (d = a*b, e = a + b, f = d*e) appear once"""
    g = diamond(need(learner, "Value"))
    check(learner, g, "f", "build_topo(f) for f = (a*b) * (a + b)")


@in_both_orders
def test_reused_inner_node(learner):
    """an inner node used twice (x = a*b in both x + c and x*c) appears once, after its children"""
    g = shared_middle(need(learner, "Value"))
    check(learner, g, "out", "build_topo(out) for x = a*b, out = (x + c) * (x*c)")


@in_both_orders
def test_node_reused_at_two_depths(learner):
    """a node used at two depths (m = a*b; out = m * ((m + c) + d)) comes after every node that uses it"""
    g = reused_at_two_depths(need(learner, "Value"))
    order = topo_of(learner, g["out"], "build_topo(out)")
    problem = order_problem(order, g["out"], "build_topo(out) for m = a*b, p = m + c, q = p + d, out = m*q")
    if problem:
        if ids(order) == ids(g.values()) and order.index(g["p"]) < order.index(g["m"]):
            problem += (": m is a child of out and of p, one level deeper: an order by distance from the root "
                        "(breadth-first) puts p before m; walk depth-first, appending a node after its children")
        fail(problem + f" (got {names_of(order, g)})")


@in_both_orders
def test_each_call_starts_fresh(learner):
    """calling build_topo again, or on another graph, starts from scratch"""
    Value = need(learner, "Value")
    g1, g2 = example1(Value), diamond(Value)
    first = topo_of(learner, g1["L"], "build_topo(L)")
    if ids(first) != ids(g1.values()):
        fail(order_problem(first, g1["L"], "build_topo(L)") or "build_topo(L) does not list the graph's 7 nodes")
    again = topo_of(learner, g1["L"], "build_topo(L)")
    other = topo_of(learner, g2["f"], "build_topo(f)")
    if ids(again) != ids(g1.values()) or ids(other) != ids(g2.values()):
        fail(f"build_topo(L) listed the graph's 7 nodes, but the same call again gave {len(again)} entries and "
             f"build_topo(f) on a second graph of 5 nodes gave {len(other)}, not the nodes of their graph: are "
             "`topo` and `visited` kept outside build_topo, so they remember earlier calls? create them fresh "
             "inside build_topo")
