"""Formula cards: equivalent forms accepted, common wrong ones rejected and named, and the
learner's text never evaluated as Python."""

from __future__ import annotations

import builtins
import os
import random
import subprocess
import sys

import pytest

from gradrill.core.quiz import families, formulas
from gradrill.core.quiz.formulas import FormulaCard, check, parse_number

SEEDS = 25


def cards(op: str, n: int = SEEDS) -> list[FormulaCard]:
    return [families.formula_card(op, random.Random(seed)) for seed in range(n)]


def card(op: str, **fields) -> FormulaCard:
    """The first generated card for ``op`` whose fields match."""
    for seed in range(500):
        c = families.formula_card(op, random.Random(seed))
        if all(getattr(c, k) == v for k, v in fields.items()):
            return c
    raise AssertionError(f"no {op} card with {fields}")


@pytest.mark.parametrize("op", families.FORMULA_OPS)
def test_every_card_accepts_at_least_three_equivalent_forms(op):
    for c in cards(op):
        forms = (c.answer,) + c.accepted
        assert len(set(forms)) >= 3, c
        for form in forms:
            verdict = check(form, c)
            assert verdict.right, (c.out_text, c.question, form, verdict)
        assert check(f"{c.asked}.grad += {c.answer}", c).right  # the whole line of micrograd code


@pytest.mark.parametrize("op", families.FORMULA_OPS)
def test_every_card_rejects_its_common_mistakes_by_name(op):
    for c in cards(op):
        assert c.mistakes or op in ("+",), c
        for wrong, why in c.mistakes:
            verdict = check(wrong, c)
            assert verdict.status == "wrong" and verdict.message == why and verdict.mistake == wrong, (c, wrong, verdict)


@pytest.mark.parametrize("op", families.FORMULA_OPS)
def test_a_missing_out_grad_is_rejected_saying_so(op):
    for c in cards(op):
        local = c.answer.replace("* out.grad", "").replace("out.grad * ", "").replace("out.grad /", "1 /")
        if local == c.answer:
            local = c.answer.replace("out.grad", "1")
        verdict = check(local, c)
        assert verdict.status == "wrong", (c.answer, local)
        assert "out.grad" in verdict.message, (local, verdict)
        assert verdict.message == families.LOCAL_MSG or "out.grad is missing" in verdict.message


def test_tanh_accepts_t_and_tanh_and_the_factored_form():
    c = card("tanh", asked="x")
    assert c.note.startswith("t = out.data = tanh(x)")
    for form in ("(1 - t**2) * out.grad", "(1 - tanh(x)**2) * out.grad", "(1 - t)*(1 + t)*out.grad",
                 "out.grad*(1-out.data**2)", "out.grad - out.grad*t**2", "(1 - math.tanh(x.data)**2) * out.grad",
                 "out.grad / cosh(x)**2", "x.grad += (1 - t**2) * out.grad"):
        assert check(form, c).right, form
    named = {"(1 - t) * out.grad": "square t", "(1 - x**2) * out.grad": "not x", "1 - t**2": "local derivative",
             "(1 - t)**2 * out.grad": "not (1 - t)**2", "(1 + t**2)*out.grad": "the sign"}
    for wrong, phrase in named.items():
        verdict = check(wrong, c)
        assert verdict.status == "wrong" and phrase in verdict.message, (wrong, verdict)


def test_pow_names_n_x_to_the_n_and_the_missing_factor():
    c = card("**", out_text="out = x**3")
    assert check("3*x**2*out.grad", c).right
    assert check("3 * out.data / x * out.grad", c).right
    assert check("out.grad*3*x.data**(3-1)", c).right
    assert "drops by one" in check("3*x**3*out.grad", c).message
    assert "comes down as a factor" in check("x**2*out.grad", c).message
    assert "( x**3) - 1" not in check("3*x**3-1", c).message
    assert "out.grad" in check("3*x**2", c).message


def test_relu_and_its_comparisons():
    c = card("relu", asked="x")
    for form in ("(out.data > 0) * out.grad", "(x > 0) * out.grad", "(x >= 0) * out.grad", "out.grad if x > 0 else 0",
                 "(0 < x) * out.grad"):
        assert check(form, c).right, form
    assert "only where out.data > 0" in check("out.grad", c).message
    assert check("(x < 0) * out.grad", c).status == "wrong"


def test_division_and_the_tanh_through_exp_cards():
    c = card("/", asked="b", variables=("a", "b"))
    assert check("-a/b**2*out.grad", c).right and check("-out.data/b*out.grad", c).right
    assert "the sign" in check("a/b**2*out.grad", c).message
    e = card("tanh-exp", asked="e")
    assert check("2/(e+1)**2*out.grad", e).right and check("(1 - out.data)/(e + 1) * out.grad", e).right
    assert "quotient rule" in check("1/(e+1)*out.grad", e).message
    x = card("tanh-exp", asked="x")
    assert check("4*exp(2*x)/(exp(2*x)+1)**2*out.grad", x).right and check("(1-t**2)*out.grad", x).right


def test_near_misses_are_told_apart_exactly():
    c = card("tanh", asked="x")
    assert check("(1 - t**2) * out.grad * 1.0000000001", c).status == "wrong"
    assert check("(1 - t**2) * out.grad + 0.000000001", c).status == "wrong"
    p = card("**", out_text="out = x**3")
    # equal, though floating point loses digits on the way (a large cancellation)
    verdict = check("((x**2+2*x+1)**4+1)**4 - ((x+1)**8+1)**4 + 3*x**2*out.grad", p)
    assert verdict.right and verdict.method == "symbolic"


def test_sign_and_grad_twice_are_named():
    c = card("*", asked="a", variables=("a", "b"))
    assert check("-b*out.grad", c).message == "the sign is flipped"
    assert "twice" in check("b*out.grad**2", c).message
    assert "not equal" in check("b*out.grad + 1", c).message


MALFORMED = {
    "__import__('os').system('touch pwned')": "not allowed",
    "x.__class__": "not allowed",
    "().__class__.__bases__": "not allowed",
    "[x for x in ()]": "not allowed",
    "lambda: 1": "not allowed",
    "9**9**9": "too large",
    "x**99": "too large",
    "((x+1)**16+1)**16": "too high a power",
    "x**x": "must be a number",
    "1e400": "too large",
    "12345678901": "too large",
    "'a'*10": "not a number",
    "x ^ 2": "use **",
    "x.grad": "what you are computing",
    "out": "out.data or out.grad",
    "grad": "out.grad",
    "y": "unknown name 'y'",
    "x.exp()": "write exp(x)",
    "open('f')": "not allowed",
    "exp(x, 2)": "one argument",
    "x == 1": "comparison",
    "x // 2": "not allowed",
    "x[0]": "not allowed",
    "3*": "not a Python expression",
    "": "empty",
    "x.grad = 3": "right-hand side",
    "(" * 100 + "x" + ")" * 100: "too long",
    "-" * 150 + "x": "too big",
    "True": "not a number",
    "math.pi": "not allowed",
}


@pytest.mark.parametrize("text, phrase", list(MALFORMED.items()))
def test_malformed_answers_get_one_line_and_no_evaluation(text, phrase, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    c = card("**", out_text="out = x**3")
    verdict = check(text, c)
    assert verdict.malformed, verdict
    assert phrase in verdict.message and "\n" not in verdict.message
    assert not (tmp_path / "pwned").exists()


def test_the_learners_text_never_reaches_eval(monkeypatch):
    import sympy  # imported before eval is taken away (its import may use eval)

    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec called on an answer")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    monkeypatch.setattr(sympy, "sympify", refuse)
    monkeypatch.setattr(sympy, "parse_expr", refuse, raising=False)
    for op in families.FORMULA_OPS:
        for c in cards(op, 3):
            assert check(c.answer, c).right
            for wrong, _ in c.mistakes:
                assert not check(wrong, c).right
    assert check("__import__('os')", card("+")).malformed


def test_one_answer_one_verdict_whatever_the_hash_seed():
    code = ("import random; from gradrill.core.quiz import families, formulas as f\n"
            "for s in range(6):\n"
            "    c = families.formula_card('tanh', random.Random(s))\n"
            "    print(f.check('(1 - t)*out.grad', c).message, f.check('out.grad*(1-t*t)', c).method)\n")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, PYTHONHASHSEED=seed)).stdout for seed in ("0", "12345")}
    assert len(outs) == 1 and "square t" in outs.pop()


def test_numeric_answers_are_numbers_or_arithmetic():
    assert parse_number("0.5*-3") == -1.5
    assert parse_number(" 1 - 0.6**2 ") == pytest.approx(0.64)
    assert parse_number("1/2") == 0.5
    for bad in ("x", "d.grad", "__import__('os')", "1/0", "", "9**9**9"):
        with pytest.raises(formulas.FormulaError):
            parse_number(bad)


def test_sympy_is_not_imported_to_start_the_quiz():
    code = ("import sys; import gradrill.cli, gradrill.core.quiz.session, gradrill.core.quiz.families\n"
            "from gradrill.cli import build_parser; build_parser()\n"
            "print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
