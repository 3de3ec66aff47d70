# Value (with what a neuron needs), Neuron, Layer and MLP, each with parameters().
