class Value:

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        return Value(self.data + other.data, (self, other), '+')

    def __mul__(self, other):
        return Value(self.data * other.data, (self, other), '*')


def trace(root):
    nodes, edges = set(), set()
    # TODO: walk the graph from root: add every node to nodes, and a (child, parent)
    # pair to edges for each child in its _prev
    return nodes, edges
