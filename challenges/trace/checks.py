"""Hidden checks for trace."""

from gradrill.checks import attempt, expect, fail, need, value
from gradrill.checks.engine import diamond, example1, ids, names_of, walk_hint


def traced(learner, root, what):
    trace = need(learner, "trace", "define `trace(root)` returning (nodes, edges)")
    got = attempt(lambda: trace(root), what, walk_hint)
    if not (isinstance(got, tuple) and len(got) == 2):
        fail(f"{what} returned {got!r}; expected a pair (nodes, edges): `return nodes, edges`")
    nodes, edges = got
    for name, s in (("nodes", nodes), ("edges", edges)):
        if not isinstance(s, (set, frozenset)):
            fail(f"{what} returned {name} as a {type(s).__name__}; expected a set: start from "
                 "`nodes, edges = set(), set()`")
    for e in edges:
        if not (isinstance(e, tuple) and len(e) == 2):
            fail(f"{what} has the edge {e!r}; expected a pair (child, parent): `edges.add((child, v))`")
    return nodes, edges


def pairs(edges):
    return {(id(c), id(p)) for c, p in edges}


def want_edges(root):
    from gradrill.checks import nodes_of
    return {(id(c), id(p)) for p in nodes_of(root) for c in p._prev}


def show_edges(edges, graph):
    return "{" + ", ".join(sorted(f"({names_of([c], graph)[1:-1]}, {names_of([p], graph)[1:-1]})"
                                  for c, p in edges)) + "}"


def check_graph(learner, graph, root_name, what):
    root = graph[root_name]
    nodes, edges = traced(learner, root, what)
    want_nodes = ids(graph.values())
    got_nodes = ids(nodes)
    if id(root) not in got_nodes:
        fail(f"{what} returned nodes {names_of(nodes, graph)}, without the root {root_name}; expected all "
             f"{len(want_nodes)} nodes, {root_name} included: add each node you visit, starting with the root")
    if got_nodes != want_nodes:
        fail(f"{what} returned {len(got_nodes)} nodes {names_of(nodes, graph)}; expected all {len(want_nodes)}: "
             + ("some are not in this graph: are they left over from an earlier call? create `nodes` and "
                "`edges` fresh inside trace" if got_nodes - want_nodes else
                "recurse into each child (`build(child)`), not only the root's children"))
    want = want_edges(root)
    got = pairs(edges)
    if got == want:
        return
    if got == {(p, c) for c, p in want}:
        fail(f"{what} returned the edges {show_edges(edges, graph)}, pointing from parent to child; expected "
             "(child, parent) pairs, the way data flows: `edges.add((child, v))`")
    if got - want:
        fail(f"{what} returned {len(got)} edges {show_edges(edges, graph)}; expected the {len(want)} edges "
             f"{{(child, parent), ...}} of this graph: create `nodes` and `edges` fresh inside trace, and add "
             "(child, v) for each child in v._prev")
    fail(f"{what} returned {len(got)} edges {show_edges(edges, graph)}; expected {len(want)}: add a "
         "(child, v) edge for every child of every node, recursing into each child")


def test_leaf(learner):
    """trace of a lone leaf is ({leaf}, set())"""
    a = value(need(learner, "Value"), 2.0, label="a")
    nodes, edges = traced(learner, a, "trace(a)")
    expect(ids(nodes) == {id(a)} and not edges,
           f"trace(a) for a leaf a returned {len(nodes)} node(s) and {len(edges)} edge(s); expected ({{a}}, set()): "
           "the root itself is a node, and a leaf has no edges")


def test_two_nodes_one_op(learner):
    """c = a + b gives nodes {a, b, c} and edges {(a, c), (b, c)}"""
    Value = need(learner, "Value")
    a, b = value(Value, 2.0, label="a"), value(Value, -3.0, label="b")
    c = a + b
    check_graph(learner, {"a": a, "b": b, "c": c}, "c", "trace(c) for c = a + b")


def test_lecture_graph(learner):
    """the lecture's L = (a*b + c) * f: 7 nodes, 6 edges (child, parent)"""
    g = example1(need(learner, "Value"))
    check_graph(learner, g, "L", "trace(L)")


def test_reused_nodes(learner):
    """nodes used twice (f = (a*b) * (a + b)) are one node each, with an edge per use"""
    g = diamond(need(learner, "Value"))
    check_graph(learner, g, "f", "trace(f) for d = a*b, e = a + b, f = d*e")


def test_each_call_starts_fresh(learner):
    """tracing a second graph does not mix in the first"""
    Value = need(learner, "Value")
    g1, g2 = example1(Value), diamond(Value)
    traced(learner, g1["L"], "trace(L)")
    check_graph(learner, g2, "f", "trace(f), after trace(L) of another graph,")
