class Value:

    # given: engine.Value: __init__ __repr__ __add__ __mul__ __pow__

    def __neg__(self):  # -self
        pass  # TODO: build it from an operation you already have

    def __sub__(self, other):  # self - other
        pass  # TODO: build it from operations you already have

    def __truediv__(self, other):  # self / other
        pass  # TODO: build it from operations you already have

    def backward(self):
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)

        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
