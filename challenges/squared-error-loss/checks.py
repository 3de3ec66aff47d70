"""Hidden checks for squared-error-loss.

Most checks pass loss_fn a stand-in model whose predictions are fixed leaf Values, so the
loss and its gradients have known numbers; the last one uses a network the checks build
on the learner's Value.
"""

from gradrill.checks import attempt, expect_number, fail, fmt, is_value, need, nodes_of, value, in_both_orders
from gradrill.checks.nn import lecture_mlp, first_output, LECTURE_XS, LECTURE_YS, param_grads_fd

PREDS = [0.8, -0.6, 0.4, 0.7]  # with the lecture's targets [1, -1, -1, 1]: loss 2.25
SETUP = "model(xs[k]) = [0.8, -0.6, 0.4, 0.7] for the lecture's xs, ys = [1.0, -1.0, -1.0, 1.0]"
FORMULA = "`sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))`"


class FixedModel:
    """model(xs[k]) is the leaf Value preds[k]."""

    def __init__(self, Value, preds):
        self.preds = [value(Value, p, label=f"ypred{k}") for k, p in enumerate(preds)]
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        for k, xk in enumerate(LECTURE_XS):
            if list(x) == xk:
                return self.preds[k]
        fail(f"loss_fn called model({x!r}); expected model(x) for each x in xs")


def loss_of(learner, model, what="loss_fn(model, xs, ys)"):
    loss_fn = need(learner, "loss_fn")
    xs, ys = [list(x) for x in LECTURE_XS], list(LECTURE_YS)
    loss = attempt(lambda: loss_fn(model, xs, ys), what)
    if not is_value(loss):
        detail = ""
        if isinstance(loss, (int, float)):
            detail = (": a plain number has no graph, so loss.backward() cannot reach the network; build the "
                      "loss from the predictions themselves (no `.data`)")
        fail(f"{what} returned {fmt(loss)}; expected a Value{detail or ': ' + FORMULA}")
    return loss


def wrong_values():
    diffs = [p - y for p, y in zip(PREDS, LECTURE_YS)]
    return [
        (sum(diffs), f"that is the sum of the differences, not squared: square each, {FORMULA}"),
        (sum(2 * d for d in diffs), "that is twice each difference: the square is `**2`, not `*2`"),
        (diffs[-1]**2, "that is the last sample's error only: add up the squared errors of every sample"),
        (sum(d * d for d in diffs) / 4, "that is the mean; this loss is the sum over the samples"),
        (sum(abs(d) for d in diffs), "that is the sum of absolute errors: square each, (yout - ygt)**2"),
    ]


@in_both_orders
def test_returns_a_value(learner):
    """loss_fn returns a Value (the root of a graph), not a plain number"""
    Value = need(learner, "Value")
    loss_of(learner, FixedModel(Value, PREDS))


@in_both_orders
def test_loss_value(learner):
    """the loss is the sum of squared errors: 2.25 for predictions [0.8, -0.6, 0.4, 0.7]"""
    Value = need(learner, "Value")
    loss = loss_of(learner, FixedModel(Value, PREDS))
    want = sum((p - y)**2 for p, y in zip(PREDS, LECTURE_YS))
    expect_number(loss.data, want, "loss.data", f"add up (yout - ygt)**2 over every sample: {FORMULA}",
                  wrong=wrong_values(), after=SETUP)


@in_both_orders
def test_every_sample(learner):
    """loss_fn asks the model about every sample, and every prediction is in the loss"""
    Value = need(learner, "Value")
    model = FixedModel(Value, PREDS)
    loss = loss_of(learner, model)
    if model.calls < 4:
        fail(f"loss_fn called the model {model.calls} times for 4 samples; expected a prediction for every "
             "sample: `ypred = [model(x) for x in xs]`")
    ids = {id(v) for v in nodes_of(loss)}
    reached = [k for k, p in enumerate(model.preds) if id(p) in ids]
    if reached != [0, 1, 2, 3]:
        fail(f"the loss's graph holds the predictions of samples {reached}; expected all of 0, 1, 2, 3: "
             "add up every sample's squared error")


@in_both_orders
def test_gradients(learner):
    """loss.backward() gives each prediction the gradient 2 · (yout - ygt)"""
    Value = need(learner, "Value")
    model = FixedModel(Value, PREDS)
    loss = loss_of(learner, model)
    attempt(loss.backward, "loss.backward()")
    for k, (p, y) in enumerate(zip(PREDS, LECTURE_YS)):
        want = 2 * (p - y)
        expect_number(model.preds[k].grad, want, f"ypred[{k}].grad", f"d/dyout of (yout - ygt)**2 is 2·(yout - ygt): "
                      f"the loss should be {FORMULA}", after=f"{SETUP}; loss.backward()",
                      wrong=[(1.0, "1.0 is the gradient of an unsquared difference: square it, `**2`"),
                             (2.0, "2.0 is the gradient of `(yout - ygt)*2`: the square is `**2`"),
                             (0.0, "this sample never reached the loss: add up every sample's squared error")])


@in_both_orders
def test_gradients_reach_the_network(learner):
    """with a real network, loss.backward() fills every parameter's grad (matching finite differences)"""
    Value = need(learner, "Value")
    model = lecture_mlp(Value, 3, [4, 4, 1], seed=3)
    loss = loss_of(learner, model, "loss_fn(MLP(3, [4, 4, 1]), xs, ys)")
    want = sum((first_output(model(x)).data - y)**2 for x, y in zip(LECTURE_XS, LECTURE_YS))
    expect_number(loss.data, want, "loss_fn(model, xs, ys).data", f"the sum of squared errors, {FORMULA}",
                  after="model = MLP(3, [4, 4, 1]) on the lecture's data", tol=1e-9)
    attempt(loss.backward, "loss.backward()")
    params = model.parameters()
    xs, ys = [list(x) for x in LECTURE_XS], list(LECTURE_YS)
    fd = param_grads_fd(params, lambda: need(learner, "loss_fn")(model, xs, ys).data)
    for k, (p, g) in enumerate(zip(params, fd)):
        expect_number(p.grad, g, f"parameter {k}'s grad", "build the loss out of the model's Values so backward() "
                      "reaches every weight", after="loss = loss_fn(MLP(3, [4, 4, 1]), xs, ys); loss.backward()",
                      tol=1e-5)
