# The engine (Value), an MLP, and train(model, xs, ys, steps=200, lr=0.05) -> the list of losses.
