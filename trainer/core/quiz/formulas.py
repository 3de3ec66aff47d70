"""Formula cards: "out = x**3: x.grad += ?", answered with a Python expression, graded safely.

**Safety.** The learner's text is never evaluated as Python. ``parse`` reads it with
``ast.parse(mode="eval")`` (which only parses) and walks the tree against a whitelist:
numbers, the card's variable names (``x`` or ``x.data``; ``t`` where the card says so),
``out.data`` and ``out.grad``, ``+ - * / **``, unary minus, parentheses, the functions
``exp tanh log sqrt cosh sinh`` (also as ``math.exp`` ...), and comparisons / ``a if c else b``
(for relu's ``(out.data > 0)``). Anything else (attribute access, other calls, subscripts,
strings, lambdas ...) is refused with a one-line message. Sizes are capped so nothing can
make the checker hang: at most ``MAX_CHARS`` characters and ``MAX_NODES`` tree nodes,
numbers up to ``MAX_LITERAL``, an exponent must be a number of size at most
``MAX_POWER``, and nested powers may not reach a degree over ``MAX_DEGREE``. What survives
is turned into a small tuple tree of our own (``Expr``), which is all that the evaluator
and the sympy translation ever see (sympy's ``parse_expr`` is never used: it calls
``eval``).

**Equivalence** (``check``), in two steps:

1. *In floating point*: the answer and the card's right answer are evaluated at ``POINTS``
   random points (fixed per card, so one answer always gets one verdict): every input
   drawn from its domain away from 0, and ``out.grad`` drawn too; ``out.data`` (and ``t``)
   is computed from the inputs, so ``1 - t**2`` and ``1 - tanh(x)**2`` are the same thing.
   An answer more than 5% off at some point is wrong: it is then matched against the
   card's known mistakes and the generic ones (a missing ``out.grad``, the bare local
   derivative, a flipped sign) to name what went wrong.
2. *Exactly*, for an answer that agrees (or nearly does: floating point loses digits in a
   cancellation) and has no comparison in it: sympy, imported only then, gets both, with
   ``out.data`` replaced by its definition, and evaluates them at the same points with
   ``PRECISION`` digits: a difference there (beyond 30 digits) makes the answer wrong, so
   ``x*1.0000000001`` is told apart. When they agree, sympy tries to prove the difference is
   0 (``expand``, then ``cancel`` with everything rewritten in ``exp``): right, "symbolic";
   if it cannot, the 50-digit agreement at 12 random points stands: right, "precise". If
   sympy fails, the floating-point verdict stands. An answer with a comparison (relu's
   ``(out.data > 0)``) is decided by step 1 alone.
"""

from __future__ import annotations

import ast
import math
import random
from dataclasses import dataclass, field
from typing import Any

MAX_CHARS = 200
MAX_NODES = 80
MAX_DEPTH = 30
MAX_LITERAL = 1e6
MAX_POWER = 16
MAX_DEGREE = 64
POINTS = 12
RTOL = 1e-9

FUNCTIONS = {"exp": math.exp, "tanh": math.tanh, "log": math.log, "sqrt": math.sqrt,
             "cosh": math.cosh, "sinh": math.sinh}
GRAD = "@grad"   # out.grad in an Expr
OUT = "@out"     # out.data in an Expr

# An Expr is a tuple tree:
#   ("num", value, text) | ("var", name) | ("bin", op, a, b) | ("neg", a) | ("call", fn, a)
#   | ("cmp", op, a, b) | ("if", test, a, b)
Expr = tuple

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_CMPOPS = {ast.Gt: ">", ast.GtE: ">=", ast.Lt: "<", ast.LtE: "<="}


class FormulaError(ValueError):
    """A malformed or refused answer; the message is one line for the learner."""


class EvalError(ArithmeticError):
    """An expression undefined at a point (division by zero, log of a negative, overflow)."""


@dataclass(frozen=True)
class FormulaCard:
    """One formula question: ``out = x**3``, ``x.grad += ?``."""

    family: str
    level: int
    seed: int
    op: str                                   # "+", "*", "**", "/", "-", "neg", "exp", "tanh", "relu", "tanh-exp"
    variables: tuple[str, ...]                # the op's inputs
    asked: str                                # whose grad is asked
    out_text: str                             # shown: "out = a * b"
    out_expr: str                             # out.data from the inputs (trusted text, same syntax)
    answer: str                               # the right answer, in the learner's syntax
    accepted: tuple[str, ...] = ()            # other right forms
    mistakes: tuple[tuple[str, str], ...] = ()  # (wrong answer, what it gets wrong)
    aliases: tuple[tuple[str, str], ...] = ()   # ("t", "out.data"): extra names the card allows
    domains: tuple[tuple[str, str], ...] = ()   # (variable, "any" | "positive")
    note: str = ""                            # e.g. "t = out.data = tanh(x), as in micrograd"
    target_s: float = 45.0

    @property
    def question(self) -> str:
        return f"{self.asked}.grad += ?"

    @property
    def kind(self) -> str:
        return "formula"

    def domain(self, name: str) -> str:
        return dict(self.domains).get(name, "any")

    def names_help(self) -> str:
        names = [f"{v} (or {v}.data)" for v in self.variables] + [a for a, _ in self.aliases]
        return ", ".join(names + ["out.data", "out.grad"])

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "level": self.level, "seed": self.seed, "kind": "formula",
                "op": self.op, "out": self.out_text, "question": self.question, "variables": list(self.variables),
                "aliases": dict(self.aliases), "note": self.note, "answer": self.answer,
                "accepted": list(self.accepted), "mistakes": [list(m) for m in self.mistakes]}


@dataclass(frozen=True)
class Verdict:
    status: str            # "right", "wrong" or "malformed"
    message: str = ""
    method: str = ""       # how "right"/"wrong" was decided: "numeric", "symbolic", "mistake"
    mistake: str = ""      # which known mistake it matched, if any

    @property
    def right(self) -> bool:
        return self.status == "right"

    @property
    def malformed(self) -> bool:
        return self.status == "malformed"


# ---------------------------------------------------------------------------------------
# Parsing (no eval)


@dataclass
class _Names:
    variables: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # name -> OUT, GRAD or a variable
    asked: str = ""
    numbers_only: bool = False


NUMBERS_ONLY = "type a number (arithmetic on numbers, like 0.5 * -3, is fine); names are not allowed here"


def _names(card: FormulaCard) -> _Names:
    aliases = {}
    for name, target in card.aliases:
        aliases[name] = {"out.data": OUT, "out.grad": GRAD}.get(target, target)
    return _Names(card.variables, aliases, card.asked)


def _strip_prefix(text: str, asked: str) -> str:
    """Accept ``x.grad += <expr>`` (the whole line of micrograd code) as ``<expr>``."""
    for head in (f"{asked}.grad +=", f"{asked}.grad+="):
        if text.startswith(head):
            return text[len(head):].strip()
    return text


def parse(text: str, card: FormulaCard) -> Expr:
    """The learner's answer as an ``Expr``, or ``FormulaError`` with a one-line reason."""
    return parse_with(text, _names(card))


def parse_with(text: str, names: _Names) -> Expr:
    text = (text or "").strip()
    if not text:
        raise FormulaError("empty answer: type an expression, e.g. out.grad * 2")
    if len(text) > MAX_CHARS:
        raise FormulaError(f"too long ({len(text)} characters; at most {MAX_CHARS})")
    if names.asked:
        text = _strip_prefix(text, names.asked)
        if "+=" in text or "=" in text.replace("==", "").replace(">=", "").replace("<=", "").replace("!=", ""):
            raise FormulaError("type only the right-hand side of +=, e.g. 2 * out.grad")
    if "^" in text:
        raise FormulaError("use ** for powers (^ is not a power in Python)")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"not a Python expression ({exc.msg}{where})") from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaError("not a Python expression this checker can read") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise FormulaError(f"too big an expression ({count} parts; at most {MAX_NODES})")
    e = _convert(tree.body, names, 0)
    if _degree(e) > MAX_DEGREE:
        raise FormulaError(f"too high a power (a polynomial degree over {MAX_DEGREE})")
    return e


def _degree(e: Expr) -> float:
    """An upper bound of the polynomial degree of ``e`` (a function call counts as degree 1 of
    its argument's degree): it keeps sympy away from expanding huge powers."""
    tag = e[0]
    if tag == "num":
        return 0
    if tag == "var":
        return 1
    if tag == "neg":
        return _degree(e[1])
    if tag == "call":
        return max(1, _degree(e[2]))
    if tag == "bin":
        a, b = _degree(e[2]), _degree(e[3])
        if e[1] in ("+", "-"):
            return max(a, b)
        if e[1] in ("*", "/"):
            return a + b
        return a * abs(evaluate(e[3], {}))
    return max(_degree(x) for x in e[1:] if isinstance(x, tuple))


def parse_number(text: str) -> float:
    """A numeric answer: a number, or arithmetic on numbers (``-2 * 3``, ``1 - 0.6**2``); safe."""
    e = parse_with(text, _Names((), {}, "", numbers_only=True))
    try:
        return evaluate(e, {})
    except EvalError as exc:
        raise FormulaError(f"that does not come out as a number ({exc})") from None


def _convert(node: ast.AST, names: _Names, depth: int) -> Expr:
    if depth > MAX_DEPTH:
        raise FormulaError("too deeply nested")
    d = depth + 1
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FormulaError(f"{value!r} is not a number")
        if not math.isfinite(value) or abs(value) > MAX_LITERAL:
            raise FormulaError(f"a number is too large (at most {MAX_LITERAL:g})")
        return ("num", float(value), ast.unparse(node))
    if isinstance(node, ast.Name):
        return _name(node.id, names)
    if isinstance(node, ast.Attribute):
        return _attribute(node, names)
    if isinstance(node, ast.BinOp):
        op = _BINOPS.get(type(node.op))
        if op is None:
            sym = {ast.BitXor: "^", ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@"}.get(type(node.op), "this operator")
            raise FormulaError(f"{sym} is not allowed: use + - * / and ** only")
        left, right = _convert(node.left, names, d), _convert(node.right, names, d)
        if op == "**":
            if _has_vars(right):
                raise FormulaError("an exponent must be a number (like x**2 or x**(-1))")
            p = evaluate(right, {})
            if abs(p) > MAX_POWER:
                raise FormulaError(f"exponent {p:g} is too large (at most {MAX_POWER})")
        return ("bin", op, left, right)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            return ("neg", _convert(node.operand, names, d))
        if isinstance(node.op, ast.UAdd):
            return _convert(node.operand, names, d)
        raise FormulaError("only - and + may stand before a value")
    if isinstance(node, ast.Call):
        fn = _function(node.func)
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise FormulaError(f"{fn}() takes one argument")
        return ("call", fn, _convert(node.args[0], names, d))
    if isinstance(node, ast.Compare):
        if len(node.ops) != 1 or type(node.ops[0]) not in _CMPOPS:
            raise FormulaError("a comparison may only be one of > >= < <=, e.g. (out.data > 0)")
        return ("cmp", _CMPOPS[type(node.ops[0])], _convert(node.left, names, d),
                _convert(node.comparators[0], names, d))
    if isinstance(node, ast.IfExp):
        return ("if", _convert(node.test, names, d), _convert(node.body, names, d), _convert(node.orelse, names, d))
    kind = type(node).__name__.lower()
    raise FormulaError(f"not allowed here ({kind}): use numbers, {_allowed(names)}, + - * / **, and "
                       f"{', '.join(FUNCTIONS)}")


def _allowed(names: _Names) -> str:
    return ", ".join(list(names.variables) + list(names.aliases) + ["out.data", "out.grad"])


def _name(name: str, names: _Names) -> Expr:
    if names.numbers_only:
        raise FormulaError(NUMBERS_ONLY)
    if name in names.variables:
        return ("var", name)
    if name in names.aliases:
        target = names.aliases[name]
        return ("var", target)
    if name == "out":
        raise FormulaError("out is the Value itself: write out.data or out.grad")
    if name == "grad":
        raise FormulaError("grad of what? write out.grad")
    if name in FUNCTIONS:
        raise FormulaError(f"{name} is a function: write {name}(...)")
    raise FormulaError(f"unknown name {name!r}: use {_allowed(names)}")


def _attribute(node: ast.Attribute, names: _Names) -> Expr:
    if names.numbers_only:
        raise FormulaError(NUMBERS_ONLY)
    base = node.value.id if isinstance(node.value, ast.Name) else None
    attr = node.attr
    if base == "out" and attr == "grad":
        return ("var", GRAD)
    if base == "out" and attr == "data":
        return ("var", OUT)
    if base in names.variables and attr == "data":
        return ("var", base)
    if base in names.variables and attr == "grad":
        if base == names.asked:
            raise FormulaError(f"{base}.grad is what you are computing: write what is added to it, using out.grad")
        raise FormulaError(f"{base}.grad does not enter {names.asked}.grad: the chain rule uses out.grad")
    if base == "math" and attr in FUNCTIONS:
        raise FormulaError(f"math.{attr} is a function: write math.{attr}(...)")
    shown = f"{base}.{attr}" if base else f"….{attr}"
    raise FormulaError(f"{shown} is not allowed: only out.data, out.grad and <variable>.data")


def _function(func: ast.AST) -> str:
    if isinstance(func, ast.Name) and func.id in FUNCTIONS:
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "math" \
            and func.attr in FUNCTIONS:
        return func.attr
    if isinstance(func, ast.Attribute):
        if func.attr in FUNCTIONS:
            return_hint = f"write {func.attr}(x), not x.{func.attr}()"
            raise FormulaError(f"method calls are not allowed: {return_hint}")
        raise FormulaError(f"calling .{func.attr}() is not allowed: the functions are {', '.join(FUNCTIONS)}")
    name = func.id if isinstance(func, ast.Name) else type(func).__name__
    raise FormulaError(f"{name}() is not allowed: the functions are {', '.join(FUNCTIONS)}")


def _has_vars(e: Expr) -> bool:
    if e[0] == "var":
        return True
    return any(_has_vars(x) for x in e[1:] if isinstance(x, tuple))


def _has_piecewise(e: Expr) -> bool:
    if e[0] in ("cmp", "if"):
        return True
    return any(_has_piecewise(x) for x in e[1:] if isinstance(x, tuple))


def uses(e: Expr, name: str) -> bool:
    if e[0] == "var":
        return e[1] == name
    return any(uses(x, name) for x in e[1:] if isinstance(x, tuple))


# ---------------------------------------------------------------------------------------
# Numeric evaluation (of an Expr only)


def evaluate(e: Expr, env: dict[str, float]) -> float:
    """The value of ``e`` with variables from ``env``; ``EvalError`` where it is undefined."""
    try:
        value = _eval(e, env)
    except (ZeroDivisionError, OverflowError, ValueError) as exc:
        raise EvalError(str(exc)) from None
    if isinstance(value, complex) or not math.isfinite(value):
        raise EvalError("not a real number")
    return float(value)


def _eval(e: Expr, env: dict[str, float]) -> float:
    tag = e[0]
    if tag == "num":
        return e[1]
    if tag == "var":
        return env[e[1]]
    if tag == "neg":
        return -_eval(e[1], env)
    if tag == "bin":
        a, b = _eval(e[2], env), _eval(e[3], env)
        op = e[1]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        result = a ** b
        if isinstance(result, complex):
            raise ValueError("a negative number to a fractional power")
        return result
    if tag == "call":
        return FUNCTIONS[e[1]](_eval(e[2], env))
    if tag == "cmp":
        a, b = _eval(e[2], env), _eval(e[3], env)
        return float({">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[e[1]])
    if tag == "if":
        return _eval(e[2], env) if _eval(e[1], env) else _eval(e[3], env)
    raise ValueError(f"unknown node {tag}")


def _trusted(text: str, card: FormulaCard) -> Expr:
    """An expression the quiz itself wrote (a right answer, a mistake, out's definition)."""
    return parse_with(text, _Names(card.variables, _names(card).aliases, ""))


def _points(card: FormulaCard, n: int = POINTS) -> list[dict[str, float]]:
    """Sample points for ``card``: the same ones every time for the same card."""
    rng = random.Random(f"points:{card.op}:{card.out_expr}:{card.variables}")
    out_expr = _trusted(card.out_expr, card)
    points = []
    while len(points) < n:
        env: dict[str, float] = {}
        for v in card.variables:
            mag = rng.uniform(0.35, 2.2)
            env[v] = mag if card.domain(v) == "positive" else rng.choice((-1, 1)) * mag
        env[GRAD] = rng.choice((-1, 1)) * rng.uniform(0.5, 3.0)
        try:
            env[OUT] = evaluate(out_expr, env)
        except EvalError:
            continue
        points.append(env)
    return points


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= RTOL * max(1.0, abs(a), abs(b))


def _same(a: Expr, b: Expr, points: list[dict[str, float]]) -> tuple[bool, dict[str, float] | None]:
    """Do ``a`` and ``b`` agree at every point? (False, the first point where not) otherwise."""
    for env in points:
        try:
            vb = evaluate(b, env)
        except EvalError:
            continue
        try:
            va = evaluate(a, env)
        except EvalError:
            return False, env
        if not _close(va, vb):
            return False, env
    return True, None


def _near(a: Expr, b: Expr, points: list[dict[str, float]], rtol: float = 0.05) -> bool:
    """Close at every point, though not to ``RTOL``: worth asking sympy."""
    try:
        return all(abs(evaluate(a, env) - evaluate(b, env)) <= rtol * max(1.0, abs(evaluate(b, env)))
                   for env in points)
    except EvalError:
        return False


def _scaled(e: Expr, factor: Expr) -> Expr:
    return ("bin", "*", e, factor)


def _at_grad(e: Expr, value: float) -> Expr:
    """``e`` with out.grad replaced by a number."""
    if e[0] == "var" and e[1] == GRAD:
        return ("num", value, repr(value))
    if e[0] in ("num", "var"):
        return e
    return (e[0],) + tuple(_at_grad(x, value) if isinstance(x, tuple) else x for x in e[1:])


# ---------------------------------------------------------------------------------------
# Checking


def check(text: str, card: FormulaCard) -> Verdict:
    """Grade one answer to ``card`` (see the module docstring)."""
    try:
        answer = parse(text, card)
    except FormulaError as exc:
        return Verdict("malformed", str(exc))
    truth = _trusted(card.answer, card)
    points = _points(card)
    same, where = _same(answer, truth, points)
    if not same and not _near(answer, truth, points):
        return Verdict("wrong", *_diagnose(answer, truth, card, points, where))
    if _has_piecewise(answer) or _has_piecewise(truth):
        return Verdict("right", "", "numeric") if same else Verdict("wrong", *_diagnose(answer, truth, card, points, where))
    decided = exact_comparison(answer, truth, card, points)
    if decided is not None:
        equal, method = decided
        if equal:
            return Verdict("right", "", method)
        return Verdict("wrong", "very close, but not equal to the right answer (exact arithmetic tells them "
                                "apart)", method)
    if same:
        return Verdict("right", "", "numeric")
    return Verdict("wrong", *_diagnose(answer, truth, card, points, where))


def _diagnose(answer: Expr, truth: Expr, card: FormulaCard, points, where) -> tuple[str, str, str]:
    """(message, method, mistake) for a wrong answer: a known mistake named if possible."""
    no_grad = not uses(answer, GRAD)
    for wrong, why in card.mistakes:
        mistake = _trusted(wrong, card)
        if _same(answer, mistake, points)[0]:
            return why, "mistake", wrong
        if no_grad and uses(mistake, GRAD) and _same(answer, _at_grad(mistake, 1.0), points)[0]:
            return f"{why}; and out.grad is missing", "mistake", wrong
    local = _at_grad(truth, 1.0)
    if no_grad and _same(answer, local, points)[0]:
        return "that is the local derivative; the chain rule multiplies it by out.grad", "mistake", "local"
    if no_grad:
        return "out.grad is missing: the chain rule multiplies the local derivative by out.grad", "mistake", "no-grad"
    if _same(answer, ("neg", truth), points)[0]:
        return "the sign is flipped", "mistake", "sign"
    if _same(answer, _scaled(truth, ("var", GRAD)), points)[0]:
        return "out.grad appears twice: multiply the local derivative by out.grad once", "mistake", "grad-twice"
    if not _same(truth, ("var", GRAD), points)[0] and _same(answer, ("var", GRAD), points)[0]:
        return (f"that passes out.grad through unchanged (as + does); {card.op} scales it by its local "
                f"derivative", "mistake", "pass-through")
    return _counterexample(answer, truth, card, where), "numeric", ""


def _counterexample(answer: Expr, truth: Expr, card: FormulaCard, env) -> str:
    if env is None:
        return "not equal to the right answer"
    shown = ", ".join(f"{v} = {env[v]:.3g}" for v in card.variables) + f", out.grad = {env[GRAD]:.3g}"
    try:
        yours = f"{evaluate(answer, env):.4g}"
    except EvalError:
        yours = "undefined"
    right = f"{evaluate(truth, env):.4g}"
    return f"not equal to the right answer: at {shown} yours gives {yours}, the right one {right}"


# ---------------------------------------------------------------------------------------
# Sympy (imported lazily: the trainer's start-up does not pay for it)


def _symbol(name: str, card: FormulaCard):
    import sympy

    assumptions = {"positive": True} if card.domain(name) == "positive" else {"real": True}
    return sympy.Symbol("G" if name == GRAD else name, **assumptions)


def to_sympy(e: Expr, card: FormulaCard):
    """``e`` as a sympy expression, with out.data replaced by its definition (no piecewise)."""
    import sympy

    out = None

    def conv(x: Expr):
        nonlocal out
        tag = x[0]
        if tag == "num":
            try:
                return sympy.Rational(x[2].replace("_", ""))
            except (TypeError, ValueError):
                return sympy.Float(x[1])
        if tag == "var":
            if x[1] == OUT:
                if out is None:
                    out = conv(_trusted(card.out_expr, card))
                return out
            return _symbol(x[1], card)
        if tag == "neg":
            return -conv(x[1])
        if tag == "bin":
            a, b = conv(x[2]), conv(x[3])
            return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
                    "**": lambda: a ** b}[x[1]]()
        if tag == "call":
            return getattr(sympy, x[1])(conv(x[2]))
        raise ValueError(f"no sympy form for {tag}")

    return conv(e)


PRECISION = 50  # digits for the exact-arithmetic comparison


def exact_comparison(a: Expr, b: Expr, card: FormulaCard, points: list[dict[str, float]]):
    """Are ``a`` and ``b`` equal? Decided at the sample points in ``PRECISION``-digit
    arithmetic (``(False, "precise")`` when they differ there); when they agree, sympy tries a
    proof that ``a - b`` is 0 (``expand``, then ``cancel`` after rewriting in ``exp``):
    ``(True, "symbolic")``, else ``(True, "precise")``. None when sympy is missing or fails
    (the float verdict stands). ``simplify`` is not used: it can take seconds and still fail."""
    try:
        import sympy
    except ImportError:  # sympy is a dependency; without it the float verdict stands
        return None
    try:
        truth = to_sympy(b, card)
        diff = to_sympy(a, card) - truth
        if diff == 0:
            return True, "symbolic"
        names = list(card.variables) + [GRAD]
        for env in points:
            subs = {_symbol(n, card): sympy.Float(repr(env[n]), PRECISION) for n in names}
            d = complex(diff.xreplace(subs).evalf(PRECISION))  # evalf(subs=...) is ~20x slower
            scale = max(1.0, abs(complex(truth.xreplace(subs).evalf(PRECISION))))
            if abs(d) > 1e-30 * scale:
                return False, "precise"
        if sympy.expand(diff) == 0 or sympy.cancel(sympy.expand(diff.rewrite(sympy.exp))) == 0:
            return True, "symbolic"
        return True, "precise"
    except Exception:  # noqa: BLE001 - a sympy failure leaves the float verdict
        return None
