"""Hidden checks for layer.

Both forms pass: the lecture's Layer (tanh neurons) and the library's (Layer(nin, nout,
**kwargs) of relu neurons). With one neuron, a layer may return a lone Value (as both do)
or a list of one Value.
"""

from gradrill.checks import attempt, expect_number, fail, fmt, is_value, need, num, in_both_orders
from gradrill.checks.engine import engine_hint
from gradrill.checks.nn import RELU_FLAT, as_outputs, distinct, param_grads_fd

X = [1.0, 2.0, 0.5]
PER_NEURON = "a layer is nout neurons, each taking all nin inputs: `[Neuron(nin) for _ in range(nout)]`"


def layer(learner, nin, nout):
    Layer = need(learner, "Layer")
    L = attempt(lambda: Layer(nin, nout), f"Layer({nin}, {nout})")
    neurons = getattr(L, "neurons", None)
    if not isinstance(neurons, (list, tuple)):
        fail(f"Layer({nin}, {nout}).neurons is {fmt(neurons)}; expected a list of {nout} Neurons: "
             f"keep them in `self.neurons`; {PER_NEURON}")
    return L


def outputs(L, x, nout, what):
    out = attempt(lambda: L(x), what)
    outs = as_outputs(out)
    if outs is None or not all(is_value(o) for o in outs):
        fail(f"{what} returned {fmt(out)}; expected a list of {nout} Values, one per neuron: "
             "`[n(x) for n in self.neurons]`")
    return outs


def set_weights(L, nin):
    """Distinct, positive weights (so relu neurons pass gradient too)."""
    for j, n in enumerate(L.neurons):
        for i, w in enumerate(n.w):
            w.data = 0.1 + 0.1 * ((3 * j + i) % 7)
        n.b.data = 0.05 * (j + 1)


def test_neurons(learner):
    """Layer(3, 4) holds 4 neurons of 3 inputs each"""
    L = layer(learner, 3, 4)
    sizes = [len(getattr(n, "w", ())) for n in L.neurons]
    if len(L.neurons) != 4:
        hint = ("nin and nout are swapped: " if len(L.neurons) == 3 and sizes and sizes[0] == 4 else "")
        fail(f"Layer(3, 4) has {len(L.neurons)} neurons with {sizes} weights; expected 4 neurons of 3 "
             f"weights each: {hint}{PER_NEURON}")
    if sizes != [3, 3, 3, 3]:
        fail(f"Layer(3, 4)'s neurons have {sizes} weights; expected 3 each (one per input): {PER_NEURON}")


def test_independent_neurons(learner):
    """the neurons are separate objects with their own weights"""
    L = layer(learner, 3, 4)
    if not distinct(list(L.neurons)):
        fail(f"Layer(3, 4).neurons holds {len({id(n) for n in L.neurons})} distinct Neuron(s), not 4: "
             "`[Neuron(nin)] * nout` repeats one object, so every output is the same; build a new Neuron "
             "each time: `[Neuron(nin) for _ in range(nout)]`")
    firsts = [n.w[0].data for n in L.neurons if getattr(n, "w", None)]
    if len(set(firsts)) < len(firsts):
        fail(f"Layer(3, 4)'s neurons start with the same first weight {fmt(firsts)}: each Neuron should "
             "draw its own random weights")


def test_outputs(learner):
    """L(x) returns one Value per neuron, each the neuron's own n(x) (Layer(3, 2) and Layer(3, 4))"""
    L2 = layer(learner, 3, 2)
    set_weights(L2, 3)
    outs = outputs(L2, X, 2, f"Layer(3, 2)({X})")
    if len(outs) != 2:
        fail(f"Layer(3, 2)({X}) returned {len(outs)} Value(s); expected 2, one per neuron: only a layer of one "
             "neuron may return its output unwrapped, `outs[0] if len(outs) == 1 else outs`")
    L = layer(learner, 3, 4)
    set_weights(L, 3)
    outs = outputs(L, X, 4, f"Layer(3, 4)({X})")
    if len(outs) != 4:
        fail(f"Layer(3, 4)({X}) returned {len(outs)} Values; expected 4, one per neuron: {PER_NEURON}")
    for j, (o, n) in enumerate(zip(outs, L.neurons)):
        want = attempt(lambda: n(X), f"L.neurons[{j}]({X})").data
        expect_number(o.data, want, f"L(x)[{j}].data", f"output {j} should be neuron {j}'s output, "
                      "`[n(x) for n in self.neurons]`, each neuron seeing the whole x", after=f"x = {X}")
    if len({round(o.data, 9) for o in outs}) == 1:
        fail(f"all 4 outputs of Layer(3, 4)({X}) are {num(outs[0].data)}: the neurons should differ: is one Neuron repeated (`[Neuron(nin)] * nout`), or does each neuron "
             "see something other than its own weights and the whole x?")


def test_single_neuron(learner):
    """Layer(3, 1)(x) gives one output: a lone Value or a list of one Value"""
    L = layer(learner, 3, 1)
    if len(L.neurons) != 1:
        fail(f"Layer(3, 1) has {len(L.neurons)} neurons; expected 1: {PER_NEURON}")
    set_weights(L, 3)
    outs = outputs(L, X, 1, f"Layer(3, 1)({X})")
    if len(outs) != 1:
        fail(f"Layer(3, 1)({X}) returned {len(outs)} Values; expected 1 (the lecture returns it unwrapped: "
             "`outs[0] if len(outs) == 1 else outs`)")
    expect_number(outs[0].data, L.neurons[0](X).data, "Layer(3, 1)(x).data",
                  "the single output should be the neuron's n(x)", after=f"x = {X}")


def test_parameters(learner):
    """parameters() is a flat list of every neuron's weights and bias: 4 · (3 + 1) = 16 Values"""
    L = layer(learner, 3, 4)
    params = attempt(lambda: list(L.parameters()), "Layer(3, 4).parameters()")
    if any(isinstance(p, (list, tuple)) for p in params):
        fail(f"Layer(3, 4).parameters() returned a list of {len(params)} lists (one per neuron); expected one "
             "flat list of 16 Values: flatten with `[p for n in self.neurons for p in n.parameters()]`")
    if not all(is_value(p) for p in params):
        fail(f"Layer(3, 4).parameters() returned {fmt(params)}; expected 16 Values")
    if len(params) != 16:
        hint = ("that is one neuron's worth: collect from every neuron, "
                if len(params) == 4 else "")
        fail(f"Layer(3, 4).parameters() has {len(params)} Values; expected 16 (4 neurons x (3 weights + 1 "
             f"bias)): {hint}`[p for n in self.neurons for p in n.parameters()]`")
    if not distinct(params):
        fail(f"Layer(3, 4).parameters() has 16 entries but only {len({id(p) for p in params})} distinct "
             "Values: is one neuron repeated? Build each with its own `Neuron(nin)`")
    ids = {id(p) for p in params}
    for j, n in enumerate(L.neurons):
        if not all(id(p) in ids for p in list(n.w) + [n.b]):
            fail(f"Layer(3, 4).parameters() misses some of neuron {j}'s weights or bias: collect from every "
                 "neuron in self.neurons")


@in_both_orders
def test_gradients(learner):
    """a loss over the outputs sends gradient to every neuron's weights and bias"""
    gradients(learner, ())


@in_both_orders
def test_gradients_of_negative_sums(learner):
    """where a neuron's w·x + b is negative the gradients match finite differences too (relu passes none)"""
    gradients(learner, (1, 3))


def gradients(learner, negative):
    """loss = sum((k+1) * L(x)[k]) for Layer(3, 4) with set weights (the neurons in ``negative`` get a bias of
    -5, so their w·x + b is negative); loss.backward(); every parameter's grad against finite differences."""
    L = layer(learner, 3, 4)
    set_weights(L, 3)
    for j in negative:
        L.neurons[j].b.data = -5.0

    def loss():
        outs = as_outputs(L(X))
        return sum(o * (k + 1) for k, o in enumerate(outs))

    total = attempt(loss, f"sum of (k+1) * L(x)[k] for x = {X}")
    if not is_value(total):
        fail(f"summing the layer's outputs gave {fmt(total)}; expected a Value")
    attempt(total.backward, "loss.backward()")
    params = [p for n in L.neurons for p in list(n.w) + [n.b]]
    fd = param_grads_fd(params, lambda: loss().data)
    after = f"loss = sum((k+1) * L(x)[k]); loss.backward(); x = {X}"
    if negative:
        after = ", ".join(f"neurons[{j}].b = -5.0" for j in negative) + f"; {after}"
    for idx, (p, want) in enumerate(zip(params, fd)):
        j, i = divmod(idx, 4)
        name = f"neurons[{j}].w[{i}]" if i < 3 else f"neurons[{j}].b"
        flat = j in negative and all(abs(g) < 1e-9 for g in fd[4 * j:4 * j + 4])  # a relu neuron, switched off
        hint = (f"neuron {j} is relu, and {RELU_FLAT}" if flat else
                "every neuron must be in the graph, each with its own parameters")
        expect_number(p.grad, want, f"{name}.grad", lambda: engine_hint(need(learner, "Value"), hint), after=after,
                      tol=1e-5)
