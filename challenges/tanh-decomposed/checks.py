"""Hidden checks for tanh-decomposed."""

import math

from gradrill.checks import attempt, expect, expect_number, is_value, need, nodes_of, num, value, in_both_orders
from gradrill.checks.ops import check_gradients, new_value, ops_of, values

POINTS = [-2.0, -0.5, 0.3, 0.8813735870195432, 1.7]

NOT_A_VALUE = ("build it with Value operations so that it stays in the graph: e = (2*x).exp(), then "
               "(e - 1) / (e + 1); math.exp on x.data gives a plain float, cut off from x")


def wrong_values(x):
    return [
        (math.tanh(x / 2), "that is (e**x - 1) / (e**x + 1), which is tanh(x/2): the exponent is 2x, e = (2*x).exp()"),
        (-math.tanh(x), "that is -tanh(x): a sign is flipped; tanh(x) = (e**(2x) - 1) / (e**(2x) + 1)"),
        ((2 * math.exp(x) - 1) / (2 * math.exp(x) + 1),
         "that uses 2*e**x: `2*x.exp()` calls exp() on x first and then doubles it: put 2*x in parentheses, "
         "`(2*x).exp()`"),
    ]


def build_hint(exc):
    """The likely mistake when tanh_decomposed raised."""
    text = str(exc)
    if isinstance(exc, TypeError) and "unsupported operand" in text and "**" in text:
        return ("Value has no power with a Value exponent (math.e ** Value): use the Value's exp() method, "
                "`(2*x).exp()`")
    if isinstance(exc, TypeError) and "exp()" in text and "argument" in text:
        return "exp() takes no argument: it exponentiates its Value: `(2*x).exp()`"
    if isinstance(exc, TypeError) and "must be real number" in text:
        return "math.exp wants a float, and a float is cut off from the graph: use the Value's exp(), `(2*x).exp()`"
    if isinstance(exc, AttributeError) and "'float' object has no attribute 'exp'" in text:
        return "exp() is a Value method: call it on a Value, `(2*x).exp()`, not on a number like x.data"
    return ""


RETURN_HINT = "does tanh_decomposed `return` the Value it builds?"


def decomposed(learner, x, what):
    f = need(learner, "tanh_decomposed")
    out = attempt(lambda: f(x), what, build_hint)
    return new_value(out, what, RETURN_HINT if out is None else NOT_A_VALUE)


def test_value(learner):
    """tanh_decomposed(x) returns a Value holding tanh(x)"""
    for x0 in POINTS:
        (x,) = values(learner, x0)
        out = decomposed(learner, x, f"tanh_decomposed(Value({num(x0)}))")
        expect_number(out.data, math.tanh(x0), f"tanh_decomposed(Value({num(x0)})).data",
                      "tanh(x) = (e**(2x) - 1) / (e**(2x) + 1)", wrong=wrong_values(x0))


def test_built_from_exp(learner):
    """the result's graph goes through exp, not tanh"""
    (x,) = values(learner, 0.5)
    out = decomposed(learner, x, "tanh_decomposed(Value(0.5))")
    ops = ops_of(out)
    expect(not any("tanh" in op.lower() for op in ops),
           f"the graph of tanh_decomposed(x) has a 'tanh' node (its ops: {sorted(set(ops))}); expected none: "
           "do not call x.tanh(), build tanh from exp, +, -, /")
    expect(any("exp" in op.lower() for op in ops),
           f"the graph of tanh_decomposed(x) has no 'exp' node (its ops: {sorted(set(ops))}): "
           "use the Value's exp(), as in (2*x).exp(), so that the exponential is part of the graph")
    expect(any(node is x for node in nodes_of(out)),
           "x is not in the graph of tanh_decomposed(x): build the result from x with Value operations")


@in_both_orders
def test_lecture_neuron(learner):
    """the lecture's neuron through tanh_decomposed: o = 0.7071, x1.grad -1.5, w1.grad 1.0, as with tanh"""
    Value = need(learner, "Value")
    x1, x2 = value(Value, 2.0, "x1"), value(Value, 0.0, "x2")
    w1, w2 = value(Value, -3.0, "w1"), value(Value, 1.0, "w2")
    b = value(Value, 6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + b
    o = decomposed(learner, n, "tanh_decomposed(n)")
    expect_number(o.data, math.sqrt(0.5), "o.data", "tanh(0.8814) is 0.7071",
                  wrong=wrong_values(n.data))
    attempt(o.backward, "o.backward()")
    for node, name, want in [(n, "n", 0.5), (b, "b", 0.5), (x1, "x1", -1.5), (w1, "w1", 1.0),
                             (x2, "x2", 0.5), (w2, "w2", 0.0)]:
        expect_number(node.grad, want, f"{name}.grad",
                      "the same gradients as the atomic tanh: n.grad = 1 - o**2 = 0.5",
                      after="o = tanh_decomposed(n); o.backward()")


@in_both_orders
def test_same_gradient_as_tanh(learner):
    """x.grad after tanh_decomposed(x).backward() is 1 - tanh(x)**2, as with the atomic op"""
    for x0 in POINTS:
        (x,) = values(learner, x0)
        out = decomposed(learner, x, f"tanh_decomposed(Value({num(x0)}))")
        attempt(out.backward, "out.backward()")
        t = math.tanh(x0)
        expect_number(x.grad, 1 - t**2, "x.grad", "the derivative of tanh(x) is 1 - tanh(x)**2",
                      wrong=[(0.5 * (1 - math.tanh(x0 / 2)**2),
                              "that is the gradient of tanh(x/2): the exponent is 2x, e = (2*x).exp()"),
                             (4 * math.exp(x0) / (2 * math.exp(x0) + 1)**2,
                              "that is the gradient with 2*e**x: `2*x.exp()` doubles exp(x): write `(2*x).exp()`")],
                      after=f"x = Value({num(x0)}); out = tanh_decomposed(x); out.backward()")


@in_both_orders
def test_finite_differences(learner):
    """tanh_decomposed inside a bigger expression, with re-used nodes, matches finite differences"""
    f = need(learner, "tanh_decomposed")

    def expr(R, a, b, c):
        if R.__name__ == "FloatOps":
            return math.tanh(a * b + c) * a
        out = f(a * b + c)
        return out * a if is_value(out) else out

    for xs in [(0.5, -1.5, 0.25), (-1.1, 0.8, 0.4)]:
        check_gradients(learner, expr, xs, "tanh_decomposed(a*b + c) * a",
                        "tanh_decomposed should be (e - 1) / (e + 1) with e = (2*x).exp()", none_hint=RETURN_HINT,
                        error_hint=build_hint)
