"""The quiz families: generators of chain-rule problems. Each family is one card skill.

A problem is generated from ``(family, level, seed)`` with its own ``random.Random``
(never the global random state), so the same triple always gives the same problem, and
a new seed at every review gives new numbers (answers cannot be memorised).

========  =======  ================================================================
family    kind     what it drills
========  =======  ================================================================
lecture   numbers  the lecture's first graph ``e = a*b; d = e + c; L = d * f``, new
                   numbers (1: integers, 2: one decimal)
neuron    numbers  a neuron by hand, ``o = tanh(x1*w1 + x2*w2 + b)`` (1: as in the
                   lecture, 2: tanh decomposed through exp)
reuse     numbers  re-used nodes, where gradients add (1: ``a + a``, 2: ``a*b + a``,
                   3: a node used at two depths)
local     formula  every op's local derivative, ``out = x**3: x.grad += ?`` (1: + * - neg,
                   2: ** / exp, 3: tanh, relu, tanh through exp)
deep      numbers  random graphs (1: + and *, a few nodes; 2: - neg ** too, more nodes;
                   3: / exp tanh relu too, more nodes and re-use)
========  =======  ================================================================

Numbers are friendly: small integers or one decimal where the lecture used them; the
neuron's bias is chosen, as in the lecture, so that ``o`` comes out a round number.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Union

if TYPE_CHECKING:  # the generators import them when they first run: the home screen needs none of them
    from .formulas import FormulaCard
    from .graph import Problem

    Generated = Union[Problem, FormulaCard]

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4  # fsrs.Rating values


class UnknownFamily(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message
        return str(self.args[0])


@dataclass(frozen=True)
class Family:
    name: str
    kind: str                      # "numeric" or "formula"
    title: str
    levels: tuple[str, ...]        # what each level (1, 2, ...) asks
    make: Callable[[random.Random, int, int], Generated]

    @property
    def max_level(self) -> int:
        return len(self.levels)

    @property
    def key(self) -> str:
        """The family's FSRS card key."""
        return f"quiz:{self.name}"

    def generate(self, seed: int, level: int = 1) -> Generated:
        if not 1 <= level <= self.max_level:
            raise ValueError(f"{self.name} has level{'s 1 to' if self.max_level > 1 else ''} "
                             f"{self.max_level}, not {level}")
        rng = random.Random(f"gradrill-quiz:{self.name}:{level}:{seed}")
        return self.make(rng, level, seed)

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "title": self.title, "key": self.key,
                "levels": [{"level": i + 1, "what": what} for i, what in enumerate(self.levels)]}


# ---------------------------------------------------------------------------------------
# friendly numbers


def _int(rng: random.Random, lo: int, hi: int, zero: bool = False) -> int:
    while True:
        v = rng.randint(lo, hi)
        if v or zero:
            return v


def _dec(rng: random.Random, lo: float, hi: float) -> float:
    """A non-zero number with one decimal in [lo, hi]."""
    while True:
        v = rng.randint(round(lo * 10), round(hi * 10)) / 10
        if v:
            return v


def _fits(problem: Problem, data: float, grad: float) -> bool:
    return all(abs(n.data) <= data and abs(n.grad) <= grad for n in problem.nodes)


# ---------------------------------------------------------------------------------------
# lecture: e = a*b; d = e + c; L = d * f


def lecture(rng: random.Random, level: int, seed: int) -> Problem:
    from .graph import Builder

    pick = (lambda: _int(rng, -5, 5)) if level == 1 else (lambda: _dec(rng, -4, 4))
    while True:
        g = Builder()
        a, b, c = g.leaf("a", pick()), g.leaf("b", pick()), g.leaf("c", pick())
        e = g.op("e", "*", a, b)
        d = g.op("d", "+", e, c)
        f = g.leaf("f", pick())
        g.op("L", "*", d, f)
        p = g.build("lecture", level, seed, title="The lecture's graph: e = a*b; d = e + c; L = d * f",
                    target_s=120 if level == 1 else 150)
        if abs(p["d"].data) >= 0.1 and _fits(p, 100, 100):
            return p


# ---------------------------------------------------------------------------------------
# neuron: o = tanh(x1*w1 + x2*w2 + b)

ROUND_OUTPUTS = (0.6, 0.8, -0.6, -0.8, math.sqrt(0.5), -math.sqrt(0.5))


def neuron(rng: random.Random, level: int, seed: int) -> Problem:
    from .graph import Builder

    g = Builder()
    x1, x2 = g.leaf("x1", _int(rng, -3, 3)), g.leaf("x2", _int(rng, -2, 2, zero=True))
    w1 = g.leaf("w1", _int(rng, -3, 3) if rng.random() < 0.6 else _dec(rng, -2, 2))
    w2 = g.leaf("w2", _int(rng, -3, 3) if rng.random() < 0.6 else _dec(rng, -2, 2))
    o_target = rng.choice(ROUND_OUTPUTS)
    n_target = math.atanh(o_target)
    weighted = g.nodes[0].data * g.nodes[2].data + g.nodes[1].data * g.nodes[3].data
    b = g.leaf("b", n_target - weighted)  # like the lecture's b = 6.8813735870195432
    x1w1 = g.op("x1w1", "*", x1, w1)
    x2w2 = g.op("x2w2", "*", x2, w2)
    s = g.op("x1w1x2w2", "+", x1w1, x2w2)
    n = g.op("n", "+", s, b)
    if level == 1:
        g.op("o", "tanh", n)
        return g.build("neuron", level, seed, title="A neuron by hand: o = tanh(x1*w1 + x2*w2 + b)", target_s=200)
    two = g.leaf("two", 2.0, const=True)
    n2 = g.op("n2", "*", two, n)
    e = g.op("e", "exp", n2)
    one = g.leaf("one", 1.0, const=True)
    em1 = g.op("em1", "-", e, one)
    ep1 = g.op("ep1", "+", e, one)
    g.op("o", "/", em1, ep1)
    return g.build("neuron", level, seed,
                   title="A neuron, tanh through exp: e = exp(2*n); o = (e - 1) / (e + 1)", target_s=280)


# ---------------------------------------------------------------------------------------
# reuse: gradients add

# (name, op choices, children) after the leaves; the last step is the output
_REUSE_TEMPLATES: dict[int, list[tuple[tuple[str, ...], list[tuple[str, str, tuple[str, ...]]]]]] = {
    1: [
        (("a", "c"), [("b", "+", ("a", "a")), ("L", "*", ("b", "c"))]),
        (("a", "c"), [("b", "*", ("a", "a")), ("L", "+*", ("b", "c"))]),
        (("a", "d"), [("b", "+", ("a", "a")), ("c", "+", ("b", "b")), ("L", "*", ("c", "d"))]),
        (("a", "b"), [("c", "*", ("a", "b")), ("L", "+*", ("c", "c"))]),
    ],
    2: [
        (("a", "b"), [("d", "*", ("a", "b")), ("e", "+", ("a", "b")), ("f", "*", ("d", "e"))]),
        (("a", "b", "e"), [("c", "*", ("a", "b")), ("d", "+-", ("c", "a")), ("L", "*", ("d", "e"))]),
        (("a", "b"), [("c", "+-", ("a", "b")), ("d", "*", ("a", "c")), ("L", "+-", ("d", "b"))]),
        (("x", "w", "b"), [("p", "*", ("x", "w")), ("q", "+", ("p", "b")), ("L", "*", ("q", "x"))]),
    ],
    3: [
        (("a", "b"), [("c", "*", ("a", "b")), ("d", "+-", ("c", "b")), ("L", "*", ("d", "c"))]),
        (("a", "b", "c"), [("e", "+", ("a", "b")), ("f", "*", ("e", "c")), ("g", "+-", ("f", "e")),
                           ("L", "*", ("g", "a"))]),
        (("a", "b"), [("c", "*", ("a", "a")), ("d", "+", ("c", "b")), ("e", "*", ("d", "c")),
                      ("L", "+-", ("e", "a"))]),
        (("x", "w", "b"), [("p", "*", ("x", "w")), ("q", "+", ("p", "b")), ("r", "*", ("q", "p")),
                           ("L", "+", ("r", "x"))]),
    ],
}

_REUSE_TITLES = {1: "Re-used nodes: one op uses a node twice (a + a)",
                 2: "Re-used nodes: a node feeds two ops (a*b + a)",
                 3: "Re-used nodes: a node used at two depths"}


def reuse(rng: random.Random, level: int, seed: int) -> Problem:
    from .graph import Builder

    leaves, steps = rng.choice(_REUSE_TEMPLATES[level])
    ops = [rng.choice(choices) for _, choices, _ in steps]
    while True:
        g = Builder()
        for name in leaves:
            g.leaf(name, _int(rng, -4, 4))
        for (name, _, children), op in zip(steps, ops):
            g.op(name, op, *children)
        p = g.build("reuse", level, seed, title=_REUSE_TITLES[level], target_s=40 + 20 * len(g.nodes))
        if _fits(p, 200, 400) and _every_use_counts(p):
            return p


def _every_use_counts(p: Problem) -> bool:
    """No zero data or grad, and no use whose part is zero (a re-use the learner cannot see)."""
    return all(n.data != 0 and n.grad != 0 and all(t.local != 0 for t in p.explain(n.name).terms)
               for n in p.nodes)


# ---------------------------------------------------------------------------------------
# deep: random graphs at three levels


@dataclass(frozen=True)
class _DeepLevel:
    ops: tuple[str, ...]           # with repeats as weights
    leaves: int
    inner: tuple[int, int]         # how many op nodes (before folding loose ends)
    powers: tuple[float, ...]
    decimals: bool
    max_data: float
    max_grad: float
    reuse: bool                    # insist on an intermediate node used twice


DEEP = {
    1: _DeepLevel(("+", "+", "*", "*"), 3, (3, 4), (), False, 60, 120, False),
    2: _DeepLevel(("+", "+", "*", "*", "-", "neg", "**"), 3, (5, 6), (2, 3), False, 120, 250, True),
    3: _DeepLevel(("+", "*", "*", "-", "/", "**", "exp", "tanh", "tanh", "relu", "neg"), 4, (7, 9),
                  (2, 3, -1), True, 60, 120, True),
}
_LEAF_NAMES = "abcd"
_INNER_NAMES = "efghkmnpqrstuvwz"


def deep(rng: random.Random, level: int, seed: int) -> Problem:
    cfg = DEEP[level]
    while True:
        p = _deep_try(rng, cfg, level, seed)
        if p is not None:
            return p


def _deep_try(rng: random.Random, cfg: _DeepLevel, level: int, seed: int) -> Problem | None:
    from .graph import Builder

    # the shape first, as (op, children, power) over indices; names come after
    n_leaves = cfg.leaves
    steps: list[tuple[str, tuple[int, ...], float | None]] = []
    uses = [0] * n_leaves

    def pick(prefer_loose: bool) -> int:
        loose = [i for i, u in enumerate(uses) if u == 0]
        if loose and (prefer_loose or rng.random() < 0.5):
            return rng.choice(loose[-3:])
        recent = list(range(len(uses)))[-4:]
        return rng.choice(recent if rng.random() < 0.7 else list(range(len(uses))))

    for _ in range(rng.randint(*cfg.inner)):
        op = rng.choice(cfg.ops)
        if op in ("+", "*", "-", "/"):
            first = pick(True)
            second = pick(False)
            children: tuple[int, ...] = (first, second) if rng.random() < 0.5 else (second, first)
        else:
            children = (pick(True),)
        power = rng.choice(cfg.powers) if op == "**" else None
        for c in children:
            uses[c] += 1
        steps.append((op, children, power))
        uses.append(0)
    # fold the loose ends into the output, so every node matters
    while True:
        loose = [i for i, u in enumerate(uses) if u == 0]
        if len(loose) <= 1:
            break
        a, b = loose[0], loose[1]
        op = rng.choice(("+", "*"))
        uses[a] += 1
        uses[b] += 1
        steps.append((op, (a, b), None))
        uses.append(0)
    if cfg.reuse and not any(u > 1 for u in uses[n_leaves:]):
        return None
    if any(u == 0 for u in uses[:-1]):
        return None
    names = list(_LEAF_NAMES[:n_leaves]) + list(_INNER_NAMES[:len(steps) - 1]) + ["L"]
    g = Builder()
    for i in range(n_leaves):
        g.leaf(names[i], _dec(rng, -2, 2) if cfg.decimals else _int(rng, -3, 3))
    try:
        for k, (op, children, power) in enumerate(steps):
            values = [g.nodes[c].data for c in children]
            if not _safe(op, values, power):
                return None
            g.op(names[n_leaves + k], op, *(names[c] for c in children), power=power)
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    asked = len(g.nodes)
    p = g.build("deep", level, seed, title=f"A random graph, level {level}",
                target_s=30 + (15, 20, 30)[level - 1] * asked)
    if not _fits(p, cfg.max_data, cfg.max_grad):
        return None
    if sum(1 for n in p.nodes if n.grad != 0) < 0.7 * len(p.nodes):
        return None
    return p


def _safe(op: str, values: list[float], power: float | None) -> bool:
    """Keep the numbers friendly and every derivative well away from a kink or a pole."""
    if op == "/":
        return abs(values[1]) >= 0.5
    if op == "**":
        if power < 0:
            return abs(values[0]) >= 0.5
        return abs(values[0]) <= 6
    if op == "exp":
        return values[0] <= 3
    if op == "relu":
        return abs(values[0]) >= 0.2
    if op == "tanh":
        return abs(values[0]) <= 3
    return True


# ---------------------------------------------------------------------------------------
# local: every op's local derivative, as a formula

_PAIRS = (("a", "b"), ("x", "y"), ("u", "v"), ("self", "other"), ("w", "x"), ("p", "q"))
_SINGLES = ("x", "a", "n", "w", "self", "z")
_LOCAL_OPS = {1: ("+", "*", "-", "neg"), 2: ("**", "/", "exp"), 3: ("tanh", "relu", "tanh-exp")}
_POWERS = (2, 3, 4, 5, -1, -2, 0.5, 1.5)
_LOCAL_TARGET = {1: 30, 2: 45, 3: 60}

LOCAL_MSG = "that is the local derivative; the chain rule multiplies it by out.grad"


def local(rng: random.Random, level: int, seed: int) -> FormulaCard:
    op = rng.choice(_LOCAL_OPS[level])
    return formula_card(op, rng, level, seed)


def formula_card(op: str, rng: random.Random, level: int = 1, seed: int = 0) -> FormulaCard:
    """A card for ``op`` with names (and an exponent) drawn from ``rng``."""
    from .formulas import FormulaCard

    maker = _CARDS[op]
    fields = maker(rng)
    return FormulaCard(family="local", level=level, seed=seed, op=op, target_s=_LOCAL_TARGET.get(level, 45), **fields)


def _card_add(rng: random.Random) -> dict:
    a, b = rng.choice(_PAIRS)
    asked, other = (a, b) if rng.random() < 0.5 else (b, a)
    return dict(variables=(a, b), asked=asked, out_text=f"out = {a} + {b}", out_expr=f"{a} + {b}",
                answer="out.grad", accepted=("1 * out.grad", "1.0*out.grad", "out.grad * 1", "(out.grad)"),
                mistakes=((f"{other}.data * out.grad", "that is the rule for *: + passes out.grad to both sides "
                                                       "unchanged"),
                          ("2 * out.grad", "each side of + gets out.grad once (it is the re-used node that "
                                           "adds up)")))


def _card_mul(rng: random.Random) -> dict:
    a, b = rng.choice(_PAIRS)
    asked, other = (a, b) if rng.random() < 0.5 else (b, a)
    return dict(variables=(a, b), asked=asked, out_text=f"out = {a} * {b}", out_expr=f"{a} * {b}",
                answer=f"{other}.data * out.grad",
                accepted=(f"{other} * out.grad", f"out.grad * {other}.data", f"out.data / {asked} * out.grad"),
                mistakes=((f"{asked}.data * out.grad", f"the local derivative of {a} * {b} with respect to {asked} "
                                                       f"is the other factor, {other}"),
                          (f"{a} * {b} * out.grad", f"that is out.data * out.grad; the local derivative is the "
                                                    f"other factor, {other}"),
                          ("out.grad", f"that passes out.grad through unchanged, as + does; * scales it by the "
                                       f"other factor, {other}")))


def _card_sub(rng: random.Random) -> dict:
    a, b = rng.choice(_PAIRS)
    if rng.random() < 0.5:
        return dict(variables=(a, b), asked=a, out_text=f"out = {a} - {b}", out_expr=f"{a} - {b}",
                    answer="out.grad", accepted=("1 * out.grad", "out.grad * 1.0", "-(-out.grad)"),
                    mistakes=(("-out.grad", f"{a} - {b} grows with {a}: its local derivative is +1"),))
    return dict(variables=(a, b), asked=b, out_text=f"out = {a} - {b}", out_expr=f"{a} - {b}",
                answer="-out.grad", accepted=("-1 * out.grad", "out.grad * -1", "(-1.0)*out.grad", "0 - out.grad"),
                mistakes=(("out.grad", f"{b} is subtracted: its local derivative is -1, so -out.grad"),))


def _card_neg(rng: random.Random) -> dict:
    x = rng.choice(_SINGLES)
    return dict(variables=(x,), asked=x, out_text=f"out = -{x}", out_expr=f"-{x}",
                answer="-out.grad", accepted=("-1 * out.grad", "out.grad * -1", "-(out.grad)"),
                mistakes=(("out.grad", "negation flips the sign: -1 * out.grad"),))


def _card_pow(rng: random.Random) -> dict:
    from .graph import pow_text, power_text

    x = rng.choice(_SINGLES)
    n = rng.choice(_POWERS)
    p, p1 = power_text(n), power_text(n - 1)
    xn, xn1 = pow_text(x, n), x if n - 1 == 1 else pow_text(x, n - 1)
    accepted = [f"{p}*{x}.data**({p1})*out.grad", f"out.grad * {p} * {xn1}", f"{p} * out.data / {x} * out.grad"]
    if n == 2:
        accepted.append(f"2 * {x} * out.grad")
    mistakes = [(f"{p} * {xn} * out.grad", f"the power drops by one: {p} * {xn1}"),
                (f"{xn1} * out.grad", f"the exponent {p} comes down as a factor: {p} * {xn1}")]
    if n >= 2 and float(n).is_integer():
        mistakes.append((f"({p} * {xn} - 1) * out.grad",
                         f"{x}**{p}-1 is ({x}**{p}) - 1 in Python: the power is {p}-1, in parentheses"))
    return dict(variables=(x,), asked=x, out_text=f"out = {xn}", out_expr=xn,
                answer=f"{p} * {xn1} * out.grad", accepted=tuple(accepted), mistakes=tuple(mistakes),
                domains=((x, "positive"),) if not float(n).is_integer() else ())


def _card_div(rng: random.Random) -> dict:
    a, b = rng.choice(_PAIRS)
    base = dict(variables=(a, b), out_text=f"out = {a} / {b}", out_expr=f"{a} / {b}")
    if rng.random() < 0.5:
        return dict(base, asked=a, answer=f"out.grad / {b}.data",
                    accepted=(f"1/{b} * out.grad", f"{b}**(-1) * out.grad", f"out.data / {a} * out.grad"),
                    mistakes=((f"{b} * out.grad", f"d({a}/{b})/d{a} is 1/{b}, not {b}"),
                              (f"-{a} / {b}**2 * out.grad", f"that is the derivative with respect to {b}; for "
                                                           f"{a} it is 1/{b}")))
    return dict(base, asked=b, answer=f"-{a}.data / {b}.data**2 * out.grad",
                accepted=(f"-{a}/{b}**2*out.grad", f"-out.data / {b} * out.grad", f"-{a} * {b}**(-2) * out.grad"),
                mistakes=((f"{a} / {b}**2 * out.grad", f"the sign: {a}/{b} falls as {b} grows (for {a} > 0), so "
                                                       f"-{a}/{b}**2"),
                          (f"out.grad / {b}", f"that is the derivative with respect to {a}; for {b} it is "
                                              f"-{a}/{b}**2"),
                          (f"-1 / {b}**2 * out.grad", f"{a} is missing: -{a}/{b}**2"),
                          (f"-{a} / {b} * out.grad", f"square {b}: -{a}/{b}**2")))


def _card_exp(rng: random.Random) -> dict:
    x = rng.choice(_SINGLES)
    return dict(variables=(x,), asked=x, out_text=f"out = exp({x})", out_expr=f"exp({x})",
                answer="out.data * out.grad",
                accepted=(f"exp({x}) * out.grad", f"math.exp({x}.data) * out.grad", "out.grad * out.data"),
                mistakes=((f"{x} * out.grad", f"the derivative of exp({x}) is exp({x}) itself: out.data"),
                          (f"{x} * exp({x} - 1) * out.grad", f"exp({x}) is not a power of {x}: its derivative is "
                                                             f"exp({x}) itself")))


_TANH_MISTAKES = (("(1 - t) * out.grad", "square t: 1 - t**2"),
                  ("(1 - t)**2 * out.grad", "square t alone: 1 - t**2, not (1 - t)**2"),
                  ("(1 + t**2) * out.grad", "the sign: 1 - t**2"))


def _card_tanh(rng: random.Random) -> dict:
    x = rng.choice(_SINGLES)
    return dict(variables=(x,), asked=x, out_text=f"out = tanh({x})", out_expr=f"tanh({x})",
                answer="(1 - t**2) * out.grad",
                accepted=(f"(1 - tanh({x})**2) * out.grad", "(1 - t)*(1 + t)*out.grad", "(1 - out.data**2)*out.grad",
                          "out.grad - t*t*out.grad", f"out.grad / cosh({x})**2"),
                mistakes=_TANH_MISTAKES + ((f"(1 - {x}**2) * out.grad", f"t is out.data = tanh({x}), not {x}: "
                                                                        f"1 - t**2"),
                                           ("t * out.grad", "that is out.data; tanh's local derivative is 1 - t**2")),
                aliases=(("t", "out.data"),), note=f"t = out.data = tanh({x}), as in micrograd's tanh")


def _card_relu(rng: random.Random) -> dict:
    x = rng.choice(_SINGLES)
    return dict(variables=(x,), asked=x, out_text=f"out = relu({x})", out_expr=f"{x} if {x} > 0 else 0",
                answer="(out.data > 0) * out.grad",
                accepted=(f"({x} > 0) * out.grad", f"out.grad if {x} > 0 else 0", "(1 if out.data > 0 else 0) * out.grad",
                          f"({x}.data > 0) * out.grad"),
                mistakes=(("out.grad", "relu passes the gradient only where out.data > 0: (out.data > 0) * out.grad"),
                          ("out.data * out.grad", "the local derivative is (out.data > 0), 0 or 1, not out.data itself"),
                          ("(out.data < 0) * out.grad", "the other way round: the gradient flows where out.data > 0")),
                note=f"relu({x}) = {x} if {x} > 0 else 0; a comparison counts as 1 or 0")


def _card_tanh_exp(rng: random.Random) -> dict:
    x = rng.choice(tuple(s for s in _SINGLES if s != "self"))
    if rng.random() < 0.5:
        e2 = f"exp(2*{x})"
        return dict(variables=(x,), asked=x, out_text=f"out = ({e2} - 1) / ({e2} + 1)",
                    out_expr=f"({e2} - 1) / ({e2} + 1)", answer="(1 - t**2) * out.grad",
                    accepted=(f"4*{e2} / ({e2} + 1)**2 * out.grad", f"(1 - tanh({x})**2) * out.grad",
                              "(1 - out.data)*(1 + out.data)*out.grad"),
                    mistakes=_TANH_MISTAKES + ((f"{e2} * out.grad", f"that is only the exp inside; this is "
                                                                    f"tanh({x}): 1 - t**2"),),
                    aliases=(("t", "out.data"),), note=f"this is tanh({x}) built from exp; t = out.data")
    return dict(variables=("e",), asked="e", out_text="out = (e - 1) / (e + 1)", out_expr="(e - 1) / (e + 1)",
                answer="2 / (e + 1)**2 * out.grad",
                accepted=("((e + 1) - (e - 1)) / (e + 1)**2 * out.grad", "(1 - out.data) / (e + 1) * out.grad",
                          "2 * (e + 1)**(-2) * out.grad"),
                mistakes=(("1 / (e + 1) * out.grad", "quotient rule: d/de (e-1)/(e+1) = ((e+1) - (e-1)) / (e+1)**2"),
                          ("-2 / (e + 1)**2 * out.grad", "the sign: (e - 1)/(e + 1) grows with e"),
                          ("(1 - out.data**2) * out.grad", f"that is the derivative with respect to {x} (through "
                                                           f"e = exp(2*{x})); with respect to e it is 2/(e+1)**2")),
                domains=(("e", "positive"),),
                note=f"e = exp(2*{x}) is a node (always > 0), and out = tanh({x}) written through it")


_CARDS: dict[str, Callable[[random.Random], dict]] = {
    "+": _card_add, "*": _card_mul, "-": _card_sub, "neg": _card_neg, "**": _card_pow, "/": _card_div,
    "exp": _card_exp, "tanh": _card_tanh, "relu": _card_relu, "tanh-exp": _card_tanh_exp,
}
FORMULA_OPS = tuple(_CARDS)


# ---------------------------------------------------------------------------------------
# the registry

FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("lecture", "numeric", "The lecture's graph, new numbers",
           ("integers", "one decimal"), lecture),
    Family("neuron", "numeric", "A neuron by hand: o = tanh(x1*w1 + x2*w2 + b)",
           ("as in the lecture", "tanh decomposed through exp"), neuron),
    Family("reuse", "numeric", "Re-used nodes: gradients add",
           ("a node used twice by one op (a + a)", "a node feeding two ops (a*b + a)",
            "a node used at two depths"), reuse),
    Family("local", "formula", "Every op's local derivative, as a formula",
           ("+ * - neg", "** / exp", "tanh, relu, tanh through exp"), local),
    Family("deep", "numeric", "Deeper random graphs",
           ("+ and *, about 7 nodes", "- neg ** too, about 10 nodes, re-use",
            "/ exp tanh relu too, about 14 nodes, re-use"), deep),
)}


def family(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise UnknownFamily(f"no quiz family {name!r}: the families are {', '.join(FAMILIES)}") from None


def next_level(fam: Family, last: tuple[int, int | None] | None) -> int:
    """The level of a family's next problem from its last review ``(level, rating)``."""
    if not last or last[1] is None:
        return last[0] if last else 1
    level, rating = last
    if rating in (GOOD, EASY):
        level += 1
    elif rating == AGAIN:
        level -= 1
    return max(1, min(fam.max_level, level))


def generate(name: str, seed: int, level: int = 1) -> Generated:
    return family(name).generate(seed, level)
