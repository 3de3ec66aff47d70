class Value:

    def __init__(self, data):
        self.data = data

    def __repr__(self):
        # TODO: return a string like "Value(data=2.0)"
        ...

    def __add__(self, other):
        # TODO: return a new Value holding the sum
        ...

    def __mul__(self, other):
        # TODO: return a new Value holding the product
        ...
