"""Hidden checks for training-blank: Value, MLP and train() from an empty file.

The step-by-step check runs the learner's train() on a network the checks build on the
learner's Value; the final check trains the learner's own MLP(3, [4, 4, 1]) (seeded
through `random`) on the lecture's data.
"""

import inspect
import math
import random

import pytest

from gradrill.checks import attempt, close, data_of, fail, fmt, is_value, need, num, numgrad, value, in_both_orders
from gradrill.checks.engine import expect_plain_numbers, expect_reuse_grads
from gradrill.checks.nn import (
    descend, expect_random_init, lecture_mlp, DESCENT_MISTAKES, gc_paused, LECTURE_XS, LECTURE_YS,
    name_descent_mistake, network, squared_error,
)

STEPS, LR, TARGET = 200, 0.05, 0.01
LOOP = ("each step: the loss sum((model(x) - y)**2); zero every p.grad; loss.backward(); p.data += -lr * p.grad; "
        "losses.append(loss.data)")


def run(learner, model, steps, lr):
    train = need(learner, "train")
    xs, ys = [list(x) for x in LECTURE_XS], list(LECTURE_YS)
    with gc_paused():
        losses = attempt(lambda: train(model, xs, ys, steps=steps, lr=lr),
                         f"train(model, xs, ys, steps={steps}, lr={lr})")
    if not isinstance(losses, (list, tuple)):
        fail(f"train(model, xs, ys, steps={steps}, lr={lr}) returned {fmt(losses)}; expected the list of losses, "
             "one per step")
    return [data_of(x) for x in losses]


# The engine's expression: with tanh (the lecture's), or with relu on both sides of 0 (the library's Value has no
# tanh): (c - a*b) is positive, a*b negative.
TANH_EXPR = "((a*b + c).tanh() - 1.5)**2 * a + b * 2.0"
RELU_EXPR = "((c - a*b).relu() - 1.5)**2 * a + b * 2.0 + (a*b).relu()"


def has_tanh(Value):
    return callable(getattr(Value, "tanh", None))


@in_both_orders
@pytest.mark.task(taskno=1)
def test_value_gradients(learner):
    """the engine: +, -, *, ** and tanh (or relu) give the right gradients (against finite differences)"""
    Value = need(learner, "Value")
    tanh = has_tanh(Value)
    if not tanh and not callable(getattr(Value, "relu", None)):
        fail("Value has no tanh(): the lecture's network squashes with tanh; add it with local gradient 1 - t**2")
    expr = TANH_EXPR if tanh else RELU_EXPR

    def f_float(a, b, c):
        if tanh:
            return (math.tanh(a * b + c) - 1.5)**2 * a + b * 2.0
        return (max(0.0, c - a * b) - 1.5)**2 * a + b * 2.0 + max(0.0, a * b)

    a, b, c = (value(Value, v, label=n) for v, n in ((0.7, "a"), (-1.3, "b"), (0.4, "c")))

    def build():
        if tanh:
            return ((a * b + c).tanh() - 1.5)**2 * a + b * 2.0
        return ((c - a * b).relu() - 1.5)**2 * a + b * 2.0 + (a * b).relu()

    out = attempt(build, expr)
    if not is_value(out):
        fail(f"{expr} gave {fmt(out)}; expected a Value")
    if not close(out.data, f_float(0.7, -1.3, 0.4), 1e-9):
        fail(f"{expr} is {num(out.data)} for a, b, c = 0.7, -1.3, 0.4; "
             f"expected {num(f_float(0.7, -1.3, 0.4))}: one operation computes the wrong number")
    attempt(out.backward, "out.backward()")
    want = numgrad(f_float, [0.7, -1.3, 0.4])
    for name, leaf, g in zip("abc", (a, b, c), want):
        if not close(leaf.grad, g, 1e-5):
            fail(f"{name}.grad is {num(leaf.grad)} after out = {expr}; "
                 f"out.backward(); expected {num(round(g, 6))} (finite differences): check each op's local gradient "
                 "(x**n: n * x**(n-1); a*b: the other's data" + ("" if tanh else "; relu: out.data > 0")
                 + ") and that every _backward accumulates with +=")


@pytest.mark.task(taskno=1)
def test_plain_numbers_on_either_side(learner):
    """a + 2, 2 + a, a * 3, 3 * a, a - 2 and 2 - a work with a plain number, with the right gradients"""
    expect_plain_numbers(need(learner, "Value"), subtraction=True)


@in_both_orders
@pytest.mark.task(taskno=1)
def test_a_value_used_twice(learner):
    """a Value used twice gets the gradient of both uses: a + a, a * a, a - a * 3, a**3 + a, and tanh(a) + a"""
    Value = need(learner, "Value")
    act = "tanh" if has_tanh(Value) else "relu"
    slope = 1 - math.tanh(0.5) ** 2 if act == "tanh" else 1.0
    expect_reuse_grads(Value, 0.5, (("a + a", lambda a: a + a, 2.0), ("a * a", lambda a: a * a, 1.0),
                                    ("a - a * 3", lambda a: a - a * 3, -2.0), ("a**3 + a", lambda a: a**3 + a, 1.75),
                                    (f"a.{act}() + a", lambda a: getattr(a, act)() + a, slope + 1)))


@pytest.mark.task(taskno=2)
def test_mlp(learner):
    """MLP(3, [4, 4, 1]) has 41 parameters and gives one Value per sample"""
    MLP = need(learner, "MLP")
    model = attempt(lambda: MLP(3, [4, 4, 1]), "MLP(3, [4, 4, 1])")
    ps = attempt(lambda: list(model.parameters()), "model.parameters()")
    if len(ps) != 41 or len({id(p) for p in ps}) != 41 or not all(is_value(p) for p in ps):
        hint = ("36: does every layer take nin inputs? Sizes chain, `sz = [nin] + nouts`, layer i is "
                "`Layer(sz[i], sz[i+1])`" if len(ps) == 36 else
                "4·(3+1) + 4·(4+1) + 1·(4+1), each weight and bias once")
        fail(f"MLP(3, [4, 4, 1]).parameters() has {len(ps)} entries; expected 41 distinct Values: {hint}")
    out = attempt(lambda: model([2.0, 3.0, -1.0]), "model([2.0, 3.0, -1.0])")
    if not is_value(out) and not (isinstance(out, (list, tuple)) and len(out) == 1 and is_value(out[0])):
        fail(f"model([2.0, 3.0, -1.0]) returned {fmt(out)}; expected one Value")


@pytest.mark.task(taskno=2)
def test_random_init(learner):
    """weights and biases start from random.uniform(-1, 1), different in every neuron"""
    MLP = need(learner, "MLP")
    model = attempt(lambda: MLP(20, [20, 1]), "MLP(20, [20, 1])")
    first = network(model, "MLP(20, [20, 1])")[0]
    if len(first) != 20 or any(len(n.w) != 20 for n in first):
        fail(f"MLP(20, [20, 1])'s first layer has {len(first)} neurons; expected 20 of 20 weights each")
    expect_random_init([w.data for w in first[0].w], [w.data for w in first[1].w], [n.b.data for n in first],
                       "MLP(20, [20, 1])")


@pytest.mark.task(taskno=3)
def test_steps_are_gradient_descent(learner):
    """three steps of train() move the parameters exactly as gradient descent does"""
    Value = need(learner, "Value")

    def make():
        return lecture_mlp(Value, 3, [4, 4, 1], seed=0, relu_seed=31)  # the library's Value: relu, no tanh

    try:
        params = inspect.signature(need(learner, "train")).parameters
    except (TypeError, ValueError):
        params = {}
    defaults = {k: params[k].default for k in ("steps", "lr") if k in params}
    if defaults != {"steps": STEPS, "lr": LR}:
        shown = ", ".join(f"{k}={v!r}" for k, v in defaults.items()) or "none"
        fail(f"train's defaults are {shown}; expected `def train(model, xs, ys, steps={STEPS}, lr={LR})`")
    model = make()
    losses = run(learner, model, 3, LR)
    got = model.snapshot()
    ref = make()
    want_losses = descend(ref, LECTURE_XS, LECTURE_YS, 3, LR)
    what = f"after train(model, xs, ys, steps=3, lr={LR}) the parameters"
    if not all(close(a, b, 1e-9) for a, b in zip(got, ref.snapshot())):
        mistake = name_descent_mistake(got, make, LECTURE_XS, LECTURE_YS, 3, LR, [p.grad for p in model.parameters()])
        if mistake:
            fail(f"{what} {DESCENT_MISTAKES[mistake]}")
        fail(f"{what} differ from 3 steps of gradient descent with lr = {LR}: {LOOP}")
    if len(losses) != 3 or not all(close(a, b, 1e-9) for a, b in zip(losses, want_losses)):
        fail(f"train(model, xs, ys, steps=3, lr={LR}) returned the losses {fmt(losses)}; expected "
             f"{fmt(want_losses)}: record loss.data once per step, before the update")


@pytest.mark.task(taskno=3)
@pytest.mark.needs_earlier
def test_loss_under_target(learner):
    """your MLP(3, [4, 4, 1]), trained by your train() for 200 steps at lr 0.05, gets the loss under 0.01"""
    MLP = need(learner, "MLP")
    tried = []
    for seed in (1, 2):
        random.seed(seed)
        model = attempt(lambda: MLP(3, [4, 4, 1]), "MLP(3, [4, 4, 1])")
        losses = run(learner, model, STEPS, LR)
        if len(losses) != STEPS:
            fail(f"train(model, xs, ys, steps={STEPS}, lr={LR}) returned {len(losses)} losses; expected {STEPS}")
        final = squared_error(model, LECTURE_XS, LECTURE_YS).data
        if final < TARGET:
            return
        tried.append(f"with random.seed({seed}) it went {num(losses[0])} -> {num(losses[STEPS // 2])} -> "
                     f"{num(losses[-1])}, ending at {num(final)}")
    fail(f"the loss stays above {TARGET} after {STEPS} steps at lr = {LR} ({'; '.join(tried)}): {LOOP}; and check "
         "the engine's gradients")
