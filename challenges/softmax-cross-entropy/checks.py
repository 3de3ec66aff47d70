"""Hidden checks for softmax-cross-entropy.

The learner adds Value.log (local gradient 1/x), then softmax with the max subtracted,
and cross_entropy = -log p[target]. Gradients are held to finite differences of the
same functions on plain floats.
"""

import math

from gradrill.checks import attempt, expect_number, fail, fmt, is_value, need, num, value, in_both_orders

STABLE = ("subtract the largest logit before exp, `(v - max_val).exp()` with `max_val = max(v.data for v in "
          "logits)`: softmax does not change under a shift, and exp never sees a huge number")
NORMALISE = "divide each exp by the sum of all the exps, `total = sum(exps)`"
CE = "`-probs[target].log()`: the negative log probability of the target class"


def softmax_f(zs):
    m = max(zs)
    es = [math.exp(z - m) for z in zs]
    s = sum(es)
    return [e / s for e in es]


def values(learner, xs):
    Value = need(learner, "Value")
    return [value(Value, x) for x in xs]


def overflow_hint(exc):
    if isinstance(exc, OverflowError):
        return f"exp overflowed: {STABLE}"
    if isinstance(exc, ZeroDivisionError):
        return f"every exp underflowed to 0, so the sum is 0: {STABLE}"
    if isinstance(exc, ValueError) and "math domain" in str(exc):
        return "log of 0 or of a negative number: is each probability exp / sum(exps), and is the log taken of it?"
    return ""


def probs_of(learner, zs):
    softmax = need(learner, "softmax")
    logits = values(learner, zs)
    shown = f"softmax({fmt(list(zs))})"
    probs = attempt(lambda: softmax(logits), shown, overflow_hint)
    if not isinstance(probs, (list, tuple)) or len(probs) != len(zs) or not all(is_value(p) for p in probs):
        fail(f"{shown} returned {fmt(probs)}; expected a list of {len(zs)} Values, one probability per logit")
    return logits, list(probs)


def ce_of(learner, zs, target):
    cross_entropy = need(learner, "cross_entropy")
    logits = values(learner, zs)
    shown = f"cross_entropy({fmt(list(zs))}, {target})"
    loss = attempt(lambda: cross_entropy(logits, target), shown, overflow_hint)
    if not is_value(loss):
        fail(f"{shown} returned {fmt(loss)}; expected a Value: a plain number (`math.log(p.data)`, `.data`) has "
             f"no graph, so backward() cannot reach the logits; use the Value op: {CE}")
    return logits, loss


@in_both_orders
def test_log(learner):
    """Value.log(): ln x, with local gradient 1/x"""
    Value = need(learner, "Value")
    if not callable(getattr(Value, "log", None)):
        fail("Value has no log() method: add `def log(self):` building `Value(math.log(self.data), (self,), 'log')` "
             "with a _backward that adds `(1 / self.data) * out.grad`")
    for x0 in (2.0, 0.25):
        a = value(Value, x0, label="a")
        out = attempt(lambda: a.log(), f"Value({num(x0)}).log()")
        if not is_value(out):
            fail(f"Value({num(x0)}).log() returned {fmt(out)}; expected a new Value: build `out`, attach its "
                 "_backward, `return out`")
        expect_number(out.data, math.log(x0), f"Value({num(x0)}).log().data", "the natural log, math.log(x)")
        if not any(c is a for c in getattr(out, '_prev', ())):
            fail(f"Value({num(x0)}).log() does not list its input in _prev: pass `(self,)` as the children")
        y = out * -3.0
        attempt(y.backward, "y.backward()")
        expect_number(a.grad, -3.0 / x0, "a.grad", "d/dx ln x = 1/x: add `(1 / self.data) * out.grad`",
                      after=f"a = Value({num(x0)}); y = a.log() * -3.0; y.backward()",
                      wrong=[(-3.0 / math.log(x0), "that is 1 / out.data (1 / ln x); the derivative of ln x is "
                                                   "1 / x, the input's data: `1 / self.data`"),
                             (-3.0, "the chain rule: multiply the local gradient 1/x by out.grad"),
                             (-3.0 * x0, "that is x; the derivative of ln x is 1 / x")])
    # a used twice, and log's closure runs last (y uses a.log()): a.grad = ln a + a * (1/a)
    a = value(Value, 2.0, label="a")
    y = attempt(lambda: a.log() * a, "a.log() * a")
    attempt(y.backward, "y.backward()")
    expect_number(a.grad, math.log(2.0) + 1.0, "a.grad", "log's _backward must add to self.grad, `+=`, as every "
                  "closure does: a node used twice gets both contributions",
                  wrong=[(1.0, "log's _backward assigns (`=`) instead of accumulating (`+=`): it overwrote the "
                               "ln 2 that `* a` had sent to a")], after="a = Value(2.0); y = a.log() * a; y.backward()")


def test_softmax_values(learner):
    """softmax([1.0, 2.0, 3.0]) = [0.0900, 0.2447, 0.6652]"""
    zs = [1.0, 2.0, 3.0]
    _, probs = probs_of(learner, zs)
    want = softmax_f(zs)
    got = [p.data for p in probs]
    if abs(sum(got) - 1) > 1e-9:
        fail(f"softmax([1.0, 2.0, 3.0]) is {fmt(got)}, summing to {num(sum(got))}; expected "
             f"{fmt([round(w, 4) for w in want])}, summing to 1: {NORMALISE}")
    for k, (g, w) in enumerate(zip(got, want)):
        expect_number(g, w, f"softmax([1.0, 2.0, 3.0])[{k}].data", "each probability is exp(z_k) / sum_j exp(z_j)",
                      tol=1e-9)


def test_sums_to_one(learner):
    """the probabilities are positive and sum to 1, for negative and mixed logits too"""
    for zs in ([-2.0, 0.5, 1.5, -0.3], [-5.0, -6.0], [0.0, 0.0, 0.0]):
        _, probs = probs_of(learner, zs)
        got = [p.data for p in probs]
        if any(g <= 0 for g in got) or abs(sum(got) - 1) > 1e-9:
            fail(f"softmax({fmt(zs)}) is {fmt(got)}, summing to {num(sum(got))}; expected positive numbers "
                 f"summing to 1, {fmt([round(w, 4) for w in softmax_f(zs)])}: {NORMALISE}")


def test_large_logits(learner):
    """logits of 1000 do not overflow, and -1000 do not underflow to 0/0"""
    for zs in ([1000.0, 999.0, 998.0], [-1000.0, -1001.0]):
        _, probs = probs_of(learner, zs)
        want = softmax_f(zs)
        got = [p.data for p in probs]
        if not all(abs(g - w) < 1e-9 for g, w in zip(got, want)):
            fail(f"softmax({fmt(zs)}) is {fmt(got)}; expected {fmt([round(w, 4) for w in want])}, the same as for "
                 f"{fmt([z - max(zs) for z in zs])}: {STABLE}")
    _, loss = ce_of(learner, [1000.0, 999.0, 998.0], 0)
    expect_number(loss.data, -math.log(softmax_f([1000.0, 999.0, 998.0])[0]), "cross_entropy([1000, 999, 998], 0).data",
                  f"{CE}, with a stable softmax")


def test_cross_entropy_value(learner):
    """cross_entropy(logits, target) = -log softmax(logits)[target]"""
    zs = [1.0, 3.0, 0.5, -1.0]
    p = softmax_f(zs)
    for target in (2, 1):
        _, loss = ce_of(learner, zs, target)
        others = [(-math.log(p[k]), f"that is -log p[{k}], the probability of class {k}; take the target's, "
                   f"probs[target] with target = {target}") for k in range(4) if k != target]
        expect_number(loss.data, -math.log(p[target]), f"cross_entropy({fmt(zs)}, {target}).data", CE,
                      wrong=[(math.log(p[target]), f"that is log p[target], which is negative: the loss is "
                                                   f"minus it, {CE}")] + others)


@in_both_orders
def test_cross_entropy_gradient(learner):
    """d loss / d logit_k = p_k - (1 if k is the target else 0)"""
    zs = [1.0, 3.0, 0.5, -1.0]
    target = 2
    logits, loss = ce_of(learner, zs, target)
    attempt(loss.backward, "loss.backward()")
    p = softmax_f(zs)
    for k, z in enumerate(logits):
        want = p[k] - (1.0 if k == target else 0.0)
        expect_number(z.grad, want, f"logits[{k}].grad", "the gradient of -log softmax(z)[t] is p - onehot(t): "
                      "check Value.log's local gradient (1 / x) and that the loss is built from the logit Values",
                      after=f"loss = cross_entropy({fmt(zs)}, {target}); loss.backward()", tol=1e-6,
                      wrong=[(-want, f"the sign is flipped: the loss is {CE}")])


@in_both_orders
def test_softmax_gradient(learner):
    """gradients flow through softmax to every logit (matching finite differences)"""
    zs = [0.3, -1.2, 2.0]
    c = [1.0, -2.0, 3.0]
    logits, probs = probs_of(learner, zs)
    y = sum(ck * pk for ck, pk in zip(c, probs))
    attempt(y.backward, "y.backward()")
    h = 1e-6
    for k, z in enumerate(logits):
        up = list(zs)
        down = list(zs)
        up[k] += h
        down[k] -= h
        want = (sum(ck * pk for ck, pk in zip(c, softmax_f(up))) - sum(ck * pk for ck, pk in zip(c, softmax_f(down)))) / (2 * h)
        expect_number(z.grad, want, f"logits[{k}].grad", "build softmax from the logit Values (exp, sum, /), so "
                      "each probability's graph reaches every logit", tol=1e-5,
                      after=f"probs = softmax({fmt(zs)}); y = 1·p0 - 2·p1 + 3·p2; y.backward()")
