"""Hidden checks for digits-classifier.

cross_entropy and accuracy are checked on fixed logits. train_digits drives a linear classifier
the checks build themselves on the learner's Value: 64 pixels -> 10 logits, weights seeded in
+-0.1, biases 0. It skips the zero pixels (about half of them): w*0 adds nothing and gets no
gradient, so that changes no number, and it halves the graph. The full run (40 steps of 10
training digits, lr 0.7) classifies 84 of the 100 test digits right with the solution, in about
3 s of CPU; the check asks for 80. It runs only once the cheap checks pass, so a wrong file
fails in a fraction of that.
"""

import math
import random

import pytest

from gradrill.checks import attempt, close, expect_number, fail, fmt, is_value, need, num, value
from gradrill.checks.nn import gc_paused, tidy
from gradrill.reference.datasets import load_digits

MODEL_SEED, STEPS, BATCH, LR, NEED_RIGHT = 7, 40, 10, 0.7, 80

STABLE = ("subtract the largest logit before exp, `(v - max_val).exp()` with `max_val = max(v.data for v in "
          "logits)`: softmax does not change under a shift, and exp never sees a huge number")
CE = ("`probs = [e / total for e in exps]` with `total = sum(exps)`, then `-probs[target].log()`: "
      "the negative log probability of the target class")
ARGMAX = ("an image is right when its largest logit is at its label's index: "
          "`max(range(len(scores)), key=lambda k: scores[k]) == label` with `scores = [v.data for v in model(image)]`")
LOOP = ("each step k: the batch `[(k*batch_size + j) % len(images) for j in range(batch_size)]`; "
        "`loss = sum(losses) * (1.0 / batch_size)` of the cross-entropies; `model.zero_grad()`; `loss.backward()`; "
        "`p.data -= lr * p.grad` for every parameter; record `loss.data`")


# -- cross_entropy ---------------------------------------------------------------------------


def ce_float(zs, target):
    m = max(zs)
    return -(zs[target] - m - math.log(sum(math.exp(z - m) for z in zs)))


def ce_hint(exc):
    if isinstance(exc, OverflowError):
        return f"exp overflowed: {STABLE}"
    if isinstance(exc, ZeroDivisionError):
        return f"every exp underflowed to 0, so their sum is 0: {STABLE}"
    if isinstance(exc, ValueError) and "math domain" in str(exc):
        return f"log of 0 or of a negative number: is it the log of a probability, exp / sum(exps)? {CE}"
    return ""


def ce_of(learner, zs, target):
    """(logits, loss) of the learner's cross_entropy on fresh leaf Values ``zs``."""
    cross_entropy = need(learner, "cross_entropy")
    Value = need(learner, "Value")
    logits = [value(Value, z, label=f"z{k}") for k, z in enumerate(zs)]
    shown = f"cross_entropy({fmt(list(zs))}, {target})"
    loss = attempt(lambda: cross_entropy(logits, target), shown, ce_hint)
    if not is_value(loss):
        fail(f"{shown} returned {fmt(loss)}; expected a Value: a plain number (`math.log`, `.data`) has no graph, "
             f"so backward() cannot reach the logits; {CE}")
    return logits, loss


def check_ce_values(learner):
    for zs, target in (([1.0, 2.0, 3.0], 2), ([1.0, 2.0, 3.0], 0), ([0.5, -1.0, 2.0, 0.0], 3)):
        _, loss = ce_of(learner, zs, target)
        want = ce_float(zs, target)
        m = max(zs)
        probs = [math.exp(z - m) / sum(math.exp(y - m) for y in zs) for z in zs]
        expect_number(loss.data, want, f"cross_entropy({fmt(zs)}, {target}).data", CE, tol=1e-9, wrong=[
            (-want, "that is log p[target], which is negative: the loss is its negative, `-probs[target].log()`"),
            (m - zs[target], "that is -log of the exp alone: divide each exp by the sum of all the exps "
                             "(`total = sum(exps)`) before the log"),
            (-math.log(max(probs)), "that is -log of the largest probability (the prediction): take the "
                                    "target's, `probs[target]`"),
        ])
    zs = [1000.0, 999.0, 998.0]
    _, loss = ce_of(learner, zs, 0)
    expect_number(loss.data, ce_float(zs, 0), f"cross_entropy({fmt(zs)}, 0).data", STABLE, tol=1e-9)


def test_cross_entropy_value(learner):
    """cross_entropy(logits, target) is -log softmax(logits)[target], also for logits near 1000"""
    check_ce_values(learner)


def test_cross_entropy_gradient(learner):
    """backward() gives each logit p_k - 1 for the target, p_k for the others"""
    zs, target = [1.0, 2.0, 3.0, -1.0], 1
    logits, loss = ce_of(learner, zs, target)
    attempt(loss.backward, "loss.backward()")
    m = max(zs)
    total = sum(math.exp(z - m) for z in zs)
    after = f"loss = cross_entropy({fmt(zs)}, {target}); loss.backward()"
    for k, (z, logit) in enumerate(zip(zs, logits)):
        p = math.exp(z - m) / total
        want = p - (1.0 if k == target else 0.0)
        expect_number(logit.grad, want, f"logits[{k}].grad", "the gradient of cross-entropy with respect to the "
                      f"logits is p - onehot(target); build the loss from the logits with Value ops: {CE}",
                      after=after, tol=1e-6, wrong=[(-want, f"the sign is flipped: {CE}")])


# -- accuracy ----------------------------------------------------------------------------------


FIXED_LOGITS = [  # image k -> its 4 logits; the argmax is 2, 0, 3, 1, 1
    [0.1, -0.3, 2.0, 1.5],
    [0.9, 0.2, -1.0, 0.8],
    [-2.0, -1.5, -1.9, -0.2],
    [0.0, 3.0, 2.5, -3.0],
    [1.0, 1.2, 0.3, 0.5],
]
FIXED_LABELS = [2, 0, 1, 3, 1]  # right, right, wrong, wrong, right: 3 of 5


class FixedModel:
    """model(images[k]) is FIXED_LOGITS[k] as fresh Values (images[k] is [k])."""

    def __init__(self, Value):
        self.Value = Value
        self.images = [[float(k)] for k in range(len(FIXED_LOGITS))]

    def __call__(self, image):
        return [value(self.Value, z) for z in FIXED_LOGITS[int(image[0])]]

    def parameters(self):
        return []

    def zero_grad(self):
        pass


def test_accuracy(learner):
    """accuracy(model, images, labels) is the fraction of images whose largest logit is their label"""
    acc_fn = need(learner, "accuracy")
    model = FixedModel(need(learner, "Value"))
    shown = "accuracy(model, images, labels)"
    got = attempt(lambda: acc_fn(model, model.images, list(FIXED_LABELS)), shown)
    setup = f"logits {fmt(FIXED_LOGITS[0])}, ... (largest at 2, 0, 3, 1, 1) and labels {FIXED_LABELS}"
    expect_number(got, 0.6, shown, ARGMAX, after=setup, tol=1e-9, wrong=[
        (3.0, "that is the count of right images: divide by `len(images)` for a fraction"),
        (60.0, "that is a percentage: return a fraction from 0 to 1"),
        (0.4, "that is the fraction of wrong images"),
        (0.2, f"that counts the smallest logit as the prediction: {ARGMAX}"),
    ])


# -- train_digits: the steps -------------------------------------------------------------------


class LinearClassifier:
    """10 logits from 64 pixels on the learner's Value: logit_c = b_c + sum_i w_ci * x_i.

    Zero pixels are skipped (same numbers, half the graph), and each image's other pixels become
    leaf Values once, not at every multiplication (their grads pile up, and nothing reads them).
    With ``collect_every=k`` it has a collection point (``tidy``) every k forward calls (for the long
    run, under ``gc_paused``)."""

    def __init__(self, Value, nin=64, nout=10, seed=MODEL_SEED, collect_every=None):
        rng = random.Random(seed)
        self.w = [[Value(rng.uniform(-0.1, 0.1)) for _ in range(nin)] for _ in range(nout)]
        self.b = [Value(0.0) for _ in range(nout)]
        self.collect_every, self.calls = collect_every, 0
        self.Value, self.pixels = Value, {}  # id(image) -> (image, its lit pixels)

    def __call__(self, x):
        self.calls += 1
        if self.collect_every and self.calls % self.collect_every == 0:
            tidy()
        if id(x) not in self.pixels:  # the image's lit pixels as leaf Values, made once per image
            self.pixels[id(x)] = (x, [(i, self.Value(xi)) for i, xi in enumerate(x) if xi != 0])
        lit = self.pixels[id(x)][1]
        return [sum((row[i] * xi for i, xi in lit), b) for row, b in zip(self.w, self.b)]

    def parameters(self):
        return [p for row in self.w for p in row] + self.b

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def snapshot(self):
        return [p.data for p in self.parameters()]

    def float_logits(self, x):
        return [b.data + sum(w.data * xi for w, xi in zip(row, x)) for row, b in zip(self.w, self.b)]


def batches(variant, k, size, n):
    if variant == "first_batch":
        return list(range(size))
    if variant == "slide_by_one":
        return [(k + j) % n for j in range(size)]
    if variant in ("no_wrap", "no_wrap_mean"):
        return [i for i in range(k * size, (k + 1) * size) if i < n]
    return [(k * size + j) % n for j in range(size)]


def sgd(learner, model, images, labels, steps, size, lr, variant="correct"):
    """The loop of the prompt with the learner's own cross_entropy (or a known mistake in the loop)."""
    ce = need(learner, "cross_entropy")
    history = []
    for k in range(steps):
        idx = batches(variant, k, size, len(images))
        losses = [ce(model(images[i]), labels[i]) for i in idx]
        loss = sum(losses) * (1.0 if variant == "sum" else 1.0 / (len(idx) if variant == "no_wrap_mean" else size))
        if variant != "no_zero":
            model.zero_grad()
        loss.backward()
        sign = 1.0 if variant == "wrong_sign" else -1.0
        for p in model.parameters():
            p.data += sign * lr * p.grad
        history.append(loss.data)
    return history


LOOP_MISTAKES = {
    "no_zero": "match an SGD that never zeroes the grads: call `model.zero_grad()` before `loss.backward()` each step",
    "sum": ("match an SGD on the sum of the batch's losses: take their mean, `sum(losses) * (1.0 / batch_size)`, "
            "so that lr does not grow with the batch"),
    "first_batch": ("match an SGD on the same first batch every step: step k takes the examples "
                    "`(k*batch_size + j) % len(images)`"),
    "slide_by_one": ("match batches that slide by one example a step (`images[k:k+batch_size]`): step k starts at "
                     "k*batch_size, `(k*batch_size + j) % len(images)`"),
    "no_wrap": ("match batches that stop at the end of the data: the last batch wraps round to the first "
                "examples, `(k*batch_size + j) % len(images)`"),
    "no_wrap_mean": ("match batches that stop at the end of the data: the last batch wraps round to the first "
                     "examples, `(k*batch_size + j) % len(images)`"),
    "wrong_sign": "moved up the gradient: `p.data -= lr * p.grad`",
}

FEW_STEPS, FEW_IMAGES, FEW_BATCH, FEW_LR = 3, 10, 4, 0.5
_STEPS_PROBLEM = {}  # id(learner) -> the answer of steps_problem: it runs once per grading


def steps_problem(learner):
    """None if train_digits takes the prompt's steps on 10 digits (3 steps of 4: the last one wraps round);
    else what is wrong."""
    if id(learner) not in _STEPS_PROBLEM:
        _STEPS_PROBLEM[id(learner)] = _steps_problem(learner)
    return _STEPS_PROBLEM[id(learner)]


def _steps_problem(learner):
    Value = need(learner, "Value")
    train = need(learner, "train_digits")
    images, labels = load_digits("train")
    images, labels = images[:FEW_IMAGES], labels[:FEW_IMAGES]
    call = f"train_digits(model, images, labels, steps={FEW_STEPS}, batch_size={FEW_BATCH}, lr={FEW_LR})"
    model = LinearClassifier(Value)
    history = attempt(lambda: train(model, images, labels, steps=FEW_STEPS, batch_size=FEW_BATCH, lr=FEW_LR),
                      f"{call} on 10 digits")
    got = model.snapshot()
    want_model = LinearClassifier(Value)
    want_history = sgd(learner, want_model, images, labels, FEW_STEPS, FEW_BATCH, FEW_LR)
    what = f"after {call} on 10 digits, the parameters"
    if not all(close(a, b, 1e-9) for a, b in zip(got, want_model.snapshot())):
        for variant, why in LOOP_MISTAKES.items():
            alt = LinearClassifier(Value)
            sgd(learner, alt, images, labels, FEW_STEPS, FEW_BATCH, FEW_LR, variant)
            if all(close(a, b, 1e-9) for a, b in zip(got, alt.snapshot())):
                return f"{what} {why}"
        if got == LinearClassifier(Value).snapshot():
            return f"{what} never moved: {LOOP}"
        return f"{what} differ from {FEW_STEPS} steps of SGD: {LOOP}"
    if not isinstance(history, (list, tuple)) or len(history) != FEW_STEPS:
        return f"{call} returned {fmt(history)}; expected a list of {FEW_STEPS} losses, one per step"
    if any(is_value(h) for h in history):
        return (f"{call} returned the loss Values {fmt(list(history))}; record `loss.data`, a number (each Value "
                "keeps its whole graph alive)")
    for k, (h, want) in enumerate(zip(history, want_history)):
        if not close(h, want, 1e-9):
            return (f"{call} returned {fmt(list(history))}; expected each step's batch loss before its update, "
                    f"{fmt(want_history)} (step {k} differs): record `loss.data` after the forward pass")
    return None


def test_training_steps(learner):
    """train_digits takes SGD steps on the mean cross-entropy of batches in order (wrapping round)"""
    problem = steps_problem(learner)
    if problem:
        fail(problem)


# -- train_digits: the full run ----------------------------------------------------------------


CHEAP_CHECKS = (test_cross_entropy_value, test_cross_entropy_gradient, test_accuracy, test_training_steps)


def first_problem(learner):
    """The title of the first cheap check that fails, or None."""
    for check in CHEAP_CHECKS:
        try:
            check(learner)
        except pytest.fail.Exception as exc:
            return f"'{check.__doc__.splitlines()[0]}'"
    return None


@pytest.mark.needs_earlier
def test_learns_the_digits(learner):
    """a linear classifier trained by train_digits (40 steps of 10, lr 0.7) gets 80 of the 100 test digits right"""
    problem = first_problem(learner)
    if problem:
        fail(f"the training run waits until the other checks pass; fix this one first: {problem}")
    Value = need(learner, "Value")
    train = need(learner, "train_digits")
    images, labels = load_digits("train")
    model = LinearClassifier(Value, collect_every=20 * BATCH)
    call = f"train_digits(model, images, labels, steps={STEPS}, batch_size={BATCH}, lr={LR})"
    with gc_paused():
        history = attempt(lambda: train(model, images, labels, steps=STEPS, batch_size=BATCH, lr=LR),
                          f"{call} on the 400 training digits")
    test_images, test_labels = load_digits("test")
    right = 0
    for x, label in zip(test_images, test_labels):
        scores = model.float_logits(x)
        right += max(range(len(scores)), key=scores.__getitem__) == label
    if right < NEED_RIGHT:
        losses = list(history) if isinstance(history, (list, tuple)) else []
        went = f" (the batch loss went {num(losses[0])} -> {num(losses[-1])})" if losses else ""
        fail(f"after {call} on the 400 training digits, {right} of the 100 test digits are classified right; "
             f"expected at least {NEED_RIGHT}{went}: {LOOP}")
