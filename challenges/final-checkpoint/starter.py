# The whole of micrograd: Value, Neuron, Layer, MLP, and train(). See the prompt for the list.
