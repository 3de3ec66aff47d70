"""Hidden checks for neuron.

Both forms pass: the lecture's Neuron (tanh, random bias) and the library's
(Neuron(nin, nonlin=True) with relu and a bias that starts at 0). The checks set the
weights and bias themselves and work out which squashing the neuron applies.
"""

import math

from gradrill.checks import attempt, expect_number, fail, fmt, is_value, need, num, value, in_both_orders
from gradrill.checks.engine import engine_hint
from gradrill.checks.nn import RELU_FLAT, activation, distinct, param_grads_fd

B = 6.8813735870195432  # the lecture's bias: w·x + b = 0.8814 for x = [2, 0], tanh of it = 0.7071
SETUP = "n = Neuron(2); n.w[0].data, n.w[1].data, n.b.data = -3.0, 1.0, 6.8814"


def ALL_PAIRS(x):
    """w·x + b with every weight times every input (a double loop) for the lecture's w = [-3, 1]."""
    return (-3.0 + 1.0) * sum(x) + B


ALL_PAIRS_WHY = ("that is every weight times every input (`for wi in self.w for xi in x`, a double loop): pair "
                 "each weight with its own input, `zip(self.w, x)`")


def neuron(learner, nin):
    Neuron = need(learner, "Neuron")
    n = attempt(lambda: Neuron(nin), f"Neuron({nin})")
    w, b = getattr(n, "w", None), getattr(n, "b", None)
    if not isinstance(w, (list, tuple)) or len(w) != nin or not all(is_value(wi) for wi in w):
        fail(f"Neuron({nin}).w is {fmt(w)}; expected a list of {nin} Values, one weight per input: "
             "`self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]`")
    if not is_value(b):
        fail(f"Neuron({nin}).b is {fmt(b)}; expected a Value: the bias, `self.b = Value(random.uniform(-1, 1))`")
    return n


def lecture_neuron(learner):
    n = neuron(learner, 2)
    if not distinct(list(n.w)):
        fail("n.w holds the same Value twice, so the checks cannot set w[0] and w[1] apart: "
             "`[Value(...)] * nin` repeats one object; build a new Value for each input in a comprehension")
    n.w[0].data, n.w[1].data, n.b.data = -3.0, 1.0, B
    return n


def forward(n, x, what):
    out = attempt(lambda: n(x), what)
    if not is_value(out):
        fail(f"{what} returned {fmt(out)}; expected a Value: "
             "`__call__` should build w·x + b out of Values, squash it, and return the result")
    return out


def test_weights_and_bias(learner):
    """Neuron(3) has 3 weights and a bias, each its own Value"""
    n = neuron(learner, 3)
    if not distinct(list(n.w)):
        fail(f"Neuron(3).w holds {len({id(w) for w in n.w})} distinct Value(s), not 3: `[Value(...)] * nin` "
             "repeats one object, so every input shares one weight; build a new Value for each input: "
             "`[Value(random.uniform(-1, 1)) for _ in range(nin)]`")
    if any(n.b is w for w in n.w):
        fail("Neuron(3).b is one of the weights: the bias must be a Value of its own")


def test_forward(learner):
    """n(x) is the squashed w·x + b (the lecture's neuron: x = [2.0, 0.0], o = 0.7071)"""
    n = lecture_neuron(learner)
    out = forward(n, [2.0, 0.0], "n([2.0, 0.0])")
    raw = 2.0 * -3.0 + 0.0 * 1.0 + B
    got = out.data
    if activation(raw, got) & {"tanh", "relu"}:
        return
    without_b = raw - B
    message = (f"n([2.0, 0.0]).data is {num(got)} after {SETUP}; expected tanh(w·x + b) = "
               f"tanh({num(round(raw, 4))}) = {num(round(math.tanh(raw), 4))} (or relu: {num(round(raw, 4))})")
    if activation(without_b, got):
        fail(message + ": that is the squashed w·x without b: start the sum from the bias, "
                       "`sum((wi*xi for wi, xi in zip(self.w, x)), self.b)`")
    if activation(ALL_PAIRS([2.0, 0.0]), got):
        fail(message + ": " + ALL_PAIRS_WHY)
    fail(message + ": add every wi*xi and the bias, then apply tanh")


def test_squashes(learner):
    """the neuron squashes its sum, the same way for every input"""
    n = lecture_neuron(learner)
    seen = None
    for x in ([2.0, 0.0], [3.0, -1.0], [0.5, 1.0], [-1.0, -2.0]):
        raw = x[0] * -3.0 + x[1] * 1.0 + B
        got = forward(n, x, f"n({x})").data
        fits = activation(raw, got)
        after = f"{SETUP}; w·x + b = {num(round(raw, 4))}"
        if fits == {"linear"}:
            fail(f"n({x}).data is {num(got)} after {after}: that is w·x + b itself, not squashed; expected "
                 f"tanh of it, {num(round(math.tanh(raw), 4))} (or relu: {num(round(max(0.0, raw), 4))}): "
                 "return `act.tanh()`, not `act`")
        if not fits & {"tanh", "relu"}:
            why = (ALL_PAIRS_WHY if activation(ALL_PAIRS(x), got) else
                   "add every wi*xi and the bias, then squash")
            fail(f"n({x}).data is {num(got)} after {after}; expected tanh(w·x + b) = "
                 f"{num(round(math.tanh(raw), 4))} (or relu: {num(round(max(0.0, raw), 4))}): {why}")
        seen = fits if seen is None else seen & fits
        if not seen & {"tanh", "relu"}:
            fail(f"n({x}).data is {num(got)} after {after}: the neuron squashed earlier inputs differently; "
                 "apply one activation, always")


def gradients(learner, x1):
    """o = n([x1, 0.5]) on the lecture's neuron with w[1] = 0.5; o.backward(); every leaf's grad against finite
    differences."""
    Value = need(learner, "Value")
    n = lecture_neuron(learner)
    n.w[1].data = 0.5
    raw = -3.0 * x1 + 0.5 * 0.5 + B
    x = [value(Value, x1, label="x1"), value(Value, 0.5, label="x2")]
    o = forward(n, x, "n([x1, x2])")
    attempt(o.backward, "o.backward()")
    leaves = [("w[0]", n.w[0]), ("w[1]", n.w[1]), ("b", n.b), ("x1", x[0]), ("x2", x[1])]
    fd = param_grads_fd([leaf for _, leaf in leaves], lambda: n(x).data)
    after = (f"n.w = [-3.0, 0.5], n.b = 6.8814; x1, x2 = Value({num(x1)}), Value(0.5) (w·x + b = {num(round(raw, 4))}); "
             "o = n([x1, x2]); o.backward()")
    flat = raw < 0 and all(abs(g) < 1e-9 for g in fd)  # a relu neuron on a negative sum
    for (name, leaf), want in zip(leaves, fd):
        hint = (f"the neuron is relu, and {RELU_FLAT}" if flat else
                "the gradient must reach every weight, the bias and the inputs through the Value operations: "
                "build the sum from the Values themselves (no `.data` in __call__)")
        expect_number(leaf.grad, want, f"{name}.grad", lambda: engine_hint(Value, hint), after=after, tol=1e-5)
    if not flat and all(leaf.grad == 0 for _, leaf in leaves):
        fail(f"every gradient is 0 after {after}: is the output built from w and b?")


@in_both_orders
def test_gradients(learner):
    """after o.backward(), w, b and the inputs hold gradients that match finite differences"""
    gradients(learner, 2.0)  # w·x + b = 1.13: relu passes gradient too


@in_both_orders
def test_gradients_of_a_negative_sum(learner):
    """where w·x + b is negative the gradients match finite differences too (relu passes none)"""
    gradients(learner, 3.0)  # w·x + b = -1.87


def test_parameters(learner):
    """parameters() lists every weight and the bias, once each"""
    n = neuron(learner, 3)
    params = attempt(lambda: list(n.parameters()), "Neuron(3).parameters()")
    want = list(n.w) + [n.b]
    ids = {id(p) for p in params}
    if not all(is_value(p) for p in params):
        fail(f"Neuron(3).parameters() returned {fmt(params)}; expected a flat list of 4 Values: "
             "`return self.w + [self.b]`")
    if id(n.b) not in ids:
        fail(f"Neuron(3).parameters() has {len(params)} Values but not the bias b; expected the 3 weights "
             "and b: `return self.w + [self.b]` (the bias learns too)")
    missing = [i for i, w in enumerate(n.w) if id(w) not in ids]
    if missing:
        fail(f"Neuron(3).parameters() lacks weight(s) {missing}; expected all 3 weights and b: "
             "`return self.w + [self.b]`")
    if len(ids) != len(params):
        fail(f"Neuron(3).parameters() has {len(params)} entries but only {len(ids)} distinct Values; expected "
             "4 different Values (3 weights, 1 bias), each once")
    if len(params) != len(want):
        fail(f"Neuron(3).parameters() has {len(params)} Values; expected 4: the 3 weights and the bias")


def test_random_weights(learner):
    """weights start random in [-1, 1], different for every input and every neuron"""
    a, b = neuron(learner, 20), neuron(learner, 20)
    ws = [w.data for w in a.w]
    if any(not isinstance(v, (int, float)) or not -1.0 <= v <= 1.0 for v in ws):
        fail(f"Neuron(20).w has data {fmt(ws)}; expected numbers drawn from random.uniform(-1, 1)")
    if len(set(ws)) < 15:
        fail(f"Neuron(20).w has only {len(set(ws))} distinct starting values; expected 20 random ones: "
             "draw each weight with random.uniform(-1, 1)")
    if ws == [w.data for w in b.w]:
        fail("two Neuron(20)s start with the same weights: draw them with random.uniform(-1, 1) in __init__, "
             "once per neuron")
    # 20 draws from uniform(-1, 1) all on one side of 0 happen once in 500,000 (and the grader seeds random)
    if all(v >= 0 for v in ws) or all(v <= 0 for v in ws):
        fail(f"Neuron(20).w has data {fmt(ws)}, all {'positive' if ws[0] >= 0 else 'negative'}; expected numbers "
             "drawn from all of [-1, 1]: `random.uniform(-1, 1)`")


def test_random_bias(learner):
    """the bias starts random in [-1, 1] (or at 0, as in the library), different for every neuron"""
    bs = [neuron(learner, 1).b.data for _ in range(20)]
    if all(v == 0 for v in bs):
        return  # the library's neuron: the bias starts at 0
    if any(not isinstance(v, (int, float)) or not -1.0 <= v <= 1.0 for v in bs):
        fail(f"the biases of 20 Neuron(1)s are {fmt(bs)}; expected numbers drawn from random.uniform(-1, 1) "
             "(or 0, as the library does)")
    if len(set(bs)) < 15 or all(v >= 0 for v in bs) or all(v <= 0 for v in bs):
        fail(f"the biases of 20 Neuron(1)s are {fmt(bs)}; expected each drawn from all of [-1, 1]: "
             "`self.b = Value(random.uniform(-1, 1))` (or 0 for every neuron, as the library does)")
