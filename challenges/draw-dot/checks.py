"""Hidden checks for draw-dot. They read the Digraph's `.source`; nothing is rendered."""

from gradrill.checks import attempt, close, expect, fail, need, num
from gradrill.checks.engine import example1, EXAMPLE1_GRADS, parse_dot, record_fields, shared_middle

TOL = 1e-4  # labels show 4 decimals


class Drawing:
    """The parsed source of draw_dot(root): record nodes (with data/grad), op nodes, edges."""

    def __init__(self, source):
        self.source = source
        nodes, self.edges = parse_dot(source)
        self.records = {n: record_fields(a.get("label", "")) for n, a in nodes.items()
                        if "data" in a.get("label", "").lower()}
        self.shapes = {n: a.get("shape", "") for n, a in nodes.items()}
        self.labels = {n: a.get("label", n) for n, a in nodes.items()}
        self.ops = {n: self.labels[n] for n in nodes if n not in self.records}

    def record_of(self, v, use_grad=True):
        for name, f in self.records.items():
            if close(f.get("data"), v.data, TOL) and (not use_grad or close(f.get("grad"), v.grad, TOL)):
                return name
        return None

    def into(self, head):
        return [t for t, h in self.edges if h == head]


def draw_hint(exc):
    """The likely mistake behind an error raised inside draw_dot."""
    text = str(exc)
    if isinstance(exc, TypeError) and ("got 'int'" in text or "'int' and 'str'" in text):
        return ("graphviz names are strings, and an int id cannot be joined with n._op: name each node "
                "`uid = str(id(n))`, its op node `uid + n._op`, and edges `str(id(n1))`, `str(id(n2)) + n2._op`")
    if isinstance(exc, AttributeError) and "Digraph" in text:
        return "a Digraph adds nodes with `dot.node(name, label=..., shape=...)` and edges with `dot.edge(tail, head)`"
    if isinstance(exc, TypeError) and "not enough arguments for format string" in text:
        return "the label has three %-slots: pass three values, `% (n.label, n.data, n.grad)`"
    return ""


def draw(learner, root, what):
    draw_dot = need(learner, "draw_dot", "define `draw_dot(root)` returning a graphviz.Digraph")
    dot = attempt(lambda: draw_dot(root), what, draw_hint)
    source = getattr(dot, "source", None)
    expect(isinstance(source, str) and "digraph" in source,
           f"{what} returned {dot!r}; expected a graphviz.Digraph: create `dot = Digraph(...)`, add nodes and "
           "edges to it, and `return dot`")
    return Drawing(source)


def lecture_graph(learner):
    g = example1(need(learner, "Value"))
    for name, grad in EXAMPLE1_GRADS.items():  # as after L.backward()
        g[name].grad = grad
    return g


def records_by_name(learner, g, root_name, what, use_grad=True):
    """{value name: record node name}, failing with the likely mistake if a Value has no record."""
    d = draw(learner, g[root_name], what)
    found = {}
    for name, v in g.items():
        r = d.record_of(v, use_grad)
        if r is not None:
            found[name] = r
            continue
        want = f"data {v.data:.4f} | grad {v.grad:.4f}" if use_grad else f"data {v.data:.4f}"
        if not d.records:
            fail(f"{what} has no node whose label shows data; expected one record node per Value, labelled "
                 f"like '{{ {name} | {want} }}': `dot.node(name=str(id(n)), label=\"{{ %s | data %.4f | grad %.4f }}\" "
                 "% (n.label, n.data, n.grad), shape='record')`")
        if any(close(f.get("grad"), v.data, TOL) and (not use_grad or close(f.get("data"), v.grad, TOL))
               for f in d.records.values()):
            fail(f"{what}: {name} (data {num(v.data)}, grad {num(v.grad)}) is drawn as 'data {v.grad:.4f} | "
                 f"grad {v.data:.4f}'; expected '{want}': data and grad are swapped in the label's arguments")
        same = [f for f in d.records.values() if close(f.get("data"), v.data, TOL)]
        if use_grad and same and all("grad" not in f for f in same):
            fail(f"{what}: the node for {name} shows data {v.data:.4f} but no grad; expected '{want}': put the "
                 "grad in the label too, `\"{ %s | data %.4f | grad %.4f }\" % (n.label, n.data, n.grad)`")
        if use_grad and same:
            fail(f"{what}: the node for {name} shows data {v.data:.4f} and grad {same[0]['grad']:.4f}; expected "
                 f"grad {v.grad:.4f}: label each node with its own n.data and n.grad")
        fail(f"{what} has no node showing {name}'s data {v.data:.4f}; expected a record node for every Value "
             "that trace(root) finds")
    return d, found


def check_direction(d, g, found, what):
    """Fail if a child's edge points the wrong way: from its parent's op node into the child's record."""
    by_id = {id(v): k for k, v in g.items()}
    for parent_name, parent in g.items():
        if parent_name not in found:
            continue
        parent_ops = [t for t in d.into(found[parent_name]) if t in d.ops]
        for child in parent._prev:
            child_name = by_id.get(id(child))
            if child_name not in found:
                continue
            for op in parent_ops:
                if (op, found[child_name]) in d.edges and (found[child_name], op) not in d.edges:
                    fail(f"{what} has an edge from {parent_name}'s {d.labels[op]!r} op node into {child_name}'s "
                         f"record; expected {child_name} -> the {d.labels[op]!r} node -> {parent_name}: the edges "
                         "from trace point the wrong way: each (n1, n2) is (child, parent), and data flows from the "
                         "child into its parent's op node: `dot.edge(str(id(n1)), str(id(n2)) + n2._op)`")


def test_returns_a_digraph(learner):
    """draw_dot returns a graphviz Digraph"""
    g = lecture_graph(learner)
    draw(learner, g["L"], "draw_dot(L)")


def test_a_record_per_value(learner):
    """each Value is one record node showing its data and grad"""
    g = lecture_graph(learner)
    d, found = records_by_name(learner, g, "L", "draw_dot(L)")
    expect(len(d.records) == len(g),
           f"draw_dot(L) has {len(d.records)} nodes showing data; expected {len(g)}, one per Value: add one "
           "record node for each node of trace(root)")
    for name, r in found.items():
        expect(d.shapes.get(r) == "record",
               f"draw_dot(L): the node for {name} has shape {d.shapes.get(r)!r}; expected 'record', so that "
               "'{ label | data | grad }' is drawn as a table: `shape='record'`")


def test_op_nodes(learner):
    """each result has an op node ('+' or '*') with an edge into the result's record"""
    g = lecture_graph(learner)
    d, found = records_by_name(learner, g, "L", "draw_dot(L)")
    check_direction(d, g, found, "draw_dot(L)")
    for name in ("e", "d", "L"):
        v, r = g[name], found[name]
        ops_in = [t for t in d.into(r) if t in d.ops]
        if not ops_in:
            straight = [t for t in d.into(r) if t in d.records]
            fail(f"draw_dot(L): nothing but {len(straight)} record node(s) point into {name}'s record; expected an "
                 f"op node labelled {v._op!r} with an edge into it: there are no op nodes: for a node with an "
                 "_op, add `dot.node(name=uid + n._op, label=n._op)` and `dot.edge(uid + n._op, uid)`")
        labels = [d.labels[t] for t in ops_in]
        expect(len(ops_in) == 1 and labels[0] == v._op,
               f"draw_dot(L): the op node(s) pointing into {name}'s record are labelled {labels}; expected one, "
               f"labelled {v._op!r}: label the op node with n._op")
    expect(len(d.ops) == 3,
           f"draw_dot(L) has {len(d.ops)} op nodes ({sorted(d.labels[o] for o in d.ops)}); expected 3 ('*', '+', '*'): "
           "one op node per Value that has an _op, none for leaves")


def test_edges_into_op_nodes(learner):
    """each child has an edge into the op node of the Value it feeds"""
    g = lecture_graph(learner)
    d, found = records_by_name(learner, g, "L", "draw_dot(L)")
    check_direction(d, g, found, "draw_dot(L)")
    op_of = {name: next((t for t in d.into(found[name]) if t in d.ops), None) for name in ("e", "d", "L")}
    for child, parent in [("a", "e"), ("b", "e"), ("e", "d"), ("c", "d"), ("d", "L"), ("f", "L")]:
        c, op = found[child], op_of[parent]
        if op is not None and (c, op) in d.edges:
            continue
        if (c, found[parent]) in d.edges:
            fail(f"draw_dot(L): the edge from {child} goes straight to {parent}'s record, skipping its op node; "
                 f"expected {child} -> the {g[parent]._op!r} node -> {parent}: connect each child to the op node of "
                 "its parent, `dot.edge(str(id(n1)), str(id(n2)) + n2._op)`")
        fail(f"draw_dot(L) has no edge from {child} into the {g[parent]._op!r} node of {parent}; expected one edge "
             f"per (child, parent) pair of trace(root): `for n1, n2 in edges: dot.edge(str(id(n1)), "
             f"str(id(n2)) + n2._op)`")
    expect(len(d.edges) == 9,
           f"draw_dot(L) has {len(d.edges)} edges; expected 9: 6 from a child to an op node, 3 from an op node "
           "to its result")


def test_shared_node_drawn_once(learner):
    """a node used twice (x = a*b in both x + c and x*c) is drawn once, with an edge per use"""
    g = shared_middle(need(learner, "Value"))
    what = "draw_dot(out) for x = a*b, out = (x + c) * (x*c)"
    d, found = records_by_name(learner, g, "out", what, use_grad=False)
    check_direction(d, g, found, what)
    expect(len(d.records) == len(g),
           f"{what} has {len(d.records)} nodes showing data; expected {len(g)}, one per Value: draw each node "
           "of trace(root) once")
    from_x = [h for t, h in d.edges if t == found["x"]]
    heads = sorted(f"the op node {d.labels[h]!r}" if h in d.ops else "a record node" for h in from_x)
    expect(len(from_x) == 2 and all(h in d.ops for h in from_x),
           f"{what}: {len(from_x)} edge(s) leave x's node, into {', '.join(heads) or 'nothing'}; expected 2, into "
           "the '+' op node of y and the '*' op node of z: one edge per (child, parent) pair, from the child to "
           "the parent's op node")
    expect(len(d.edges) == 12 and len(d.ops) == 4,
           f"{what} has {len(d.ops)} op nodes and {len(d.edges)} edges; expected 4 op nodes (x, y, z, out) and 12 "
           "edges (8 child -> op, 4 op -> result)")
