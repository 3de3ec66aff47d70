class Value:

    # given: engine.Value: __init__ __repr__ __add__ __mul__

    def relu(self):
        # TODO: build out = Value(relu of self.data, (self,), 'ReLU'), give it a _backward
        # closure that sends the local gradient back to self, and return out
        pass

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
