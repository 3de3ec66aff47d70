def f(x):
    # TODO: return 3x² - 4x + 5
    ...


def slope(f, x, h=1e-6):
    # TODO: nudge x by h and measure how much f(x) moves, per unit of h
    ...
