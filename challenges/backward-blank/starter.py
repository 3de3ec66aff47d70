# Value with data, grad, _prev, _op; + and * with their _backward closures; backward().
