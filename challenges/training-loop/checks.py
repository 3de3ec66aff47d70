"""Hidden checks for training-loop.

The checks build the network themselves (a tanh MLP(3, [4, 4, 1]) on the learner's Value,
seeded; a relu one for the library's Value, which has no tanh), with both `parameters()` and `zero_grad()`, so a loop written either way works,
and run the same gradient descent on an identical copy to compare step by step.
"""

from gradrill.checks import attempt, close, data_of, fail, fmt, need, num
from gradrill.checks.nn import (
    descend, lecture_mlp, DESCENT_MISTAKES, gc_paused, LECTURE_XS, LECTURE_YS, name_descent_mistake,
    squared_error,
)

SEED = 0
RELU_SEED = 31
STEPS, LR, TARGET = 100, 0.05, 0.01
LOOP = ("each step: loss = loss_fn(model, xs, ys); zero every p.grad; loss.backward(); "
        "p.data += -lr * p.grad for every parameter; losses.append(loss.data)")


def make_model(learner):
    """The checks' tanh MLP(3, [4, 4, 1]); for the library's Value (relu, no tanh), a relu one (a seed whose
    loss falls at every early step and ends far under the target)."""
    return lecture_mlp(need(learner, "Value"), 3, [4, 4, 1], seed=SEED, relu_seed=RELU_SEED)


def run(learner, model, steps, lr):
    train = need(learner, "train")
    xs, ys = [list(x) for x in LECTURE_XS], list(LECTURE_YS)
    with gc_paused():
        losses = attempt(lambda: train(model, xs, ys, steps=steps, lr=lr),
                         f"train(model, xs, ys, steps={steps}, lr={lr})")
    if not isinstance(losses, (list, tuple)):
        fail(f"train(model, xs, ys, steps={steps}, lr={lr}) returned {fmt(losses)}; expected the list of "
             "the losses, one per step: `losses.append(loss.data)` in the loop, `return losses` after it")
    return [data_of(x) for x in losses]


def compare_steps(learner, steps, lr):
    model = make_model(learner)
    losses = run(learner, model, steps, lr)
    got = model.snapshot()
    want_model = make_model(learner)
    want_losses = descend(want_model, LECTURE_XS, LECTURE_YS, steps, lr)
    want = want_model.snapshot()
    if not all(close(a, b, 1e-9) for a, b in zip(got, want)):
        what = f"after train(model, xs, ys, steps={steps}, lr={lr}) the parameters"
        start = make_model(learner).snapshot()
        mistake = name_descent_mistake(got, lambda: make_model(learner), LECTURE_XS, LECTURE_YS, steps, lr,
                                       [p.grad for p in model.parameters()])
        if mistake:
            fail(f"{what} {DESCENT_MISTAKES[mistake]}")
        if got == start:
            fail(f"{what} never moved; expected {steps} steps of gradient descent: {LOOP}")
        k = next(i for i, (a, b) in enumerate(zip(got, want)) if not close(a, b, 1e-9))
        fail(f"{what} differ from {steps} steps of gradient descent with lr = {lr} (parameter {k} is "
             f"{num(got[k])}; expected {num(want[k])}): {LOOP}")
    return losses, want_losses


def test_records_each_loss(learner):
    """train returns one loss per step, starting with the untrained network's loss"""
    model = make_model(learner)
    start = squared_error(make_model(learner), LECTURE_XS, LECTURE_YS).data
    losses = run(learner, model, 3, LR)
    if len(losses) != 3:
        fail(f"train(model, xs, ys, steps=3, lr=0.05) returned {len(losses)} losses; expected 3, one per step: "
             "append `loss.data` once in each step")
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in losses):
        fail(f"train(model, xs, ys, steps=3, lr=0.05) returned {fmt(losses)}; expected 3 numbers: "
             "`losses.append(loss.data)`")
    if not close(losses[0], start, 1e-9):
        fail(f"losses[0] is {num(losses[0])}; expected {num(start)}, the loss of the untrained network, computed "
             "in the first step before its update: record `loss.data` of the loss you called backward() on")


def test_first_steps_are_gradient_descent(learner):
    """three steps move the parameters exactly as gradient descent does"""
    compare_steps(learner, 3, LR)


def test_step_size_is_lr(learner):
    """the step size is the lr argument"""
    for lr in (0.1, 0.01):
        compare_steps(learner, 2, lr)


def test_loss_falls_under_target(learner):
    """training drives the loss under 0.01 within 100 steps at lr = 0.05"""
    model = make_model(learner)
    losses = run(learner, model, STEPS, LR)
    if len(losses) != STEPS:
        fail(f"train(model, xs, ys, steps={STEPS}, lr={LR}) returned {len(losses)} losses; expected {STEPS}, "
             "one per step")
    final = squared_error(model, LECTURE_XS, LECTURE_YS).data
    if not final < TARGET:
        trend = f"it went {num(losses[0])} -> {num(losses[len(losses) // 2])} -> {num(losses[-1])}"
        hint = ("it rose: step against the gradient, `p.data += -lr * p.grad`" if losses[-1] > losses[0]
                else LOOP)
        fail(f"after train(model, xs, ys, steps={STEPS}, lr={LR}) the loss is {num(final)}; expected under "
             f"{TARGET} ({trend}): {hint}")


def test_loss_goes_down(learner):
    """the recorded losses fall from one step to the next, early on"""
    model = make_model(learner)
    losses = run(learner, model, 10, LR)
    if len(losses) != 10:
        fail(f"train(model, xs, ys, steps=10, lr={LR}) returned {len(losses)} losses; expected 10")
    rises = [k for k in range(1, 10) if losses[k] > losses[k - 1] + 1e-12]
    if rises:
        k = rises[0]
        fail(f"losses[{k}] = {num(losses[k])} is above losses[{k - 1}] = {num(losses[k - 1])}; expected the loss to "
             "fall at every early step of gradient descent with lr = 0.05: "
             + ("it rose: step against the gradient, `p.data += -lr * p.grad`" if losses[-1] > losses[0]
                else LOOP))
    if losses[0] == losses[-1]:
        fail(f"the loss stayed at {num(losses[0])} for 10 steps: the parameters never moved; {LOOP}")
