class Value:

    # given: engine.Value: __init__ __repr__ __add__ __mul__

    def backward(self):
        # TODO: 1. order the graph topologically (children first, self last)
        #       2. set self.grad = 1.0
        #       3. call _backward() on every node, from self back to the leaves
        pass
