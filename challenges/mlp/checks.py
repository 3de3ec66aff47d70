"""Hidden checks for mlp.

Both forms pass: the lecture's MLP (tanh in every layer) and the library's (relu hidden
layers, a linear last layer). The checks give every weight a seeded value themselves, so
relu networks are checked on the same numbers every time.
"""

from gradrill.checks import attempt, expect_number, fail, fmt, is_value, need, num, in_both_orders
from gradrill.checks.engine import engine_hint
from gradrill.checks.nn import (
    as_outputs, distinct, LECTURE_XS, LECTURE_YS, network, param_grads_fd, SCHEMES, schemes_matching,
    seed_network,
)

CHAIN = "sizes chain: `sz = [nin] + nouts`, and layer i is `Layer(sz[i], sz[i+1])`"
FEED = "each layer's output is the next layer's input: `for layer in self.layers: x = layer(x)`, then `return x`"


def mlp(learner, nin, nouts):
    MLP = need(learner, "MLP")
    return attempt(lambda: MLP(nin, list(nouts)), f"MLP({nin}, {list(nouts)})")


def predict(model, x, what):
    out = attempt(lambda: model(x), what)
    outs = as_outputs(out)
    if outs is None or not all(is_value(o) for o in outs):
        fail(f"{what} returned {fmt(out)}; expected Values: run x through every layer, `x = layer(x)`, "
             "and return the last layer's output")
    return outs


def test_layer_sizes(learner):
    """MLP(3, [4, 4, 1]) has layers of 4, 4 and 1 neurons taking 3, 4 and 4 inputs"""
    neurons = network(mlp(learner, 3, [4, 4, 1]), "MLP(3, [4, 4, 1])")
    got = [(len(layer), sorted({len(n.w) for n in layer})) for layer in neurons]
    want = [(4, [3]), (4, [4]), (1, [4])]
    if got == want:
        return
    shape = ", ".join(f"{n} neuron{'s' * (n != 1)} of {'/'.join(map(str, ins))} inputs" for n, ins in got)
    message = (f"MLP(3, [4, 4, 1]) has {len(got)} layers: {shape}; expected 3 layers: 4 neurons of 3 inputs, "
               "4 of 4, 1 of 4")
    if len(got) == 2 and got == want[:2]:
        fail(f"{message}: the last layer is missing: one Layer per entry of nouts, "
             "`for i in range(len(nouts))`")
    if len(got) == 3 and all(ins == [3] for _, ins in got):
        fail(f"{message}: every layer takes nin inputs, but a layer takes as many inputs as the layer "
             f"before it has neurons: {CHAIN}")
    fail(f"{message}: {CHAIN}")


def test_parameter_count(learner):
    """parameters(): 41 Values for MLP(3, [4, 4, 1]), 337 for MLP(2, [16, 16, 1])"""
    for nin, nouts, want in ((3, [4, 4, 1], 41), (2, [16, 16, 1], 337)):
        what = f"MLP({nin}, {nouts}).parameters()"
        params = attempt(lambda: list(mlp(learner, nin, nouts).parameters()), what)
        if any(isinstance(p, (list, tuple)) for p in params):
            fail(f"{what} returned a list of {len(params)} lists (one per layer); expected one flat list of "
                 f"{want} Values: flatten with `[p for layer in self.layers for p in layer.parameters()]`")
        if not all(is_value(p) for p in params):
            fail(f"{what} returned {fmt(params)}; expected {want} Values")
        sizes = " + ".join(f"{o}·({i}+1)" for i, o in zip([nin] + nouts, nouts))
        if len(params) != want:
            hint = "collect the parameters of every layer"
            if nin == 3 and len(params) == 36:
                hint = ("36 is what MLP(3, [4, 4, 1]) has with every layer taking 3 inputs (4·4 + 4·4 + 1·4) "
                        f"or with the last layer missing (4·4 + 4·5): {CHAIN}, one layer per entry of nouts")
            fail(f"{what} has {len(params)} Values; expected {want} = {sizes}: {hint}")
        if not distinct(params):
            fail(f"{what} has {want} entries but only {len({id(p) for p in params})} distinct Values")


def test_feeds_forward(learner):
    """each layer's output feeds the next layer"""
    model = mlp(learner, 3, [4, 4, 1])
    network(model, "MLP(3, [4, 4, 1])")
    layers = model.layers
    for x in LECTURE_XS:
        outs = predict(model, x, f"MLP(3, [4, 4, 1])({x})")
        h = x
        for i, layer in enumerate(layers):
            h = attempt(lambda: layer(h), f"model.layers[{i}](...)")
        want = as_outputs(h)
        if len(outs) != len(want) or not all(abs(a.data - b.data) < 1e-9 for a, b in zip(outs, want)):
            fail(f"MLP(3, [4, 4, 1])({x}) is {fmt(outs)}, but running x through model.layers one after the "
                 f"other gives {fmt(want)}: {FEED}")


def test_one_output(learner):
    """MLP(3, [4, 4, 1]) gives one prediction per sample on the lecture's four samples"""
    model = mlp(learner, 3, [4, 4, 1])
    preds = []
    for x in LECTURE_XS:
        outs = predict(model, x, f"MLP(3, [4, 4, 1])({x})")
        if len(outs) != 1:
            fail(f"MLP(3, [4, 4, 1])({x}) returned {len(outs)} Values; expected 1, the last layer's single "
                 "neuron: is the last entry of nouts (1) made into a layer? One layer per entry of nouts")
        preds.append(outs[0].data)
    if len({round(p, 12) for p in preds}) == 1:
        fail(f"MLP(3, [4, 4, 1]) predicts {num(preds[0])} for all four samples: {FEED}")


def test_computes_the_network(learner):
    """the output is the network's function of x: each layer squashes w·x + b, layer after layer"""
    model = mlp(learner, 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    seed_network(neurons, 1)
    outs = [[o.data for o in predict(model, x, f"MLP(3, [4, 4, 1])({x})")] for x in LECTURE_XS]
    if not schemes_matching(neurons, LECTURE_XS, outs):
        fail(f"with the weights set by the checks, MLP(3, [4, 4, 1]) gives {fmt([o[0] for o in outs])} for the "
             f"lecture's four samples; that fits none of: {', '.join(SCHEMES)}: {FEED}")


@in_both_orders
def test_gradients_reach_first_layer(learner):
    """the loss's gradient reaches the first layer's weights (matching finite differences)"""
    Value = need(learner, "Value")
    model = mlp(learner, 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    seed_network(neurons, 1)

    def loss():
        preds = []
        for x in LECTURE_XS:
            outs = as_outputs(model(x))
            if outs is None or len(outs) != 1:
                fail(f"MLP(3, [4, 4, 1])({x}) returned {fmt(outs)}; expected one Value: one layer per entry of "
                     "nouts, the last with a single neuron")
            preds.append(outs[0])
        return sum((p - y)**2 for p, y in zip(preds, LECTURE_YS))

    total = attempt(loss, "loss = sum((model(x) - y)**2 for the lecture's samples)")
    attempt(total.backward, "loss.backward()")
    first = [p for n in neurons[0] for p in list(n.w) + [n.b]]
    fd = param_grads_fd(first, lambda: loss().data)
    after = "loss = sum((model(x) - y)**2) over the lecture's four samples; loss.backward()"
    for k, (p, want) in enumerate(zip(first, fd)):
        expect_number(p.grad, want, f"first-layer parameter {k}'s grad", lambda: engine_hint(Value, FEED),
                      after=after, tol=1e-5)
    if all(p.grad == 0 for p in first):
        fail(f"every first-layer gradient is 0 after {after}: the first layer's output never reaches the "
             f"loss: {FEED}")
