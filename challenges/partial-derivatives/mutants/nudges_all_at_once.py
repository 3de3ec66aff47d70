def d_fn(a, b, c):
    return a*b + c


def partials(a, b, c, h=1e-6):
    d1 = d_fn(a, b, c)
    d2 = d_fn(a + h, b + h, c + h)
    slope = (d2 - d1) / h
    return slope, slope, slope
