def f(x):
    return 3*x**2 - 4*x + 5


def slope(f, x, h=1e-6):
    return f(x + h) - f(x) / h
