from graphviz import Digraph


class Value:
    """ stores a single scalar value and its gradient """

    # given: engine.Value: __init__ __repr__ __add__ __mul__ backward


def trace(root):
    # builds a set of all nodes and edges in a graph
    nodes, edges = set(), set()
    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)
    build(root)
    return nodes, edges


def draw_dot(root):
    dot = Digraph(format='svg', graph_attr={'rankdir': 'LR'})  # LR = left to right

    nodes, edges = trace(root)
    # TODO: for each node n, a record node named str(id(n)), labelled "{ label | data ... | grad ... }";
    #       if n came from an op, also an op node named str(id(n)) + n._op, with an edge to n's record
    # TODO: for each edge (n1, n2), an edge from n1's record to n2's op node

    return dot


def example():
    # the lecture's first graph, after L.backward(), to look at in the graph view
    a = Value(2.0, label='a')
    b = Value(-3.0, label='b')
    c = Value(10.0, label='c')
    e = a*b; e.label = 'e'
    d = e + c; d.label = 'd'
    f = Value(-2.0, label='f')
    L = d*f; L.label = 'L'
    L.backward()  # so that the drawing shows the gradients
    return L
