"""Hidden checks for final-checkpoint: the whole of micrograd from an empty file.

- the engine: every operation alone, re-used nodes, and seeded random expressions (graphs
  with shared sub-expressions) against finite differences;
- the network: structure, parameter counts, forward, zero_grad;
- training: train() step by step against gradient descent, the learner's own MLP driven
  under 0.01 on the lecture's data, and the learner's engine training a relu network to
  100% on a small two moons with the library demo's max-margin loop.

Training runs with the garbage collector paused (see gradrill.checks.nn.gc_paused): a straight
lecture implementation grades in a few seconds.
"""

import inspect
import math
import random

import pytest

from gradrill.checks import attempt, close, data_of, fail, fmt, is_value, need, num, value, in_both_orders
from gradrill.checks.engine import ACCUMULATE, expect_reuse_grads
from gradrill.checks.nn import (
    as_outputs, CheckMLP, descend, DESCENT_MISTAKES, distinct, expect_random_init, gc_paused, LECTURE_XS, LECTURE_YS,
    make_moons, name_descent_mistake, network, SCHEMES, schemes_matching, seed_network, squared_error,
)

VISITED = ("backward() must run each node's _backward once, after all its uses: build the topological order "
           "with a `visited` set")
LOOP = ("each step: the loss sum((model(x) - y)**2); zero the grads; loss.backward(); p.data += -lr * p.grad; "
        "losses.append(loss.data)")

# ---------------------------------------------------------------------------------------
# The operations, on floats and on Values: (name, arity, float fn, Value fn, text, domain)

F, V = 0, 1
POWER = ("the power rule: n * x**(n-1) * out.grad, with the parentheses (`self.data**other-1` is "
         "(x**n) - 1, since ** binds tighter than -)")
OPS = {
    "+": (2, lambda a, b: a + b, lambda a, b: a + b, "{0} + {1}", None, "the local gradient of + is 1 for each input"),
    "-": (2, lambda a, b: a - b, lambda a, b: a - b, "{0} - {1}", None, "a - b is a + (-b)"),
    "*": (2, lambda a, b: a * b, lambda a, b: a * b, "{0} * {1}", None,
          "each input of a * b gets the other's data times out.grad"),
    "/": (2, lambda a, b: a / b, lambda a, b: a / b, "{0} / {1}", lambda a, b: abs(b) > 0.3, "a / b is a * b**-1"),
    "neg": (1, lambda a: -a, lambda a: -a, "-{0}", None, "-a is a * -1"),
    "**2": (1, lambda a: a**2, lambda a: a**2, "{0}**2", None, POWER),
    "**3": (1, lambda a: a**3, lambda a: a**3, "{0}**3", lambda a: abs(a) < 3, POWER),
    "**-1": (1, lambda a: a**-1, lambda a: a**-1, "{0}**-1", lambda a: abs(a) > 0.3,
             POWER),
    "tanh": (1, math.tanh, lambda a: a.tanh(), "{0}.tanh()", None, "tanh's local gradient is 1 - t**2"),
    "exp": (1, math.exp, lambda a: a.exp(), "{0}.exp()", lambda a: a < 4, "exp's local gradient is out.data (e^x)"),
    "relu": (1, lambda a: max(0.0, a), lambda a: a.relu(), "{0}.relu()", lambda a: abs(a) > 0.05,
             "relu passes out.grad where its output is positive and 0 elsewhere: (out.data > 0) * out.grad"),
    "c+": (1, lambda a: 1.5 + a, lambda a: 1.5 + a, "1.5 + {0}", None, "__radd__: 1.5 + a is a + 1.5"),
    "c-": (1, lambda a: 1.5 - a, lambda a: 1.5 - a, "1.5 - {0}", None, "__rsub__: 1.5 - a is 1.5 + (-a)"),
    "c*": (1, lambda a: -2.0 * a, lambda a: -2.0 * a, "-2.0 * {0}", None, "__rmul__: -2.0 * a is a * -2.0"),
    "c/": (1, lambda a: 2.0 / a, lambda a: 2.0 / a, "2.0 / {0}", lambda a: abs(a) > 0.3,
           "__rtruediv__: 2.0 / a is 2.0 * a**-1"),
    "+c": (1, lambda a: a + 0.5, lambda a: a + 0.5, "{0} + 0.5", None, "wrap a plain number in a Value"),
    "*c": (1, lambda a: a * 3.0, lambda a: a * 3.0, "{0} * 3.0", None, "wrap a plain number in a Value"),
    "/c": (1, lambda a: a / 4.0, lambda a: a / 4.0, "{0} / 4.0", None, "a / 4.0 is a * 4.0**-1"),
    "-c": (1, lambda a: a - 1.0, lambda a: a - 1.0, "{0} - 1.0", None, "a - 1.0 is a + (-1.0)"),
}


# test_each_operation's order: the basic ops first, then those built from them (a / b is a * b**-1), so the
# first failure names the op that is wrong, not one that only uses it. (OPS keeps its own order: the
# random expressions draw from it.)
EACH_ORDER = ["+", "*", "+c", "*c", "neg", "-", "-c", "**2", "**3", "**-1", "/", "/c", "c+", "c*", "c-", "c/",
              "tanh", "exp", "relu"]
assert sorted(EACH_ORDER) == sorted(OPS)


class Program:
    """A little straight-line program over leaves a, b, c: t1 = op(...), t2 = op(...), ..."""

    def __init__(self, leaves, steps):
        self.leaves = leaves        # float values of a, b, c
        self.steps = steps          # [(op, (arg indices))]; index < 3 is a leaf, else steps[index - 3]

    def run(self, xs, backend, Value=None):
        env = list(xs) if backend == F else [value(Value, x, label=n) for x, n in zip(xs, "abc")]
        for op, args in self.steps:
            fn = OPS[op][1 + backend]
            env.append(fn(*(env[i] for i in args)))
        return env

    def names(self):
        return list("abc") + [f"t{k + 1}" for k in range(len(self.steps))]

    def text(self):
        names = self.names()
        setup = ", ".join(f"{n} = Value({num(x)})" for n, x in zip("abc", self.leaves))
        lines = [f"t{k + 1} = " + OPS[op][3].format(*(names[i] for i in args)) for k, (op, args) in enumerate(self.steps)]
        return f"{setup}; " + "; ".join(lines) + f"; t{len(self.steps)}.backward()"


def random_program(rng, n_ops):
    while True:
        leaves = [round(rng.choice([-1, 1]) * rng.uniform(0.4, 1.8), 2) for _ in range(3)]
        vals = list(leaves)
        steps = []
        names = list(OPS)
        while len(steps) < n_ops:
            op = rng.choice(names)
            arity, f, _, _, ok, _ = OPS[op]
            # prefer recent nodes, so the graph is deep, but re-use old ones too
            args = tuple(rng.choice([len(vals) - 1, len(vals) - 2, rng.randrange(len(vals))]) for _ in range(arity))
            xs = [vals[i] for i in args]
            if ok is not None and not ok(*xs):
                continue
            y = f(*xs)
            if not math.isfinite(y) or abs(y) > 50:
                continue
            vals.append(y)
            steps.append((op, args))
        # fold every node nothing else uses (leaves included) into the output, so all of it counts
        used = {i for _, args in steps for i in args}
        for i in range(len(vals) - 1):
            if i not in used:
                y = vals[-1] + vals[i]
                vals.append(y)
                steps.append(("+", (len(vals) - 2, i)))
        reused = len({i for _, args in steps for i in args}) < sum(len(a) for _, a in steps)
        if reused and all(abs(v) <= 100 for v in vals):
            return Program(leaves, steps)


def op_error_hint(exc):
    text = str(exc)
    if isinstance(exc, TypeError) and "unsupported operand" in text:
        return ("Python found no way to combine a plain number and a Value: define the reflected methods "
                "(__radd__ for 1.5 + a, __rsub__ for 1.5 - a, __rmul__ for 2 * a, __rtruediv__ for 2.0 / a), and "
                "wrap plain numbers in __add__ and __mul__")
    if isinstance(exc, AttributeError) and "'data'" in text:
        return "a plain number reached an operation that reads other.data: wrap it first, `other = other if isinstance(other, Value) else Value(other)`"
    if isinstance(exc, AttributeError):
        return "your Value lacks an operation the prompt lists"
    if isinstance(exc, RecursionError):
        return "a reflected method calls itself: put the Value first, e.g. __radd__ returns `self + other`"
    return ""


def check_program(learner, prog, hint=""):
    Value = need(learner, "Value")
    env = attempt(lambda: prog.run(prog.leaves, V, Value), prog.text().rsplit(";", 1)[0], op_error_hint)
    want = prog.run(prog.leaves, F)
    names = prog.names()
    for k in range(3, len(env)):
        if not is_value(env[k]):
            fail(f"{names[k]} is {fmt(env[k])}, not a Value, in {prog.text()}: every operation must return a Value"
                 f" ({OPS[prog.steps[k - 3][0]][5]})")
        if not close(env[k].data, want[k], 1e-9):
            op = prog.steps[k - 3][0]
            fail(f"{names[k]}.data is {num(env[k].data)}; expected {num(want[k])}, in {prog.text()}: "
                 f"`{OPS[op][3].format('x', 'y')}` computes the wrong number ({OPS[op][5]})")
    out = env[-1]
    attempt(out.backward, f"backward() in {prog.text()}")
    h = 1e-6
    for i, n in enumerate("abc"):
        up, down = list(prog.leaves), list(prog.leaves)
        up[i] += h
        down[i] -= h
        g = (prog.run(up, F)[-1] - prog.run(down, F)[-1]) / (2 * h)
        if not close(env[i].grad, g, 1e-5):
            fail(f"{n}.grad is {num(env[i].grad)}; expected {num(round(g, 6))} (by finite differences), in "
                 f"{prog.text()}: " + (hint or f"check the local gradient of each operation used, and {ACCUMULATE}"))


# ---------------------------------------------------------------------------------------
# The engine


@in_both_orders
@pytest.mark.task(taskno=1)
def test_each_operation(learner):
    """every operation alone: its value and its gradients (a = 1.3, b = -0.7)"""
    for op in EACH_ORDER:
        arity = OPS[op][0]
        steps = [(op, (0, 1) if arity == 2 else (0,))]
        if arity == 1:
            steps.append(("+", (3, 1)))  # keep b in the graph
        leaves = [1.3, -0.7, 0.9] if op != "relu" else [-1.3, -0.7, 0.9]
        prog = Program(leaves, steps)
        check_program(learner, prog, hint=OPS[op][5])
        if op == "relu":
            check_program(learner, Program([1.3, -0.7, 0.9], steps), hint=OPS[op][5])


@in_both_orders
@pytest.mark.task(taskno=1)
def test_reused_nodes(learner):
    """a node used several times gets the gradient of every use, once (a + a, a * a, x = a*b; y = x*x + x)"""
    Value = need(learner, "Value")
    expect_reuse_grads(Value, 3.0, (("a + a", lambda a: a + a, 2.0), ("a * a", lambda a: a * a, 6.0)))
    a, b = value(Value, 2.0, label="a"), value(Value, -1.5, label="b")
    x = a * b
    y = x * x + x
    attempt(y.backward, "y.backward()")
    after = "a, b = Value(2.0), Value(-1.5); x = a*b; y = x*x + x; y.backward()"
    # + and * accumulate (above), so a wrong answer here is an ordering problem in backward()
    if not close(x.grad, 2 * -3.0 + 1):
        fail(f"x.grad is {num(x.grad)} after {after}; expected -5.0 (2x + 1): {VISITED}")
    if not close(a.grad, -5.0 * -1.5):
        fail(f"a.grad is {num(a.grad)} after {after}; expected 7.5 (x.grad · b): x's _backward ran more than once, "
             f"or before every use of x had added to x.grad: {VISITED}")


@in_both_orders
@pytest.mark.task(taskno=1)
def test_random_expressions(learner):
    """30 seeded random expressions with shared sub-expressions: values and gradients"""
    rng = random.Random(2024)
    for k in range(30):
        check_program(learner, random_program(rng, 3 + k // 3))


# ---------------------------------------------------------------------------------------
# The network


def build(learner, name, *args):
    cls = need(learner, name)
    return attempt(lambda: cls(*args), f"{name}({', '.join(map(str, args))})")


@pytest.mark.task(taskno=2)
def test_network_structure(learner):
    """MLP(3, [4, 4, 1]): layers of 4, 4, 1 neurons, 41 parameters; MLP(2, [16, 16, 1]): 337"""
    model = build(learner, "MLP", 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    shape = [(len(layer), sorted({len(n.w) for n in layer})) for layer in neurons]
    if shape != [(4, [3]), (4, [4]), (1, [4])]:
        shown = ", ".join(f"{k} neuron{'s' * (k != 1)} of {'/'.join(map(str, ins))} inputs" for k, ins in shape)
        fail(f"MLP(3, [4, 4, 1]) has layers of {shown}; expected 4 neurons of 3 inputs, 4 of 4, 1 of 4: sizes "
             "chain, `sz = [nin] + nouts`, layer i is `Layer(sz[i], sz[i+1])`")
    for nin, nouts, want in ((3, [4, 4, 1], 41), (2, [16, 16, 1], 337)):
        m = build(learner, "MLP", nin, nouts)
        ps = attempt(lambda: list(m.parameters()), f"MLP({nin}, {nouts}).parameters()")
        if len(ps) != want or not all(is_value(p) for p in ps) or not distinct(ps):
            fail(f"MLP({nin}, {nouts}).parameters() has {len(ps)} entries ({len({id(p) for p in ps})} distinct); "
                 f"expected {want} distinct Values: every weight and bias of every neuron, once")


@pytest.mark.task(taskno=2)
def test_random_init(learner):
    """weights and biases start from random.uniform(-1, 1), different in every neuron (or biases at 0)"""
    Neuron = need(learner, "Neuron")
    a, b = (attempt(lambda: Neuron(20), "Neuron(20)") for _ in range(2))
    for n in (a, b):
        if not isinstance(getattr(n, "w", None), (list, tuple)) or len(n.w) != 20:
            fail(f"Neuron(20).w is {fmt(getattr(n, 'w', None))}; expected a list of 20 Values")
    bs = [attempt(lambda: Neuron(1), "Neuron(1)").b for _ in range(20)]
    expect_random_init([data_of(w) for w in a.w], [data_of(w) for w in b.w], [data_of(v) for v in bs], "Neuron(20)")


@pytest.mark.task(taskno=2)
def test_network_forward(learner):
    """model(x) is the network's function: tanh (or the library's relu) layers, the last may be linear; one output"""
    model = build(learner, "MLP", 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    seed_network(neurons, 1)
    outs = []
    for x in LECTURE_XS:
        o = as_outputs(attempt(lambda: model(x), f"model({x})"))
        if o is None or len(o) != 1 or not is_value(o[0]):
            fail(f"MLP(3, [4, 4, 1])({x}) returned {fmt(o)}; expected one Value")
        outs.append([o[0].data])
    if not schemes_matching(neurons, LECTURE_XS, outs):
        fail(f"with the weights set by the checks, MLP(3, [4, 4, 1]) gives {fmt([o[0] for o in outs])} on the "
             f"lecture's samples, which fits none of: {', '.join(SCHEMES)}: each neuron is act(w·x + b), and each "
             "layer's output is the next layer's input")


@pytest.mark.task(taskno=2)
def test_zero_grad(learner):
    """model.zero_grad() resets every parameter's grad, and leaves the data"""
    model = build(learner, "MLP", 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    every = [p for layer in neurons for n in layer for p in list(n.w) + [n.b]]
    for k, p in enumerate(every):
        p.grad = 0.5 + k
    before = [p.data for p in every]
    if not callable(getattr(model, "zero_grad", None)):
        fail("MLP has no zero_grad() method: `def zero_grad(self): for p in self.parameters(): p.grad = 0.0`")
    attempt(model.zero_grad, "model.zero_grad()")
    left = sum(1 for p in every if p.grad != 0)
    if left or [p.data for p in every] != before:
        fail(f"after model.zero_grad(), {left} of 41 grads are not 0"
             + (" and some data changed" if [p.data for p in every] != before else "")
             + ": `for p in self.parameters(): p.grad = 0.0`")


# ---------------------------------------------------------------------------------------
# Training


def run_train(learner, model, steps, lr):
    train = need(learner, "train")
    xs, ys = [list(x) for x in LECTURE_XS], list(LECTURE_YS)
    with gc_paused():
        losses = attempt(lambda: train(model, xs, ys, steps=steps, lr=lr),
                         f"train(model, xs, ys, steps={steps}, lr={lr})")
    if not isinstance(losses, (list, tuple)) or len(losses) != steps:
        fail(f"train(model, xs, ys, steps={steps}, lr={lr}) returned {fmt(losses)}; expected a list of {steps} "
             "losses, one per step")
    return [data_of(x) for x in losses]


@pytest.mark.task(taskno=3)
def test_train_steps(learner):
    """three steps of train() are exactly gradient descent, and return the three losses"""
    Value = need(learner, "Value")

    def make():
        return CheckMLP(Value, 3, [4, 4, 1], seed=0)

    try:
        params = inspect.signature(need(learner, "train")).parameters
    except (TypeError, ValueError):
        params = {}
    defaults = {k: params[k].default for k in ("steps", "lr") if k in params}
    if defaults != {"steps": 200, "lr": 0.05}:
        shown = ", ".join(f"{k}={v!r}" for k, v in defaults.items()) or "none"
        fail(f"train's defaults are {shown}; expected `def train(model, xs, ys, steps=200, lr=0.05)`")
    model = make()
    losses = run_train(learner, model, 3, 0.05)
    got = model.snapshot()
    ref = make()
    want_losses = descend(ref, LECTURE_XS, LECTURE_YS, 3, 0.05)
    what = "after train(model, xs, ys, steps=3, lr=0.05) the parameters"
    if not all(close(a, b, 1e-9) for a, b in zip(got, ref.snapshot())):
        mistake = name_descent_mistake(got, make, LECTURE_XS, LECTURE_YS, 3, 0.05,
                                       [p.grad for p in model.parameters()])
        fail(f"{what} {DESCENT_MISTAKES[mistake]}" if mistake else
             f"{what} differ from 3 steps of gradient descent: {LOOP}")
    if not all(close(a, b, 1e-9) for a, b in zip(losses, want_losses)):
        fail(f"train returned the losses {fmt(losses)}; expected {fmt(want_losses)}: record loss.data each step, "
             "before the update")


@pytest.mark.task(taskno=3)
@pytest.mark.needs_earlier
def test_train_reaches_target(learner):
    """your MLP(3, [4, 4, 1]) and train(), 200 steps at lr 0.05: the loss ends under 0.01"""
    MLP = need(learner, "MLP")
    tried = []
    for seed in (1, 2):
        random.seed(seed)
        model = attempt(lambda: MLP(3, [4, 4, 1]), "MLP(3, [4, 4, 1])")
        losses = run_train(learner, model, 200, 0.05)
        final = squared_error(model, LECTURE_XS, LECTURE_YS).data
        if final < 0.01:
            return
        tried.append(f"with random.seed({seed}): {num(losses[0])} -> {num(losses[100])} -> {num(final)}")
    fail(f"the loss stays above 0.01 after 200 steps at lr = 0.05 ({'; '.join(tried)}): {LOOP}")


@pytest.mark.task(taskno=3)
@pytest.mark.needs_earlier
def test_engine_trains_moons(learner):
    """your engine trains a relu MLP(2, [16, 16, 1]) to 100% on two moons (the library demo's loop)"""
    Value = need(learner, "Value")
    if not callable(getattr(Value, "relu", None)):
        fail("Value has no relu(): add it (0 for a negative input, local gradient (out.data > 0) * out.grad)")
    # a quick engine sanity check first, so a broken engine fails here fast, not in a long run
    probe = Program([0.8, -1.1, 0.6], [("*", (0, 1)), ("+", (3, 2)), ("relu", (4,)), ("*", (5, 3)), ("+", (6, 4))])
    check_program(learner, probe)
    X, y = make_moons(12, 0.05, 2)
    model = CheckMLP(Value, 2, [16, 16, 1], seed=1, act="relu", zero_bias=True, collect_every=120)  # a full collection every 10 steps
    steps = 30

    def forward():
        scores = [model(x) for x in X]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())

    with gc_paused():
        for k in range(steps):
            loss = attempt(forward, f"the demo's loss at step {k}: mean((1 + -y*score).relu()) + 1e-4 * sum(p*p)",
                           op_error_hint)
            model.zero_grad()
            attempt(loss.backward, f"loss.backward() at step {k}", op_error_hint)
            lr = 1.0 - 0.9 * k / steps
            for p in model.parameters():
                p.data -= lr * p.grad
    right = sum((yi > 0) == (model(x).data > 0) for x, yi in zip(X, y))
    if right != len(X):
        fail(f"the library demo's loop (max-margin loss, SGD with lr 1.0 - 0.9·k/30) with your Value classifies "
             f"{right} of {len(X)} moons points right after 30 steps; expected all: check relu and the other "
             "operations' gradients")
