# The whole micrograd engine: Value, its operations with their local gradients, and backward().
