"""Tests for gradrill.reference, the canonical micrograd, and for the fixtures.

Numbers come from ../shared/lecture-facts.md (the lecture and the micrograd
README). Training tests run with the garbage collector paused and a manual
collection after each step: every `_backward` closure makes a reference cycle
with its node, and the automatic collector would otherwise dominate the time.
"""

import ast
import gc
import importlib.util
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

from gradrill.reference.engine import Value
from gradrill.reference.nn import MLP, Layer, Module, Neuron
from gradrill.reference import datasets, losses, optim, train, viz
from gradrill.reference.datasets import lecture_samples, make_moons, make_yinyang
from gradrill.reference.losses import (
    cross_entropy,
    max_margin_loss,
    softmax,
    squared_error_loss,
)
from gradrill.reference.optim import AdamW
from gradrill.reference.train import train_classifier, train_lecture, train_moons
from gradrill.reference.viz import draw_dot, trace

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GRAPHVIZ_PURE = Path(sys.executable).with_name("graphviz-pure")


def approx(x, rel=1e-6, abs=1e-9):
    return pytest.approx(x, rel=rel, abs=abs)


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -----------------------------------------------------------------------------
# every op against central finite differences

def numeric_grads(f, xs, h=1e-6):
    """Central differences of a float function f(*xs) in each argument."""
    grads = []
    for i in range(len(xs)):
        up = list(xs); up[i] += h
        down = list(xs); down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def check_op(f, *points):
    """f builds a Value expression from Values; compare backward with numerics."""
    for xs in points:
        vs = [Value(x) for x in xs]
        out = f(*vs)
        out.backward()
        expected = numeric_grads(lambda *a: f(*[Value(x) for x in a]).data, list(xs))
        for v, g in zip(vs, expected):
            assert v.grad == pytest.approx(g, rel=1e-5, abs=1e-6), (xs, v.grad, g)


BINARY_POINTS = [(2.0, -3.0), (-1.5, 0.7), (0.3, 4.2), (-2.2, -0.9)]
POSITIVE_POINTS = [(0.5,), (1.3,), (2.7,), (4.0,)]
ANY_POINTS = [(-2.1,), (-0.4,), (0.6,), (1.9,)]


@pytest.mark.parametrize("name, f", [
    ("add", lambda a, b: a + b),
    ("mul", lambda a, b: a * b),
    ("sub", lambda a, b: a - b),
    ("truediv", lambda a, b: a / b),
    ("mixed", lambda a, b: (a * b + b**2) / (a - 7.0)),
])
def test_binary_op_gradients(name, f):
    check_op(f, *BINARY_POINTS)


@pytest.mark.parametrize("name, f", [
    ("radd", lambda a: 3.5 + a),
    ("rmul", lambda a: -2.0 * a),
    ("rsub", lambda a: 1.0 - a),
    ("rtruediv", lambda a: 2.0 / a),
    ("add scalar", lambda a: a + 4),
    ("mul scalar", lambda a: a * 0.25),
    ("sub scalar", lambda a: a - 1.5),
    ("div scalar", lambda a: a / 3),
    ("neg", lambda a: -a),
    ("pow 2", lambda a: a**2),
    ("pow 3", lambda a: a**3),
    ("pow -1", lambda a: a**-1),
    ("tanh", lambda a: a.tanh()),
    ("exp", lambda a: a.exp()),
    ("relu", lambda a: a.relu()),
    ("self times self", lambda a: a * a),
    ("a + a + a", lambda a: a + a + a),
])
def test_unary_op_gradients(name, f):
    check_op(f, *ANY_POINTS)


@pytest.mark.parametrize("exponent", [0.5, -0.5, 1.5, -2.5, 2.0])
def test_float_pow_gradients(exponent):
    check_op(lambda a: a**exponent, *POSITIVE_POINTS)


def test_forward_values():
    a, b = Value(2.0), Value(-3.0)
    assert (a + b).data == -1.0
    assert (a * b).data == -6.0
    assert (a - b).data == 5.0
    assert (a / b).data == approx(-2 / 3)
    assert (a**3).data == 8.0
    assert (-a).data == -2.0
    assert (1 - a).data == -1.0
    assert (6 / a).data == approx(3.0)
    assert Value(0.5).tanh().data == approx(math.tanh(0.5))
    assert Value(0.5).exp().data == approx(math.exp(0.5))
    assert Value(-0.5).relu().data == 0
    assert Value(0.5).relu().data == 0.5


def test_value_bookkeeping():
    a = Value(2.0, label='a')
    b = Value(-3.0, label='b')
    c = a * b
    assert (a.data, a.grad, a.label, a._op, a._prev) == (2.0, 0.0, 'a', '', set())
    assert c._prev == {a, b} and c._op == '*'
    assert (a + b)._op == '+'
    assert (a**2)._op == '**2'
    assert a.tanh()._op == 'tanh'
    assert a.exp()._op == 'exp'
    assert a.relu()._op == 'ReLU'
    assert a._backward() is None  # a leaf's _backward does nothing
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    # plain numbers get wrapped into Values
    d = a + 1
    assert any(isinstance(p, Value) and p.data == 1 for p in d._prev)


def test_pow_only_takes_numbers():
    with pytest.raises(AssertionError):
        Value(2.0) ** Value(3.0)


def test_tanh_does_not_overflow():
    assert Value(1000.0).tanh().data == 1.0
    assert Value(-1000.0).tanh().data == -1.0


# -----------------------------------------------------------------------------
# the lecture's worked examples

def test_derivative_of_polynomial():
    # f(x) = 3x^2 - 4x + 5
    for x0, f0, slope in [(3.0, 20.0, 14.0), (-3.0, 44.0, -22.0), (2 / 3, None, 0.0)]:
        x = Value(x0)
        f = 3 * x**2 - 4 * x + 5
        f.backward()
        if f0 is not None:
            assert f.data == approx(f0)
        assert x.grad == approx(slope, abs=1e-9)
    f = lambda x: 3 * x**2 - 4 * x + 5
    h = 1e-6
    assert (f(3.0 + h) - f(3.0)) / h == pytest.approx(14.000003, abs=1e-5)


def test_d_equals_a_times_b_plus_c():
    a, b, c = Value(2.0), Value(-3.0), Value(10.0)
    d = a * b + c
    d.backward()
    assert d.data == 4.0
    assert (a.grad, b.grad, c.grad) == (-3.0, 2.0, 1.0)


def manual_backprop_example_1(Value):
    a = Value(2.0, label='a')
    b = Value(-3.0, label='b')
    c = Value(10.0, label='c')
    e = a * b; e.label = 'e'
    d = e + c; d.label = 'd'
    f = Value(-2.0, label='f')
    L = d * f; L.label = 'L'
    return a, b, c, d, e, f, L


def test_manual_backprop_example_1():
    a, b, c, d, e, f, L = manual_backprop_example_1(Value)
    assert L.data == -8.0
    L.backward()
    grads = {v.label: v.grad for v in (a, b, c, d, e, f, L)}
    assert grads == {'L': 1.0, 'd': -2.0, 'f': 4.0, 'e': -2.0, 'c': -2.0, 'a': 6.0, 'b': -4.0}


def neuron_example_2(Value, decomposed=False):
    x1 = Value(2.0, label='x1')
    x2 = Value(0.0, label='x2')
    w1 = Value(-3.0, label='w1')
    w2 = Value(1.0, label='w2')
    b = Value(6.8813735870195432, label='b')
    x1w1 = x1 * w1; x1w1.label = 'x1*w1'
    x2w2 = x2 * w2; x2w2.label = 'x2*w2'
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
    n = x1w1x2w2 + b; n.label = 'n'
    if decomposed:
        e = (2 * n).exp()
        o = (e - 1) / (e + 1)
    else:
        o = n.tanh()
    o.label = 'o'
    o.backward()
    return dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, x1w1=x1w1, x2w2=x2w2, n=n, o=o)


EXAMPLE_2_GRADS = {'n': 0.5, 'b': 0.5, 'x1w1': 0.5, 'x2w2': 0.5,
                   'x1': -1.5, 'w1': 1.0, 'x2': 0.5, 'w2': 0.0}


def check_example_2(nodes):
    assert nodes['n'].data == pytest.approx(0.8814, abs=1e-4)
    assert nodes['o'].data == pytest.approx(0.7071, abs=1e-4)
    assert nodes['o'].data == approx(math.sqrt(0.5))
    for name, grad in EXAMPLE_2_GRADS.items():
        assert nodes[name].grad == pytest.approx(grad, abs=1e-6), name


def test_manual_backprop_example_2_neuron():
    check_example_2(neuron_example_2(Value))


def test_tanh_decomposed_gives_the_same_gradients():
    atomic = neuron_example_2(Value)
    decomposed = neuron_example_2(Value, decomposed=True)
    check_example_2(decomposed)
    for name in EXAMPLE_2_GRADS:
        assert decomposed[name].grad == pytest.approx(atomic[name].grad, abs=1e-12)


def test_reused_node_accumulates():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0


def test_reused_nodes_in_product_and_sum():
    a, b = Value(-2.0), Value(3.0)
    d = a * b
    e = a + b
    f = d * e
    f.backward()
    assert f.data == -6.0
    assert (a.grad, b.grad) == (-3.0, -8.0)


def test_backward_twice_accumulates_everywhere():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    c.backward()
    assert b.grad == 4.0  # the intermediate node accumulated too
    assert a.grad == 12.0  # not 8


def readme_expression(Value):
    """The expression from micrograd's README (test_more_ops)."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


def check_readme_numbers(Value):
    a, b, g = readme_expression(Value)
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_readme_expression():
    check_readme_numbers(Value)


def test_backward_sets_root_grad_to_one():
    x = Value(5.0)
    y = x * 2
    y.backward()
    assert y.grad == 1.0 and x.grad == 2.0


# -----------------------------------------------------------------------------
# neurons, layers, MLPs

def test_parameter_counts():
    assert len(MLP(3, [4, 4, 1]).parameters()) == 41
    assert len(MLP(2, [16, 16, 1], act="relu").parameters()) == 337
    assert len(MLP(2, [16, 16, 1]).parameters()) == 337
    assert len(Neuron(3).parameters()) == 4
    assert len(Layer(3, 4).parameters()) == 16
    assert Module().parameters() == []


def test_neuron_draws_weights_then_bias():
    random.seed(123)
    expected = [random.uniform(-1, 1) for _ in range(4)]
    random.seed(123)
    n = Neuron(3)
    assert [p.data for p in n.parameters()] == expected
    assert n.parameters()[-1] is n.b


def test_neuron_forward():
    n = Neuron(2)
    n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.0, 0.25
    x = [2.0, 3.0]
    raw = 0.5 * 2.0 - 1.0 * 3.0 + 0.25
    assert n(x).data == approx(math.tanh(raw))
    relu = Neuron(2, act="relu")
    relu.w[0].data, relu.w[1].data, relu.b.data = 0.5, -1.0, 0.25
    assert relu(x).data == 0
    linear = Neuron(2, nonlin=False)
    linear.w[0].data, linear.w[1].data, linear.b.data = 0.5, -1.0, 0.25
    assert linear(x).data == approx(raw)
    # the sum starts from b, like the lecture: (b + w0*x0) + w1*x1
    out = linear(x)
    assert linear.b not in out._prev
    assert any(linear.b in p._prev for p in out._prev if p._op == '+')


def test_layer_and_mlp_outputs():
    random.seed(1)
    layer = Layer(3, 4)
    out = layer([1.0, 2.0, 3.0])
    assert isinstance(out, list) and len(out) == 4
    single = Layer(3, 1)([1.0, 2.0, 3.0])
    assert isinstance(single, Value)  # one neuron: a Value, not a list
    net = MLP(3, [4, 4, 1])
    y = net([2.0, 3.0, -1.0])
    assert isinstance(y, Value) and -1 < y.data < 1


def test_activations_per_layer():
    tanh_net = MLP(3, [4, 4, 1])
    assert all(n.nonlin and n.act == "tanh" for l in tanh_net.layers for n in l.neurons)
    relu_net = MLP(2, [16, 16, 1], act="relu")
    assert [all(n.nonlin for n in l.neurons) for l in relu_net.layers] == [True, True, False]
    assert all(n.act == "relu" for l in relu_net.layers for n in l.neurons)
    logits_net = MLP(2, [8, 3], linear_out=True)
    assert [all(n.nonlin for n in l.neurons) for l in logits_net.layers] == [True, False]


def test_reprs():
    assert repr(Neuron(3)) == "TanhNeuron(3)"
    assert repr(Neuron(3, act="relu")) == "ReLUNeuron(3)"
    assert repr(Neuron(3, nonlin=False)) == "LinearNeuron(3)"
    assert repr(MLP(2, [2, 1], act="relu")) == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]")


def test_zero_grad():
    random.seed(0)
    net = MLP(3, [4, 4, 1])
    xs, ys = lecture_samples()
    squared_error_loss(net, xs, ys).backward()
    assert any(p.grad != 0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0 for p in net.parameters())


def test_mlp_gradients_match_finite_differences():
    random.seed(7)
    net = MLP(3, [4, 4, 1])
    xs, ys = lecture_samples()
    loss = squared_error_loss(net, xs, ys)
    net.zero_grad()
    loss.backward()
    h = 1e-6
    for p in net.parameters()[::5]:
        p.data += h
        up = squared_error_loss(net, xs, ys).data
        p.data -= 2 * h
        down = squared_error_loss(net, xs, ys).data
        p.data += h
        assert p.grad == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-7)


# -----------------------------------------------------------------------------
# training

# lecture-facts.md, as rounded there: 7.73 at step 0, 0.073 at 9, 0.021 at 19, 0.0118 at 29
LECTURE_LOSSES = {0: "7.73", 9: "0.073", 19: "0.021", 29: "0.0118"}
# the same run at full precision (up to float summation order)
LECTURE_LOSSES_EXACT = {0: 7.729794845790028, 9: 0.07254739339668723,
                        19: 0.02147940186774315, 29: 0.011818746619202045}


def test_lecture_training_reproduces_the_seed_0_losses():
    random.seed(0)
    net = MLP(3, [4, 4, 1])
    xs, ys = lecture_samples()
    history = train_lecture(net, xs, ys, steps=30, lr=0.1)
    assert len(history) == 30
    for step, shown in LECTURE_LOSSES.items():
        decimals = len(shown.split('.')[1])
        assert f"{history[step]:.{decimals}f}" == shown, (step, history[step])
        assert history[step] == approx(LECTURE_LOSSES_EXACT[step], rel=1e-9)
    assert history[19] > 0.01  # the lecture's 20 steps do not get under 0.01
    assert all(later < earlier for earlier, later in zip(history[2:], history[3:]))
    preds = [net(x).data for x in xs]
    assert all(p * y > 0 for p, y in zip(preds, ys))


def test_squared_error_loss():
    net = MLP(1, [1])
    n = net.layers[0].neurons[0]
    n.w[0].data, n.b.data = 1.0, 0.0
    loss = squared_error_loss(net, [[0.5], [-1.0]], [1.0, 0.0])
    assert loss.data == approx((math.tanh(0.5) - 1) ** 2 + math.tanh(-1.0) ** 2)


def test_max_margin_loss_by_hand():
    net = MLP(2, [1], act="relu")  # a single linear neuron: score = w.x + b
    n = net.layers[0].neurons[0]
    n.w[0].data, n.w[1].data, n.b.data = 1.0, -1.0, 0.5
    X = [[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]
    y = [1, 1, -1]
    # scores 1.5, -0.5, 0.5 -> margins max(0, 1 - y*s): 0, 1.5, 1.5
    loss, acc = max_margin_loss(net, X, y, alpha=1e-4)
    reg = 1e-4 * (1.0 + 1.0 + 0.25)
    assert loss.data == approx(3.0 / 3 + reg)
    assert acc == pytest.approx(1 / 3)


def run_without_gc(fn):
    """Run fn(collect) with the collector paused; collect() frees the last step's graph.

    With automatic collection off, everything allocated since the last collect
    is still in the youngest generation, so collecting generation 0 suffices.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return fn(lambda *args: gc.collect(0))
    finally:
        if was_enabled:
            gc.enable()


def test_moons_demo_reaches_full_training_accuracy():
    # the library demo, smaller: 40 points instead of 100, 20 steps instead of 100
    # (this seed first reaches 100% at step 11 and stays there)
    X, y = make_moons(n=40, noise=0.1, seed=2)
    random.seed(3)
    net = MLP(2, [16, 16, 1], act="relu")
    history = run_without_gc(lambda collect: train_moons(net, X, y, steps=20, on_step=collect))
    assert len(history) == 20
    loss0, acc0 = history[0]
    loss, acc = history[-1]
    assert acc0 < 0.9
    assert acc == 1.0
    assert loss < loss0 / 5
    scores = [net(x).data for x in X]
    assert all((s > 0) == (t > 0) for s, t in zip(scores, y))


def test_softmax():
    probs = softmax([Value(1.0), Value(2.0), Value(3.0)])
    z = sum(math.exp(v) for v in (1, 2, 3))
    assert [p.data for p in probs] == [approx(math.exp(v) / z) for v in (1, 2, 3)]
    big = softmax([Value(1000.0), Value(1000.0), Value(-1000.0)])  # no overflow
    assert [p.data for p in big] == [approx(0.5), approx(0.5), approx(0.0)]
    assert sum(p.data for p in big) == approx(1.0)


def test_cross_entropy_value_and_gradient():
    logits = [Value(0.5), Value(-1.0), Value(2.0)]
    loss = cross_entropy(logits, 2)
    z = sum(math.exp(v.data) for v in logits)
    probs = [math.exp(v.data) / z for v in logits]
    assert loss.data == approx(-math.log(probs[2]))
    loss.backward()
    # d loss / d logit_i = p_i - [i == target]
    for i, v in enumerate(logits):
        assert v.grad == approx(probs[i] - (i == 2))


def test_log_op_gradient():
    check_op(losses.log, *POSITIVE_POINTS)


def test_adamw_first_step_and_zero_grad():
    p, q = Value(1.0), Value(-2.0)
    opt = AdamW([p, q], lr=0.1, weight_decay=1e-4)
    assert (opt.lr, opt.beta1, opt.beta2, opt.eps) == (0.1, 0.9, 0.95, 1e-8)
    p.grad, q.grad = 3.0, -0.5
    opt.step()
    # bias-corrected first step: m_hat / sqrt(v_hat) = sign(grad)
    assert p.data == approx(1.0 - 0.1 * (1 + 1e-4 * 1.0), rel=1e-6)
    assert q.data == approx(-2.0 - 0.1 * (-1 + 1e-4 * -2.0), rel=1e-6)
    opt.zero_grad()
    assert (p.grad, q.grad) == (0.0, 0.0)


def test_adamw_minimises_a_quadratic():
    x = Value(3.0)
    opt = AdamW([x], lr=0.1, weight_decay=0.0)
    for _ in range(200):
        loss = (x - 1) ** 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert x.data == pytest.approx(1.0, abs=0.05)


def test_three_class_classifier_loss_falls():
    X, y = make_yinyang(n=60, seed=42)
    random.seed(0)
    net = MLP(2, [8, 3], linear_out=True)
    history = run_without_gc(
        lambda collect: train_classifier(net, X, y, steps=40, on_step=collect))
    assert len(history) == 40
    assert history[0] > 1.0
    assert history[-1] < 0.6
    assert history[-1] < 0.6 * history[0]
    correct = sum(max(range(3), key=lambda c: net(x)[c].data) == t for x, t in zip(X, y))
    assert correct / len(X) > 0.7


# -----------------------------------------------------------------------------
# drawing

def test_trace_collects_nodes_and_edges():
    a, b, c, d, e, f, L = manual_backprop_example_1(Value)
    nodes, edges = trace(L)
    assert nodes == {a, b, c, d, e, f, L}
    assert edges == {(a, e), (b, e), (e, d), (c, d), (d, L), (f, L)}


def test_draw_dot_source():
    a, b, c, d, e, f, L = manual_backprop_example_1(Value)
    L.backward()
    dot = draw_dot(L)
    src = dot.source
    assert dot.format == 'svg'
    assert 'rankdir=LR' in src
    assert "{ a | data 2.0000 | grad 6.0000 }" in src
    assert "{ L | data -8.0000 | grad 1.0000 }" in src
    assert "{ f | data -2.0000 | grad 4.0000 }" in src
    assert src.count('shape=record') == 7
    # one op node per computed value, named id + op, with an edge to the value
    for v in (e, d, L):
        assert f'"{id(v)}{v._op}" -> {id(v)}' in src
        assert f'"{id(v)}{v._op}" [label="{v._op}"]' in src
    assert f'{id(a)} -> "{id(e)}*"' in src
    assert f'{id(c)} -> "{id(d)}+"' in src
    assert draw_dot(L, format='png', rankdir='TB').format == 'png'


@pytest.mark.skipif(not GRAPHVIZ_PURE.exists(), reason="graphviz-pure not installed")
def test_draw_dot_renders_as_svg():
    nodes = neuron_example_2(Value, decomposed=True)
    dot = draw_dot(nodes['o'])
    result = subprocess.run([str(GRAPHVIZ_PURE), "-Tsvg"], input=dot.source.encode(),
                            capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    svg = result.stdout.decode()
    assert "<svg" in svg
    assert "x1*w1 + x2*w2" in svg
    assert "0.7071" in svg


# -----------------------------------------------------------------------------
# datasets

def test_lecture_samples():
    xs, ys = lecture_samples()
    assert xs == [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]]
    assert ys == [1, -1, -1, 1]
    xs[0][0] = 99  # a fresh copy every call
    assert lecture_samples()[0][0][0] == 2


def test_make_moons():
    X, y = make_moons(n=100, noise=0.1, seed=0)
    assert len(X) == len(y) == 100
    assert all(isinstance(x, list) and len(x) == 2 for x in X)
    assert all(isinstance(v, float) for x in X for v in x)
    assert set(y) == {-1, 1} and y.count(1) == 50 and y.count(-1) == 50
    assert make_moons(n=100, noise=0.1, seed=0) == (X, y)
    assert make_moons(n=100, noise=0.1, seed=1) != (X, y)
    assert all(-1.6 < x[0] < 2.6 and -1.1 < x[1] < 1.6 for x in X)
    # without noise every point lies on its half circle
    X0, y0 = make_moons(n=21, noise=0.0, seed=3)
    assert len(X0) == 21 and y0.count(-1) == 10 and y0.count(1) == 11
    for (px, py), label in zip(X0, y0):
        if label == -1:
            assert math.hypot(px, py) == approx(1.0) and py >= -1e-12
        else:
            assert math.hypot(px - 1, py - 0.5) == approx(1.0) and py <= 0.5 + 1e-12


def test_make_yinyang():
    X, y = make_yinyang(n=90, seed=42)
    assert len(X) == len(y) == 90
    assert all(len(x) == 2 and all(isinstance(v, float) for v in x) for x in X)
    assert y == [i % 3 for i in range(90)]  # balanced classes 0, 1, 2
    assert make_yinyang(n=90, seed=42) == (X, y)
    assert make_yinyang(n=90, seed=0)[0] != X
    assert all(math.hypot(*x) <= 2.0 + 1e-9 for x in X)  # inside the big disk
    # the dots (class 2) sit at (-1, 0) and (1, 0) with radius 0.4 after scaling
    for (px, py), c in zip(X, y):
        near_dot = min(math.hypot(px + 1, py), math.hypot(px - 1, py)) < 0.4
        assert near_dot == (c == 2)


# -----------------------------------------------------------------------------
# the reference stays small and dependency free

REFERENCE_FILES = ["engine.py", "nn.py", "viz.py", "datasets.py", "losses.py", "optim.py", "train.py"]


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_reference_imports_only_the_stdlib(name):
    tree = ast.parse((ROOT / "reference" / name).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split('.')[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split('.')[0])
    assert imported <= {"math", "random", "graphviz"}, imported


def test_engine_has_the_lecture_shape():
    methods = {n.name for n in ast.walk(ast.parse((ROOT / "reference" / "engine.py").read_text()))
               if isinstance(n, ast.FunctionDef)}
    assert {"__init__", "__repr__", "__add__", "__mul__", "__pow__", "__neg__", "__sub__",
            "__truediv__", "__radd__", "__rmul__", "__rsub__", "__rtruediv__",
            "tanh", "exp", "relu", "backward", "build_topo"} <= methods


# -----------------------------------------------------------------------------
# the fixtures: Karpathy's library and a lecture-style file

def test_karpathy_library_fixture_gives_the_readme_numbers():
    lib = load_module(FIXTURES / "karpathy" / "library.py", "karpathy_library")
    check_readme_numbers(lib.Value)
    assert not hasattr(lib.Value(1.0), "label")
    assert not hasattr(lib.Value, "tanh") and not hasattr(lib.Value, "exp")
    assert repr(lib.Value(2.0)) == "Value(data=2.0, grad=0)"
    random.seed(0)
    net = lib.MLP(2, [16, 16, 1])
    assert len(net.parameters()) == 337
    assert str(net.layers[-1]) == "Layer of [LinearNeuron(16)]"
    assert all(n.b.data == 0 for layer in net.layers for n in layer.neurons)


def test_karpathy_engine_fixture_alone():
    engine = load_module(FIXTURES / "karpathy" / "engine.py", "karpathy_engine")
    check_readme_numbers(engine.Value)
    a, b, c, d, e, f, L = manual_backprop_example_1(
        lambda data, label='': engine.Value(data))
    L.backward()
    assert (a.grad, b.grad, c.grad) == (6.0, -4.0, -2.0)


def test_karpathy_nn_fixture_with_its_engine(monkeypatch):
    engine = load_module(FIXTURES / "karpathy" / "engine.py", "engine")
    monkeypatch.setitem(sys.modules, "engine", engine)
    nn = load_module(FIXTURES / "karpathy" / "nn.py", "karpathy_nn")
    assert nn.Value is engine.Value
    net = nn.MLP(3, [4, 4, 1])
    assert len(net.parameters()) == 41
    out = net([2.0, 3.0, -1.0])
    out.backward()
    net.zero_grad()
    assert all(p.grad == 0 for p in net.parameters())


def test_lecture_style_fixture_gives_example_2():
    lec = load_module(FIXTURES / "lecture_style.py", "lecture_style")
    check_example_2(neuron_example_2(lec.Value))
    check_example_2(neuron_example_2(lec.Value, decomposed=True))
    assert not hasattr(lec.Value, "relu")
    assert repr(lec.Value(2.0)) == "Value(data=2.0)"


def test_lecture_style_fixture_trains_like_the_reference():
    lec = load_module(FIXTURES / "lecture_style.py", "lecture_style")
    xs, ys = lecture_samples()
    random.seed(0)
    n = lec.MLP(3, [4, 4, 1])
    assert len(n.parameters()) == 41
    history = []
    for k in range(10):
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.1 * p.grad
        history.append(loss.data)
    random.seed(0)
    reference = train_lecture(MLP(3, [4, 4, 1]), xs, ys, steps=10)
    assert history == [approx(v, rel=1e-9) for v in reference]
    assert history[0] == pytest.approx(7.73, rel=0.01)
    assert history[9] == pytest.approx(0.073, rel=0.01)
