class Value:
    """ stores a single scalar value and its gradient """

    # given: engine.Value: __init__ __repr__ __add__ __mul__


def build_topo(root):
    topo = []
    # TODO: visit every node once (keep a visited set), and append each node
    # only after all of its children
    return topo
