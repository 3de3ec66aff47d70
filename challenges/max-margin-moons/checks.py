"""Hidden checks for max-margin-moons.

The loss is checked on a stand-in model with fixed scores; the loop on networks the checks
build themselves (relu hidden layers, a linear output, biases starting at 0, as in the
library) on the learner's Value. The dataset is a small seeded two moons: 12 points, noise
0.05, an MLP(2, [16, 16, 1]) and 30 steps reach 100% training accuracy in about 1 s.
"""

import pytest

from gradrill.checks import attempt, close, data_of, expect_number, fail, fmt, is_value, need, num, value, in_both_orders
from gradrill.checks.nn import CheckMLP, gc_paused, make_moons

N_POINTS, NOISE, DATA_SEED, MODEL_SEED, STEPS = 12, 0.05, 2, 1, 30
HINGE = "`(1 + -yi*scorei).relu()`: a point costs 1 - y·score while its margin y·score is below 1, else 0"
LOSS = ("`data_loss = sum(losses) * (1.0 / len(losses))`; `reg_loss = alpha * sum(p*p for p in "
        "model.parameters())`; `return data_loss + reg_loss, accuracy`")
LOOP = ("each step k: `loss, acc = max_margin_loss(model, X, y)`; `model.zero_grad()`; `loss.backward()`; "
        "`lr = 1.0 - 0.9*k/steps`; `p.data -= lr * p.grad` for every parameter; record `(loss.data, acc)`")

SCORES = [2.0, -0.5, 0.3, -1.5]
LABELS = [1, 1, -1, -1]
PARAMS = [0.5, -2.0, 3.0]
SETUP = "scores [2.0, -0.5, 0.3, -1.5], labels [1, 1, -1, -1], parameters [0.5, -2.0, 3.0]"


class FixedModel:
    """model(X[k]) is the leaf Value SCORES[k]; parameters() are three more leaves."""

    def __init__(self, Value, scores=None):
        self.scores = [value(Value, s, label=f"score{k}") for k, s in enumerate(scores or SCORES)]
        self.params = [value(Value, p, label=f"p{k}") for k, p in enumerate(PARAMS)]
        self.X = [[float(k), 0.0] for k in range(len(SCORES))]

    def __call__(self, x):
        return self.scores[int(data_of(x[0]))]  # the demo calls the model on Values too

    def parameters(self):
        return list(self.params)

    def zero_grad(self):
        for p in self.params:
            p.grad = 0.0


def loss_and_accuracy(learner, model, X, y, what="max_margin_loss(model, X, y)"):
    fn = need(learner, "max_margin_loss")
    out = attempt(lambda: fn(model, X, y), what)
    if not isinstance(out, tuple) or len(out) != 2:
        fail(f"{what} returned {fmt(out)}; expected a pair (loss, accuracy): {LOSS}")
    loss, acc = out
    if not is_value(loss):
        fail(f"{what} returned the loss {fmt(loss)}; expected a Value built from the scores and the parameters: "
             f"{LOSS}")
    return loss, acc


def fixed(learner):
    model = FixedModel(need(learner, "Value"))
    loss, acc = loss_and_accuracy(learner, model, model.X, list(LABELS))
    return model, loss, acc


def test_loss_value(learner):
    """the loss is mean(relu(1 - y·score)) + 1e-4 · sum(p²)"""
    _, loss, _ = fixed(learner)
    margins = [y * s for y, s in zip(LABELS, SCORES)]
    data = sum(max(0.0, 1 - m) for m in margins) / 4
    reg = 1e-4 * sum(p * p for p in PARAMS)
    expect_number(loss.data, data + reg, "loss.data", f"the mean hinge loss plus the L2 term: {HINGE}; {LOSS}",
                  after=SETUP, tol=1e-9, wrong=[
                      (sum(1 - m for m in margins) / 4 + reg, "the margin term has no relu, so points beyond the "
                       f"margin give negative loss and pull the score further forever: {HINGE}"),
                      (sum(max(0.0, 1 + m) for m in margins) / 4 + reg, "the sign of y·score is flipped: that loss "
                       f"rewards wrong predictions; {HINGE}"),
                      (data, "the L2 term is missing: add `alpha * sum(p*p for p in model.parameters())`"),
                      (sum(max(0.0, 1 - m) for m in margins) + reg, "that is the sum over the points; take the mean, "
                       "`sum(losses) * (1.0 / len(losses))`"),
                  ])


def test_accuracy(learner):
    """accuracy is the fraction of points whose score has the sign of their label"""
    _, _, acc = fixed(learner)
    if not close(acc, 0.5):
        why = "a point is right when its score's sign is its label's: `(yi > 0) == (scorei.data > 0)`"
        if close(acc, 0.25):
            why = ("the labels are -1 and +1, and -1 never equals a bool: compare signs, "
                   "`(yi > 0) == (scorei.data > 0)`")
        fail(f"the accuracy is {fmt(acc)} with {SETUP}; expected 0.5 (points 0 and 3 are on the right side): {why}")
    # mostly positive labels, every point on its right side: a rule that ignores the scores or the labels gets 0.25
    scores, labels = [2.0, 0.5, -0.3, 1.5], [1, 1, -1, 1]
    model = FixedModel(need(learner, "Value"), scores)
    _, acc = loss_and_accuracy(learner, model, model.X, labels)
    if not close(acc, 1.0):
        fail(f"the accuracy is {fmt(acc)} with scores {scores} and labels {labels}; expected 1.0 (every score has "
             "its label's sign): a point is right when `(yi > 0) == (scorei.data > 0)`, its score's data, not grad")


@in_both_orders
def test_gradients(learner):
    """backward sends -y/n to each score inside the margin, 0 beyond it, and 2·alpha·p to each parameter"""
    model, loss, _ = fixed(learner)
    attempt(loss.backward, "loss.backward()")
    after = f"{SETUP}; loss.backward()"
    for k, (s, yk) in enumerate(zip(SCORES, LABELS)):
        want = -yk / 4 if yk * s < 1 else 0.0
        expect_number(model.scores[k].grad, want, f"score{k}.grad", f"d/dscore of relu(1 - y·score)/n is -y/n inside "
                      f"the margin (y·score < 1) and 0 beyond it: {HINGE}", after=after, tol=1e-9,
                      wrong=[(-want, f"the sign is flipped: {HINGE}")])
    for k, p in enumerate(PARAMS):
        expect_number(model.params[k].grad, 2e-4 * p, f"p{k}.grad", "the L2 term alpha·p² gives each parameter "
                      "2·alpha·p", after=after, tol=1e-9)


def sgd(learner, model, X, y, steps, variant="correct"):
    """The demo's loop with the learner's own max_margin_loss (or a known mistake in the loop)."""
    fn = need(learner, "max_margin_loss")
    history = []
    for k in range(steps):
        loss, acc = fn(model, X, y)
        history.append((loss.data, acc))
        if variant != "no_zero":
            model.zero_grad()
        loss.backward()
        lr = {"constant_lr": 1.0, "lr_over_100": 1.0 - 0.9 * k / 100,
              "lr_k_plus_1": 1.0 - 0.9 * (k + 1) / steps}.get(variant, 1.0 - 0.9 * k / steps)
        sign = 1.0 if variant == "wrong_sign" else -1.0
        for p in model.parameters():
            p.data += sign * lr * p.grad
    return history


LOOP_MISTAKES = {
    "no_zero": "match an SGD that never zeroes the grads: call `model.zero_grad()` before `loss.backward()` each step",
    "constant_lr": "match a constant learning rate of 1.0: decay it, `lr = 1.0 - 0.9*k/steps` at step k",
    "lr_over_100": ("match a learning rate of 1.0 - 0.9*k/100: the demo runs 100 steps, but here the decay spans "
                    "the `steps` argument, `lr = 1.0 - 0.9*k/steps`"),
    "lr_k_plus_1": ("match a learning rate of 1.0 - 0.9*(k+1)/steps: the first step (k = 0) uses lr = 1.0, "
                    "`lr = 1.0 - 0.9*k/steps` with k counting from 0"),
    "wrong_sign": "moved up the gradient: `p.data -= lr * p.grad`",
}


def test_first_steps_are_sgd(learner):
    """train_moons takes SGD steps with the learning rate 1.0 - 0.9·k/steps"""
    Value = need(learner, "Value")
    train = need(learner, "train_moons")
    X, y = make_moons(N_POINTS, NOISE, DATA_SEED)

    def model():
        return CheckMLP(Value, 2, [4, 1], seed=5, act="relu", zero_bias=True)

    m = model()
    history = attempt(lambda: train(m, X, y, steps=3), "train_moons(model, X, y, steps=3)")
    got = m.snapshot()
    want_m = model()
    want_history = sgd(learner, want_m, X, y, 3)
    want = want_m.snapshot()
    if all(close(a, b, 1e-9) for a, b in zip(got, want)):
        if not isinstance(history, (list, tuple)) or len(history) != 3:
            fail(f"train_moons(model, X, y, steps=3) returned {fmt(history)}; expected a list of 3 pairs "
                 "(loss, accuracy), one per step")
        for k, (entry, (loss, acc)) in enumerate(zip(history, want_history)):
            pair = entry if isinstance(entry, (list, tuple)) and len(entry) == 2 else (None, None)
            if not close(data_of(pair[0]), loss, 1e-9) or not close(data_of(pair[1]), acc, 1e-9):
                fail(f"train_moons(model, X, y, steps=3) recorded {fmt(entry)} at step {k}; expected "
                     f"({num(loss)}, {num(acc)}), the step's (total_loss.data, accuracy) before the update")
        return
    what = "after train_moons(model, X, y, steps=3) the parameters"
    for variant, why in LOOP_MISTAKES.items():
        alt = model()
        sgd(learner, alt, X, y, 3, variant)
        if all(close(a, b, 1e-9) for a, b in zip(got, alt.snapshot())):
            fail(f"{what} {why}")
    if got == model().snapshot():
        fail(f"{what} never moved: {LOOP}")
    fail(f"{what} differ from 3 steps of the demo's SGD: {LOOP}")


@pytest.mark.needs_earlier
def test_reaches_full_accuracy(learner):
    """MLP(2, [16, 16, 1]) reaches 100% training accuracy on two moons (12 points) in 30 steps"""
    Value = need(learner, "Value")
    train = need(learner, "train_moons")
    X, y = make_moons(N_POINTS, NOISE, DATA_SEED)
    model = CheckMLP(Value, 2, [16, 16, 1], seed=MODEL_SEED, act="relu", zero_bias=True,
                     collect_every=10 * N_POINTS)
    with gc_paused():
        history = attempt(lambda: train(model, X, y, steps=STEPS), f"train_moons(model, X, y, steps={STEPS})")
    if not isinstance(history, (list, tuple)) or len(history) != STEPS:
        fail(f"train_moons(model, X, y, steps={STEPS}) returned {fmt(history)}; expected {STEPS} pairs "
             "(loss, accuracy), one per step")
    right = sum((yi > 0) == (model(xi).data > 0) for xi, yi in zip(X, y))
    if right != len(X):
        losses = [h[0] if isinstance(h, (list, tuple)) else h for h in history]
        fail(f"after {STEPS} steps, {right} of {len(X)} points are classified right; expected all {len(X)} "
             f"(the loss went {fmt(losses[0])} -> {fmt(losses[-1])}): {LOOP}")
