"""Hidden checks for engine-blank.

tanh and exp are optional (the library's engine has neither): their checks skip when the
learner's Value does not define them, and hold them to the lecture's gradients when it does.
"""

import math
import re

import pytest

from gradrill.checks import attempt, expect_number, need, num, in_both_orders
from gradrill.checks.ops import backward_hint, check_gradients, compute, mixing_hint, values

AFTER_BACKWARD = backward_hint(mixing_hint)

SEED = "backward() must seed the root first, `self.grad = 1.0`, before walking the graph"
ACCUMULATE = "a node used twice gets gradient from both uses: accumulate with `+=` in every _backward, not `=`"
VISITED = ("a node used twice must appear once in the topological order: check `visited` before walking "
           "into a node, so its _backward runs once, after every use has added to its grad")
RETURN_HINT = "does every method `return` the Value it builds?"
POWER = [
    (lambda x, n: n * x**n, "that is n * x**n: the power rule lowers the exponent by one, n * x**(n-1)"),
    (lambda x, n: x**(n - 1), "that is x**(n-1) without the factor n: the power rule is n * x**(n-1)"),
]


def run(fn, what):
    return compute(fn, what, mixing_hint, RETURN_HINT)


# ---------------------------------------------------------------------------------------
# one operation at a time: (expression, builder, float value, {input: gradient}, hint)

A, B = 3.0, -2.0
OPS = [
    ("a + b", lambda a, b: a + b, 1.0, {"a": 1.0, "b": 1.0}, "a + b sends out.grad to both inputs"),
    ("a * b", lambda a, b: a * b, -6.0, {"a": -2.0, "b": 3.0}, "each input of a * b gets the other's data "
                                                               "times out.grad"),
    ("a ** 3", lambda a, b: a**3, 27.0, {"a": 27.0, "b": 0.0}, "the power rule: n * x**(n-1) * out.grad"),
    ("a ** -1", lambda a, b: a**-1, 1 / 3, {"a": -1 / 9, "b": 0.0}, "the power rule: n * x**(n-1) * out.grad"),
    ("-a", lambda a, b: -a, -3.0, {"a": -1.0, "b": 0.0}, "-self is self * -1"),
    ("a - b", lambda a, b: a - b, 5.0, {"a": 1.0, "b": -1.0}, "self - other is self + (-other)"),
    ("a / b", lambda a, b: a / b, -1.5, {"a": -0.5, "b": -0.75}, "self / other is self * other**-1"),
    ("a + 1", lambda a, b: a + 1, 4.0, {"a": 1.0, "b": 0.0}, "wrap a plain number in a Value"),
    ("a * 2", lambda a, b: a * 2, 6.0, {"a": 2.0, "b": 0.0}, "wrap a plain number in a Value"),
    ("2 + a", lambda a, b: 2 + a, 5.0, {"a": 1.0, "b": 0.0}, "__radd__ is self + other"),
    ("2 * a", lambda a, b: 2 * a, 6.0, {"a": 2.0, "b": 0.0}, "__rmul__ is self * other"),
    ("1 - a", lambda a, b: 1 - a, -2.0, {"a": -1.0, "b": 0.0}, "__rsub__ (other - self) is other + (-self)"),
    ("6 / a", lambda a, b: 6 / a, 2.0, {"a": -2 / 3, "b": 0.0}, "__rtruediv__ (other / self) is other * self**-1"),
]


@in_both_orders
@pytest.mark.task(taskno=1)
def test_reused_nodes(learner):
    """re-used nodes: a + a, a * a, a * b + a, (a*b)*(a+b), and an inner node feeding two others"""
    for expr, build, want in [("a + a", lambda a, b: a + a, 2.0), ("a * a", lambda a, b: a * a, 6.0),
                              ("a * b + a", lambda a, b: a * b + a, -1.0)]:
        a, b = values(learner, 3.0, -2.0)
        out = run(lambda: build(a, b), expr)
        attempt(out.backward, f"({expr}).backward()", AFTER_BACKWARD)
        expect_number(a.grad, want, "a.grad", ACCUMULATE,
                      after=f"a = Value(3.0); b = Value(-2.0); out = {expr}; out.backward()")
    a, b = values(learner, -2.0, 3.0)
    f = (a * b) * (a + b)
    attempt(f.backward, "f.backward()", AFTER_BACKWARD)
    after = "a = Value(-2.0); b = Value(3.0); f = (a*b) * (a+b); f.backward()"
    expect_number(a.grad, -3.0, "a.grad", ACCUMULATE, after=after)
    expect_number(b.grad, -8.0, "b.grad", ACCUMULATE, after=after)
    a, b, c = values(learner, 2.0, -3.0, 4.0)
    x = a * b
    y = x * c
    z = x + y
    attempt(z.backward, "z.backward()", AFTER_BACKWARD)
    after = "a, b, c = Value(2.0), Value(-3.0), Value(4.0); x = a*b; y = x*c; z = x + y; z.backward()"
    expect_number(x.grad, 5.0, "x.grad", VISITED, wrong=[(4.0, ACCUMULATE)], after=after)
    expect_number(a.grad, -15.0, "a.grad", VISITED, wrong=[(-12.0, ACCUMULATE)], after=after)
    expect_number(b.grad, 10.0, "b.grad", VISITED, after=after)
    expect_number(c.grad, -6.0, "c.grad", VISITED, after=after)


@pytest.mark.task(taskno=2)
def test_forward(learner):
    """every operation computes the right number (a = 3.0, b = -2.0)"""
    for expr, build, want, _, hint in OPS:
        a, b = values(learner, A, B)
        out = run(lambda: build(a, b), expr)
        expect_number(out.data, want, f"({expr}).data", hint, after="a = Value(3.0); b = Value(-2.0)")


@in_both_orders
@pytest.mark.task(taskno=2)
def test_each_operation_gradient(learner):
    """each operation alone has the right gradients after backward() (a = 3.0, b = -2.0)"""
    for expr, build, _, grads, hint in OPS:
        a, b = values(learner, A, B)
        out = run(lambda: build(a, b), expr)
        attempt(out.backward, f"({expr}).backward()", AFTER_BACKWARD)
        after = f"a = Value(3.0); b = Value(-2.0); out = {expr}; out.backward()"
        expect_number(out.grad, 1.0, "out.grad", SEED, after=after)
        for name, leaf in (("a", a), ("b", b)):
            wrong = []
            if "**" in expr and name == "a":
                n = int(expr.split("**")[1])
                wrong = [(f(A, n), why) for f, why in POWER]
            expect_number(leaf.grad, grads[name], f"{name}.grad", hint, wrong=wrong, after=after)


@in_both_orders
@pytest.mark.task(taskno=3)
def test_relu(learner):
    """relu: max(0, x), with gradient out.grad where the output is positive and 0 elsewhere"""
    for x0, want, grad in [(3.0, 3.0, -4.0), (-2.0, 0.0, 0.0)]:
        (x,) = values(learner, x0)
        out = run(lambda: x.relu(), f"Value({num(x0)}).relu()")
        expect_number(out.data, want, f"Value({num(x0)}).relu().data", "relu(x) is x if x > 0 else 0")
        y = run(lambda: out * -4.0, "x.relu() * -4.0")
        attempt(y.backward, "y.backward()", AFTER_BACKWARD)
        flat = ("where the input is negative relu's output is flat (always 0): its gradient there is 0, "
                "send (out.data > 0) * out.grad")
        expect_number(x.grad, grad, "x.grad", flat if x0 < 0 else "for x > 0 relu passes out.grad through",
                      wrong=[(1.0, "the local derivative (out.data > 0) was not multiplied by out.grad (the "
                                   "chain rule)")] if x0 > 0 else [],
                      after=f"x = Value({num(x0)}); y = x.relu() * -4.0; y.backward()")
    # x used twice, relu's closure running last (y uses x.relu()): x.grad = x + relu(x) = 6
    (x,) = values(learner, 3.0)
    y = run(lambda: x.relu() * x, "x.relu() * x")
    attempt(y.backward, "y.backward()", AFTER_BACKWARD)
    expect_number(x.grad, 6.0, "x.grad", "x gets relu(x) from `* x` and x from relu: relu's _backward must add, `+=`",
                  wrong=[(3.0, "relu's _backward assigns (`=`) instead of accumulating (`+=`): it overwrote the 3.0 "
                               "that `* x` had sent to x")], after="x = Value(3.0); y = x.relu() * x; y.backward()")


def readme(R, a, b):
    c = a + b
    d = a * b + b**3
    c = c + (c + 1)
    c = c + (1 + c + (-a))
    d = d + (d * 2 + R.relu(b + a))
    d = d + (3 * d + R.relu(b - a))
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    return g


README = ("c = a + b; d = a*b + b**3; c += c + 1; c += 1 + c + (-a); d += d*2 + (b + a).relu(); "
          "d += 3*d + (b - a).relu(); e = c - d; f = e**2; g = f / 2.0; g += 10.0 / f")


@in_both_orders
@pytest.mark.task(taskno=3)
def test_readme_expression(learner):
    """the micrograd README expression: g = 24.7041, a.grad = 138.8338, b.grad = 645.5773"""
    from gradrill.checks.ops import ValueOps

    a, b = values(learner, -4.0, 2.0)
    g = run(lambda: readme(ValueOps, a, b), "the README expression")
    hint = "this uses every operation: the other checks say which one is wrong"
    expect_number(g.data, 24.70408163265306, "g.data", hint, after=f"a = Value(-4.0); b = Value(2.0); {README}")
    attempt(g.backward, "g.backward()", AFTER_BACKWARD)
    after = "g.backward()"
    expect_number(a.grad, 138.83381924198252, "a.grad", hint, after=after)
    expect_number(b.grad, 645.5772594752186, "b.grad", hint, after=after)


# ---------------------------------------------------------------------------------------
# generated expressions: small DAGs over a, b, c (inner nodes re-used), built with a fixed seed


# Made once by a seeded generator, then frozen: small graphs over a, b, c that together use every
# operation (plain numbers on both sides too), each with an inner node used twice, and no
# division by a small number or relu near its kink (so finite differences are exact).
CASES = [
    ('t1 = a - c; t2 = t1**3; t3 = t2 - c; t4 = t3 + a; t5 = t4 + t1; t6 = b + t5',
     (-0.93, 1.67, 1.8)),
    ('t1 = c - a; t2 = a - t1; t3 = t1 / t1; t4 = t3 + a; t5 = t4 / t2; t6 = 2 * b; t7 = 3 / t6; t8 = t7 - t5',
     (-1.25, -1.91, -1.91)),
    ('t1 = b / a; t2 = t1 * c; t3 = b * a; t4 = t3 + t3; t5 = t4 + t2',
     (1.15, -1.96, 0.27)),
    ('t1 = b + a; t2 = t1 + c; t3 = t2 + b; t4 = t3 - a; t5 = t4 * t2; t6 = t5 + -1.5',
     (-1.62, 1.41, -0.9)),
    ('t1 = c * a; t2 = -t1; t3 = t2 + t2; t4 = t3 / b',
     (-1.13, -0.9, 1.85)),
    ('t1 = c + a; t2 = 2 + t1; t3 = t2 + b; t4 = a * t3; t5 = t4**3; t6 = t5 * t1; t7 = 2 * t6',
     (-1.85, 1.2, 0.25)),
    ('t1 = b - c; t2 = t1 + c; t3 = t2 / t2; t4 = t3**2; t5 = t4 * a',
     (-0.26, -0.56, 0.8)),
    ('t1 = c / a; t2 = relu(t1); t3 = t2 + t2; t4 = t3 / t2; t5 = t4 + t2; t6 = t5 * 2; t7 = t6 - b; t8 = t7 * c',
     (1.65, -0.15, 1.24)),
    ('t1 = relu(c); t2 = t1 + b; t3 = t2 + 2; t4 = 2 - t3; t5 = a / t3; t6 = t5 + t4',
     (-1.09, -1.95, 0.59)),
]


def evaluate(program, R, a, b, c):
    """Run a case's statements with a, b, c (floats or Values) and return its last variable."""
    env = {"a": a, "b": b, "c": c, "relu": R.relu}
    exec(program.replace("; ", "\n"), {}, env)
    return env[program.rsplit(";", 1)[-1].split("=")[0].strip()]


def shown(program):
    return re.sub(r"relu\((\w+)\)", r"\1.relu()", program)


@in_both_orders
@pytest.mark.task(taskno=3)
def test_generated_expressions(learner):
    """gradients of generated expressions (re-used nodes, numbers on both sides) match finite differences"""
    hint = "compare each operation's local gradient: the other checks name the operation that is wrong"
    for program, xs in CASES:
        last = program.rsplit(";", 1)[-1].split("=")[0].strip()
        check_gradients(learner, lambda R, a, b, c: evaluate(program, R, a, b, c), xs,
                        f"{last} where {shown(program)}", hint, names="abc", error_hint=mixing_hint,
                        none_hint=RETURN_HINT)


# ---------------------------------------------------------------------------------------
# optional ops


def optional(learner, name):
    Value = need(learner, "Value")
    if not hasattr(Value, name):
        pytest.skip(f"your Value has no {name}() (optional here: the library's engine has none)")


@in_both_orders
@pytest.mark.task(taskno=3)
def test_tanh_if_defined(learner):
    """tanh, if your Value has it: the lecture's neuron, o = 0.7071, x1.grad -1.5, w1.grad 1.0"""
    optional(learner, "tanh")
    x1, x2, w1, w2, b = values(learner, 2.0, 0.0, -3.0, 1.0, 6.8813735870195432)
    n = x1 * w1 + x2 * w2 + b
    o = run(lambda: n.tanh(), "n.tanh()")
    expect_number(o.data, math.sqrt(0.5), "o.data", "tanh(0.8814) is 0.7071")
    attempt(o.backward, "o.backward()", AFTER_BACKWARD)
    after = "n = x1*w1 + x2*w2 + b; o = n.tanh(); o.backward()"
    why = "tanh's local gradient is 1 - t**2 with t the output, times out.grad"
    for node, name, want in [(n, "n", 0.5), (x1, "x1", -1.5), (w1, "w1", 1.0), (x2, "x2", 0.5), (w2, "w2", 0.0)]:
        expect_number(node.grad, want, f"{name}.grad", why, after=after)
    check_gradients(learner, lambda R, a, b: R.tanh(a * b) * a + R.tanh(a), (0.7, -1.3), "(a*b).tanh()*a + a.tanh()",
                    why)


@in_both_orders
@pytest.mark.task(taskno=3)
def test_exp_if_defined(learner):
    """exp, if your Value has it: e**x with local gradient out.data"""
    optional(learner, "exp")
    (x,) = values(learner, 2.0)
    out = run(lambda: x.exp(), "Value(2.0).exp()")
    expect_number(out.data, math.exp(2.0), "Value(2.0).exp().data", "compute math.exp(self.data)")
    check_gradients(learner, lambda R, a, b: R.exp(a * b) * a + R.exp(a), (0.7, -1.3), "(a*b).exp()*a + a.exp()",
                    "exp's local gradient is e**x, which is out.data, times out.grad")
