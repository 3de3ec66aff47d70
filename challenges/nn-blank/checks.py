"""Hidden checks for nn-blank: Value, Neuron, Layer and MLP from an empty file.

Both forms pass: the lecture's (tanh everywhere) and the library's (relu neurons,
Neuron(nin, nonlin=True), a linear last layer, Module). The checks set the weights
themselves and need only +, * (with plain numbers), the activation and backward() from
the learner's Value.
"""

import math

import pytest

from gradrill.checks import attempt, expect_number, fail, fmt, is_value, need, num, in_both_orders
from gradrill.checks.engine import expect_plain_numbers, expect_reuse_grads
from gradrill.checks.nn import (
    activation, as_outputs, distinct, expect_random_init, LECTURE_XS, network, param_grads_fd, SCHEMES,
    schemes_matching, seed_network,
)

B = 6.8813735870195432
NEURON = "`sum((wi*xi for wi, xi in zip(self.w, x)), self.b)`, then `.tanh()` (or `.relu()`)"
CHAIN = "sizes chain: `sz = [nin] + nouts`; layer i is `Layer(sz[i], sz[i+1])`"


def build(learner, name, *args):
    cls = need(learner, name)
    return attempt(lambda: cls(*args), f"{name}({', '.join(map(str, args))})")


def params(obj, what):
    ps = attempt(lambda: list(obj.parameters()), f"{what}.parameters()")
    if any(isinstance(p, (list, tuple)) for p in ps):
        fail(f"{what}.parameters() returned a list of lists; expected one flat list of Values: flatten with "
             "`[p for x in ... for p in x.parameters()]`")
    if not all(is_value(p) for p in ps):
        fail(f"{what}.parameters() returned {fmt(ps)}; expected Values")
    return ps


def outputs(obj, x, what):
    out = attempt(lambda: obj(x), what)
    outs = as_outputs(out)
    if outs is None or not all(is_value(o) for o in outs):
        fail(f"{what} returned {fmt(out)}; expected Values")
    return outs


@pytest.mark.task(taskno=1)
@in_both_orders
def test_plain_numbers_on_either_side(learner):
    """a + 2, 2 + a, a * 3 and 3 * a work with a plain number, with the right gradients"""
    expect_plain_numbers(need(learner, "Value"))
def test_neuron(learner):
    """Neuron(nin): nin weights and a bias, output squash(w·x + b), parameters() of nin + 1"""
    n = build(learner, "Neuron", 2)
    w, b = getattr(n, "w", None), getattr(n, "b", None)
    if not isinstance(w, (list, tuple)) or len(w) != 2 or not all(is_value(v) for v in w) or not is_value(b):
        fail(f"Neuron(2) has w = {fmt(w)} and b = {fmt(b)}; expected `self.w`, a list of 2 Values, and `self.b`, "
             "a Value")
    if not distinct(list(w)):
        fail("Neuron(2).w holds one Value twice: `[Value(...)] * nin` repeats one object; build one per input")
    n.w[0].data, n.w[1].data, n.b.data = -3.0, 1.0, B
    seen = None
    for x in ([2.0, 0.0], [3.0, -1.0], [0.5, 1.0]):
        raw = -3.0 * x[0] + x[1] + B
        out = outputs(n, x, f"n({x})")
        got = out[0].data
        fits = activation(raw, got)
        after = f"n.w = [-3.0, 1.0], n.b = 6.8814, so w·x + b = {num(round(raw, 4))}"
        if fits == {"linear"}:
            fail(f"n({x}).data is {num(got)} after {after}: w·x + b is not squashed: {NEURON}")
        if not fits & {"tanh", "relu"}:
            hint = NEURON
            if activation(raw - B, got) & {"tanh", "relu"}:
                hint = f"that is the squashed w·x without the bias: {NEURON}"
            fail(f"n({x}).data is {num(got)} after {after}; expected tanh of it (or relu): {hint}")
        seen = fits if seen is None else seen & fits
        if not seen & {"tanh", "relu"}:
            fail(f"n({x}).data is {num(got)} after {after}: squashed differently from the other inputs")
    ps = params(n, "Neuron(2)")
    if len(ps) != 3 or {id(p) for p in ps} != {id(n.w[0]), id(n.w[1]), id(n.b)}:
        hint = "is the bias missing? " if len(ps) == 2 else ""
        fail(f"Neuron(2).parameters() has {len(ps)} Values; expected 3, the 2 weights and the bias: "
             f"{hint}`return self.w + [self.b]`")


@pytest.mark.task(taskno=2)
def test_layer(learner):
    """Layer(3, 4): 4 separate neurons of 3 inputs, 4 outputs, 16 parameters"""
    L = build(learner, "Layer", 3, 4)
    neurons = getattr(L, "neurons", None)
    if not isinstance(neurons, (list, tuple)) or len(neurons) != 4:
        fail(f"Layer(3, 4).neurons is {fmt(neurons)}; expected a list of 4 Neurons: "
             "`self.neurons = [Neuron(nin) for _ in range(nout)]`")
    if not distinct(list(neurons)):
        fail("Layer(3, 4).neurons holds one Neuron several times: `[Neuron(nin)] * nout` repeats one object; "
             "build each: `[Neuron(nin) for _ in range(nout)]`")
    outs = outputs(L, [1.0, 2.0, 0.5], "Layer(3, 4)([1.0, 2.0, 0.5])")
    if len(outs) != 4:
        fail(f"Layer(3, 4)(x) returned {len(outs)} Values; expected 4, one per neuron: `[n(x) for n in self.neurons]`")
    ps = params(L, "Layer(3, 4)")
    if len(ps) != 16 or not distinct(ps):
        fail(f"Layer(3, 4).parameters() has {len(ps)} entries ({len({id(p) for p in ps})} distinct); expected 16 "
             "distinct Values: `[p for n in self.neurons for p in n.parameters()]`")
    two = outputs(build(learner, "Layer", 3, 2), [1.0, 2.0, 0.5], "Layer(3, 2)([1.0, 2.0, 0.5])")
    if len(two) != 2:
        fail(f"Layer(3, 2)(x) returned {len(two)} Value(s); expected 2: only a layer of one neuron may return its "
             "output alone, `outs[0] if len(outs) == 1 else outs`")
    single = outputs(build(learner, "Layer", 3, 1), [1.0, 2.0, 0.5], "Layer(3, 1)([1.0, 2.0, 0.5])")
    if len(single) != 1:
        fail(f"Layer(3, 1)(x) returned {len(single)} Values; expected one (alone, or in a list of one)")


@pytest.mark.task(taskno=3)
def test_mlp_structure(learner):
    """MLP(3, [4, 4, 1]) chains 3 -> 4 -> 4 -> 1: 41 parameters; MLP(2, [16, 16, 1]) has 337"""
    model = build(learner, "MLP", 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    shape = [(len(layer), sorted({len(n.w) for n in layer})) for layer in neurons]
    if shape != [(4, [3]), (4, [4]), (1, [4])]:
        shown = ", ".join(f"{k} neuron{'s' * (k != 1)} of {'/'.join(map(str, ins))} inputs" for k, ins in shape)
        fail(f"MLP(3, [4, 4, 1]) has layers of {shown}; expected 4 neurons of 3 inputs, 4 of 4, 1 of 4: {CHAIN}")
    for nin, nouts, want in ((3, [4, 4, 1], 41), (2, [16, 16, 1], 337)):
        ps = params(build(learner, "MLP", nin, nouts), f"MLP({nin}, {nouts})")
        if len(ps) != want or not distinct(ps):
            hint = " (as many as without the biases: does Neuron.parameters() include b?)" if len(ps) == want - sum(nouts) else ""
            fail(f"MLP({nin}, {nouts}).parameters() has {len(ps)} entries ({len({id(p) for p in ps})} distinct); "
                 f"expected {want} distinct Values{hint}: "
                 "`[p for layer in self.layers for p in layer.parameters()]`")


@pytest.mark.task(taskno=3)
def test_mlp_forward(learner):
    """model(x) runs x through every layer: one output per sample, the network's function of x"""
    model = build(learner, "MLP", 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    seed_network(neurons, 1)
    outs = []
    for x in LECTURE_XS:
        o = outputs(model, x, f"model({x})")
        if len(o) != 1:
            fail(f"MLP(3, [4, 4, 1])({x}) returned {len(o)} Values; expected 1: one layer per entry of nouts")
        outs.append([o[0].data])
    if not schemes_matching(neurons, LECTURE_XS, outs):
        fail(f"with the weights set by the checks, MLP(3, [4, 4, 1]) gives {fmt([o[0] for o in outs])} on the "
             f"lecture's samples, which fits none of: {', '.join(SCHEMES)}: feed each layer's output to the next, "
             "`for layer in self.layers: x = layer(x)`")


@in_both_orders
@pytest.mark.task(taskno=1)
def test_a_value_used_twice(learner):
    """a Value used twice gets the gradient of both uses: a + a, a * a, and the activation's input added back"""
    Value = need(learner, "Value")
    act = "tanh" if hasattr(Value, "tanh") else "relu"
    slope = 1 - math.tanh(0.5) ** 2 if act == "tanh" else 1.0
    cases = (("a + a", lambda a: a + a, 2.0), ("a * a", lambda a: a * a, 1.0),
             (f"a.{act}() + a", lambda a: getattr(a, act)() + a, slope + 1))
    expect_reuse_grads(Value, 0.5, cases)


@in_both_orders
@pytest.mark.task(taskno=4)
def test_gradients(learner):
    """backward() through the whole MLP matches finite differences, for every parameter"""
    model = build(learner, "MLP", 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    seed_network(neurons, 1)
    cs = [1.0, -2.0, 0.5, 1.5]

    def loss():
        total = None
        for x, c in zip(LECTURE_XS, cs):
            term = outputs(model, x, f"model({x})")[0] * c
            total = term if total is None else total + term
        return total

    root = attempt(loss, "loss = model(x0)*1.0 + model(x1)*-2.0 + model(x2)*0.5 + model(x3)*1.5")
    attempt(root.backward, "loss.backward()")
    every = [p for layer in neurons for n in layer for p in list(n.w) + [n.b]]
    fd = param_grads_fd(every, lambda: loss().data)
    for k, (p, want) in enumerate(zip(every, fd)):
        expect_number(p.grad, want, f"parameter {k}'s grad (layer by layer, weights then bias)",
                      "backward() must reach every weight through +, * and the activation, each with its local "
                      "gradient (tanh: 1 - t**2; relu: out.data > 0), accumulated with +=",
                      after="loss = sum over the lecture's samples of c_k * model(x_k); loss.backward()", tol=1e-5)


@pytest.mark.task(taskno=1)
def test_random_init(learner):
    """weights start random in [-1, 1], different in every neuron"""
    a, b = build(learner, "Neuron", 20), build(learner, "Neuron", 20)
    for n in (a, b):
        if not isinstance(getattr(n, "w", None), (list, tuple)) or len(n.w) != 20:
            fail(f"Neuron(20).w is {fmt(getattr(n, 'w', None))}; expected a list of 20 Values")
    bs = [build(learner, "Neuron", 1).b for _ in range(20)]
    expect_random_init([w.data for w in a.w], [w.data for w in b.w], [v.data for v in bs], "Neuron(20)")
