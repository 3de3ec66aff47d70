class Value:

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        # TODO (task 1): store the children as a set in self._prev, and the op in self._op
        # TODO (task 2): store the label

    def __repr__(self):
        return f"Value(data={self.data})"

    def __add__(self, other):
        out = Value(self.data + other.data)  # TODO (task 1): pass the children and the op
        return out

    def __mul__(self, other):
        out = Value(self.data * other.data)  # TODO (task 1): pass the children and the op
        return out
