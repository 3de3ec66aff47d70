"""Hidden checks for adamw.

The learner's optimiser runs on the learner's Values; the checks run their own AdamW (and
the usual wrong versions of it) on plain floats with the same gradients, and compare.
"""

import math

from gradrill.checks import attempt, close, fail, fmt, need, num, value
from gradrill.checks.nn import lecture_mlp, gc_paused, LECTURE_XS, LECTURE_YS, squared_error

UPDATE = ("m = b1·m + (1-b1)·g; v = b2·v + (1-b2)·g²; m_hat = m / (1 - b1**t); v_hat = v / (1 - b2**t); "
          "p.data -= lr · (m_hat / (sqrt(v_hat) + eps) + weight_decay · p.data)")
MISTAKES = {
    "no_bias": ("match Adam without bias correction: m and v start at 0, so early on they are too small; "
                "divide by (1 - beta1**t) and (1 - beta2**t), `m_hat = m / (1 - beta1**t)`"),
    "l2": ("match weight decay added to the gradient (L2) before the moments: AdamW decouples it, "
           "`p.data -= lr * (m_hat / (sqrt(v_hat) + eps) + weight_decay * p.data)`"),
    "t_per_param": ("match a step counter t that goes up once per parameter: `self.t += 1` belongs at the start "
                    "of step(), outside the loop over the parameters"),
    "t_stuck": ("match a step counter t that never goes up: `self.t += 1` at the start of every step()"),
    "shared": ("match one m and one v shared by all the parameters: each parameter needs its own running means, "
               "`self.m = [0.0 for _ in parameters]` (and self.v), indexed by i"),
}

# a quadratic bowl: loss = sum a_i (p_i - c_i)**2, with very different scales
P0 = [1.0, -2.0, 0.5]
C = [3.0, 1.0, -1.0]
A = [1.0, 10.0, 0.1]


def grads_of(ps):
    return [2 * a * (p - c) for p, a, c in zip(ps, A, C)]


def simulate(ps, steps, lr=0.1, betas=(0.9, 0.95), eps=1e-8, wd=1e-4, variant="correct", grads=grads_of):
    """AdamW on floats; returns the parameters after each step."""
    ps = list(ps)
    b1, b2 = betas
    m = [0.0] * len(ps)
    v = [0.0] * len(ps)
    t = 0
    shared_m = shared_v = 0.0
    history = []
    for _ in range(steps):
        gs = grads(ps)
        if variant != "t_per_param":
            t += 1
        for i, g in enumerate(gs):
            if variant == "t_per_param":
                t += 1
            if variant == "l2":
                g = g + wd * ps[i]
            if variant == "shared":
                shared_m = b1 * shared_m + (1 - b1) * g
                shared_v = b2 * shared_v + (1 - b2) * g * g
                mi, vi = shared_m, shared_v
            else:
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                mi, vi = m[i], v[i]
            tt = 1 if variant == "t_stuck" else t
            if variant == "no_bias":
                mh, vh = mi, vi
            else:
                mh, vh = mi / (1 - b1**tt), vi / (1 - b2**tt)
            decay = 0.0 if variant == "l2" else wd * ps[i]
            ps[i] -= lr * (mh / (math.sqrt(vh) + eps) + decay)
        history.append(list(ps))
    return history


def step_hint(exc):
    if isinstance(exc, ZeroDivisionError):
        return ("1 - beta1**t is 0 when t is 0: count the steps, `self.t += 1` at the start of step(), "
                "before the bias correction")
    if isinstance(exc, (TypeError, IndexError)):
        return "keep one m and one v per parameter (lists as long as the parameters), indexed by i"
    return ""


def optimiser(learner, params, what, **kwargs):
    AdamW = need(learner, "AdamW")
    return attempt(lambda: AdamW(params, **kwargs), what)


def run_quadratic(learner, steps, what, **kwargs):
    """The learner's AdamW on the bowl; the parameters after each step."""
    Value = need(learner, "Value")
    ps = [value(Value, p, label=f"p{i}") for i, p in enumerate(P0)]
    opt = optimiser(learner, ps, what, **kwargs)
    history = []
    for k in range(steps):
        loss = sum(a * (p - c)**2 for p, a, c in zip(ps, A, C))
        attempt(opt.zero_grad, "opt.zero_grad()")
        loss.backward()
        attempt(opt.step, f"opt.step() (step {k + 1})", step_hint)
        history.append([p.data for p in ps])
    return history


def compare(got, want, what, kwargs_sim):
    for k, (g_row, w_row) in enumerate(zip(got, want)):
        for i, (g, w) in enumerate(zip(g_row, w_row)):
            if close(g, w, 1e-7):
                continue
            message = f"after step {k + 1}, p{i}.data is {g:.10g}; expected {w:.10g} ({what}); the parameters"
            for variant, why in MISTAKES.items():
                alt = simulate(P0, len(got), variant=variant, **kwargs_sim)
                if all(close(a, b, 1e-7) for ra, rb in zip(got, alt) for a, b in zip(ra, rb)):
                    fail(f"{message} {why}")
            if all(close(a, b, 1e-12) for a, b in zip(g_row, P0)) and k == 0:
                fail(f"{message} never moved: step() should update every parameter: {UPDATE}")
            fail(f"{message} do not follow AdamW: {UPDATE}")


def test_first_step_is_lr(learner):
    """the first step moves a parameter by lr against its gradient, whatever the gradient's size"""
    Value = need(learner, "Value")
    for g_scale in (1.0, 100.0):
        p = value(Value, 1.0, label="p")
        opt = optimiser(learner, [p], "AdamW([p], lr=0.1, weight_decay=0.0)", lr=0.1, weight_decay=0.0)
        loss = (p - 3.0)**2 * g_scale
        attempt(opt.zero_grad, "opt.zero_grad()")
        loss.backward()
        attempt(opt.step, "opt.step()", step_hint)
        after = f"p = Value(1.0); loss = {num(g_scale)} * (p - 3)**2; loss.backward(); opt.step()"
        if not close(p.data, 1.1, 1e-7):
            no_bias = 1.0 + 0.1 * 0.1 / math.sqrt(0.05)
            why = f"with bias correction m_hat = g and v_hat = g², so the step is lr · g/|g| = lr: {UPDATE}"
            if close(p.data, no_bias, 1e-6):
                why = MISTAKES["no_bias"].replace("match Adam", "that is Adam")
            elif close(p.data, 0.9, 1e-7):
                why = "it moved with the gradient: AdamW subtracts, `p.data -= lr * (...)`"
            fail(f"p.data is {num(p.data)} after {after}; expected 1.1 (the first step of Adam moves each parameter "
                 f"by lr against its gradient's sign): {why}")


def test_matches_adamw(learner):
    """five steps on a quadratic bowl match AdamW exactly (bias correction, one t, m and v per parameter)"""
    got = run_quadratic(learner, 5, "AdamW(ps, lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=1e-4)",
                        lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=1e-4)
    compare(got, simulate(P0, 5), "loss = 1·(p0 - 3)² + 10·(p1 - 1)² + 0.1·(p2 + 1)²", {})


def test_weight_decay_is_decoupled(learner):
    """weight decay shrinks a parameter by lr · weight_decay · p, outside the gradient's moments"""
    Value = need(learner, "Value")
    q = value(Value, 3.0, label="q")   # no gradient: only the decay moves it
    p = value(Value, 1.0, label="p")
    opt = optimiser(learner, [p, q], "AdamW([p, q], lr=0.1, weight_decay=0.5)", lr=0.1, weight_decay=0.5)
    loss = (p - 3.0)**2
    attempt(opt.zero_grad, "opt.zero_grad()")
    loss.backward()
    attempt(opt.step, "opt.step()", step_hint)
    after = ("p, q = Value(1.0), Value(3.0); opt = AdamW([p, q], lr=0.1, weight_decay=0.5); loss = (p - 3)**2; "
             "loss.backward(); opt.step()")
    want_q = 3.0 - 0.1 * 0.5 * 3.0
    if not close(q.data, want_q, 1e-7):
        why = "decay every parameter by lr · weight_decay · p.data in the update, outside m and v"
        if close(q.data, 2.9, 1e-6):
            why = ("that is weight decay added to the gradient (L2): it went through m and v and was normalised "
                   "to a step of lr; AdamW decouples it: "
                   "`p.data -= lr * (m_hat / (sqrt(v_hat) + eps) + weight_decay * p.data)`")
        elif close(q.data, 3.0, 1e-12):
            why = ("q has no gradient, so only weight decay can move it: add `weight_decay * p.data` to the update, "
                   "`p.data -= lr * (m_hat / (sqrt(v_hat) + eps) + weight_decay * p.data)`")
        fail(f"q.data is {num(q.data)} after {after}; expected {num(want_q)} = 3 - 0.1·0.5·3: {why}")
    want_p = 1.0 - 0.1 * (-1.0 + 0.5 * 1.0)
    if not close(p.data, want_p, 1e-7):
        fail(f"p.data is {num(p.data)} after {after}; expected {num(want_p)} = 1 - 0.1·(-1 + 0.5·1): the Adam step "
             f"and the decay add up: {UPDATE}")


def test_defaults(learner):
    """AdamW(params) defaults to lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=1e-4"""
    explicit = run_quadratic(learner, 3, "AdamW(ps, lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=1e-4)",
                             lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=1e-4)
    want = simulate(P0, 3)
    compare(explicit, want, "loss = 1·(p0 - 3)² + 10·(p1 - 1)² + 0.1·(p2 + 1)²", {})
    got = run_quadratic(learner, 3, "AdamW(ps)")
    if not all(close(a, b, 1e-7) for ra, rb in zip(got, want) for a, b in zip(ra, rb)):
        fail(f"with AdamW(ps) the parameters after 3 steps are {fmt(got[-1])}; expected {fmt(want[-1])}: "
             "the defaults are `lr=0.1, betas=(0.9, 0.95), eps=1e-8, weight_decay=1e-4`")


def test_zero_grad(learner):
    """zero_grad() resets every parameter's grad to 0"""
    Value = need(learner, "Value")
    ps = [value(Value, x) for x in P0]
    opt = optimiser(learner, ps, "AdamW(ps)")
    for k, p in enumerate(ps):
        p.grad = 1.5 + k
    attempt(opt.zero_grad, "opt.zero_grad()")
    left = [p.grad for p in ps if p.grad != 0]
    if left:
        fail(f"after opt.zero_grad() some grads are still {fmt(left)}; expected 0 for every parameter: "
             "`for p in self.parameters: p.grad = 0.0`")
    if [p.data for p in ps] != P0:
        fail("opt.zero_grad() changed the parameters' data; it should reset only their grads")


def test_trains_the_lecture_network(learner):
    """AdamW (lr 0.1) trains the lecture's MLP(3, [4, 4, 1]): loss under 0.01 in 40 steps"""
    Value = need(learner, "Value")
    model = lecture_mlp(Value, 3, [4, 4, 1], seed=0, relu_seed=13)
    opt = optimiser(learner, model.parameters(), "AdamW(model.parameters())")
    losses = []
    with gc_paused():
        for k in range(40):
            loss = squared_error(model, LECTURE_XS, LECTURE_YS)
            attempt(opt.zero_grad, "opt.zero_grad()")
            loss.backward()
            attempt(opt.step, f"opt.step() (step {k + 1})", step_hint)
            losses.append(loss.data)
    final = squared_error(model, LECTURE_XS, LECTURE_YS).data
    if not final < 0.01:
        fail(f"after 40 AdamW steps on the lecture's data the loss is {num(final)} (it went {num(losses[0])} -> "
             f"{num(losses[19])} -> {num(losses[-1])}); expected under 0.01: {UPDATE}")
