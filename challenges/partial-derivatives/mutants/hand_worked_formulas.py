def d_fn(a, b, c):
    return a*b + c


def partials(a, b, c, h=1e-6):
    # worked out by hand: d(a*b + c)/da = b, d/db = a, d/dc = 1
    return b, a, 1.0
