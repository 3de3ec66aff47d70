def d_fn(a, b, c):
    return a*b + c


def partials(a, b, c, h=1e-6):
    d1 = d_fn(a, b, c)
    a += h
    dd_da = (d_fn(a, b, c) - d1) / h
    b += h
    dd_db = (d_fn(a, b, c) - d1) / h
    c += h
    dd_dc = (d_fn(a, b, c) - d1) / h
    return dd_da, dd_db, dd_dc
