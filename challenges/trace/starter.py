class Value:
    """ stores a single scalar value and its gradient """

    # given: engine.Value: __init__ __repr__ __add__ __mul__ backward


def trace(root):
    nodes, edges = set(), set()
    # TODO: walk the graph from root: add every node to nodes, and a (child, parent)
    # pair to edges for each child in its _prev
    return nodes, edges
