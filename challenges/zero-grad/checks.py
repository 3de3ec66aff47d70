"""Hidden checks for zero-grad.

zero_grad() may live on a Module base class (the library) or on MLP itself. The checks
read the network through model.layers[i].neurons[j].w / .b, so a parameter that
parameters() forgets is still caught when zero_grad() leaves its gradient behind.
"""

from gradrill.checks import attempt, fail, fmt, is_value, need, num, in_both_orders
from gradrill.checks.engine import engine_hint
from gradrill.checks.nn import distinct, first_output, LECTURE_XS, LECTURE_YS, network, seed_network

RESET = "`for p in self.parameters(): p.grad = 0.0`"


def build(learner, name, *args):
    cls = need(learner, name)
    shown = ", ".join(map(str, args))
    return attempt(lambda: cls(*args), f"{name}({shown})")


def params_of(obj, what, want):
    params = attempt(lambda: list(obj.parameters()), f"{what}.parameters()")
    if any(isinstance(p, (list, tuple)) for p in params):
        fail(f"{what}.parameters() returned a list of lists; expected one flat list of {want} Values: "
             "flatten with a nested comprehension, `[p for x in ... for p in x.parameters()]`")
    if not all(is_value(p) for p in params):
        fail(f"{what}.parameters() returned {fmt(params)}; expected {want} Values")
    return params


def loss_of(model):
    return sum((first_output(model(x)) - y)**2 for x, y in zip(LECTURE_XS, LECTURE_YS))


def trained_once(learner):
    """An MLP(3, [4, 4, 1]) after one backward pass of the lecture's loss; and its parameters by structure."""
    model = build(learner, "MLP", 3, [4, 4, 1])
    neurons = network(model, "MLP(3, [4, 4, 1])")
    seed_network(neurons, 1)  # the same weights every run (and gradient through relu neurons too)
    every = [(f"layers[{i}].neurons[{j}].{'b' if k == len(n.w) else f'w[{k}]'}", p)
             for i, layer in enumerate(neurons) for j, n in enumerate(layer)
             for k, p in enumerate(list(n.w) + [n.b])]
    loss = attempt(lambda: loss_of(model), "loss = sum((model(x) - y)**2) over the lecture's samples")
    attempt(loss.backward, "loss.backward()")
    return model, every


def zero(model, what="model.zero_grad()"):
    if not callable(getattr(model, "zero_grad", None)):
        fail(f"{type(model).__name__} has no zero_grad() method: give MLP (or a Module base class) "
             f"`def zero_grad(self):` that sets every parameter's grad to 0: {RESET}")
    attempt(model.zero_grad, what)


def test_parameters(learner):
    """parameters(): 4 for Neuron(3), 16 for Layer(3, 4), 41 for MLP(3, [4, 4, 1]), each once"""
    for name, args, want in (("Neuron", (3,), 4), ("Layer", (3, 4), 16), ("MLP", (3, [4, 4, 1]), 41)):
        what = f"{name}({', '.join(map(str, args))})"
        obj = build(learner, name, *args)
        params = params_of(obj, what, want)
        if len(params) != want:
            hint = {"Neuron": "the 3 weights and the bias: `self.w + [self.b]`",
                    "Layer": "every neuron's parameters", "MLP": "every layer's parameters"}[name]
            if name != "Neuron" and len(params) == want * 3 // 4:
                hint = "as many as without the biases: does Neuron.parameters() include self.b?"
            fail(f"{what}.parameters() has {len(params)} Values; expected {want}: {hint}")
        if not distinct(params):
            fail(f"{what}.parameters() lists some Value twice; expected {want} different Values")
        if name == "MLP":
            own = {id(p) for layer in network(obj, what) for n in layer for p in list(n.w) + [n.b]}
            if {id(p) for p in params} != own:
                fail(f"{what}.parameters() returns Values that are not the network's own weights and biases "
                     "(copies?): return the very Values in the neurons, so zero_grad() and the update reach them")


@in_both_orders
def test_zero_grad_resets_every_grad(learner):
    """after a backward pass, model.zero_grad() sets every weight's and bias's grad to 0"""
    model, every = trained_once(learner)
    if all(p.grad == 0 for _, p in every):
        fail("every gradient is 0 right after loss.backward(): the network should be built from its Values")
    zero(model)
    left = [(name, p.grad) for name, p in every if p.grad != 0]
    if left:
        name, g = left[0]
        layers = sorted({name.split(".")[0] for name, _ in left})
        why = f"zero every parameter, {RESET}"
        if all(p.data == 0 for _, p in every):
            why = "every p.data is 0 instead: zero_grad resets the gradient, `p.grad = 0.0`, not `p.data`"
        elif len(left) == len(every):
            why = (f"not one grad changed: is it `p.grad == 0.0` (a comparison, which changes nothing) instead "
                   f"of `p.grad = 0.0`? Zero every parameter, {RESET}")
        elif all(name.endswith(".b") for name, _ in left):
            why = "only the biases kept their gradient: does Neuron.parameters() include self.b?"
        elif "layers[2]" not in layers:
            why = f"the last layer was reset but not {', '.join(layers)}: reset every layer's parameters, {RESET}"
        fail(f"model.{name}.grad is {num(g)} after loss.backward(); model.zero_grad(); expected 0 "
             f"({len(left)} of {len(every)} parameters kept their gradient): {why}")


@in_both_orders
def test_zero_grad_keeps_data(learner):
    """zero_grad() leaves every parameter's data as it was"""
    model, every = trained_once(learner)
    before = [p.data for _, p in every]
    zero(model)
    for (name, p), d in zip(every, before):
        if p.data != d:
            fail(f"model.{name}.data changed from {num(d)} to {num(p.data)} in zero_grad(); expected it "
                 f"unchanged: zero_grad resets the gradient, `p.grad = 0.0`, not `p.data`")


@in_both_orders
def test_fresh_gradients_after_zero_grad(learner):
    """backward() after zero_grad() gives the same gradients as the first backward(), not double"""
    model, every = trained_once(learner)
    first = [p.grad for _, p in every]
    zero(model)
    loss = attempt(lambda: loss_of(model), "the loss, after zero_grad()")
    attempt(loss.backward, "loss.backward() after model.zero_grad()")
    for (name, p), g in zip(every, first):
        if abs(p.grad - g) > 1e-9 * max(1.0, abs(g)):
            doubled = abs(p.grad - 2 * g) <= 1e-9 * max(1.0, abs(g))
            fail(f"model.{name}.grad is {num(p.grad)} after backward(); zero_grad(); backward(); expected "
                 f"{num(g)}, the same as after the first backward(): "
                 + ("it doubled: the old gradient was not reset, and `+=` in _backward added to it; "
                    f"{RESET}" if doubled else engine_hint(need(learner, "Value"),
                                                           f"zero_grad() should reset every gradient to 0: {RESET}")))
