"""Answering a quiz problem: walking back, grading with a stated tolerance, naming the
mistake, the worked chain rule, and the rating from correctness and time."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from gradrill.core import clock
from gradrill.core.quiz import families, session
from gradrill.core.quiz.graph import Builder
from gradrill.core.quiz.session import AGAIN, EASY, GOOD, HARD, AnswerError, FormulaRun, NumericRun

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def at():
    """Set the clock: ``at(seconds)`` is T0 + seconds."""
    def set_to(seconds: float) -> None:
        clock.set_clock(lambda: T0 + timedelta(seconds=seconds))

    set_to(0)
    yield set_to
    clock.set_clock(None)


def lecture():
    g = Builder()
    a, b, c = g.leaf("a", 2), g.leaf("b", -3), g.leaf("c", 10)
    e = g.op("e", "*", a, b)
    d = g.op("d", "+", e, c)
    f = g.leaf("f", -2)
    g.op("L", "*", d, f)
    return g.build("lecture", 1, 0, target_s=120)


def reused():
    g = Builder()
    a, b = g.leaf("a", -2), g.leaf("b", 3)
    g.op("f", "*", g.op("d", "*", a, b), g.op("e", "+", a, b))
    return g.build("reuse", 2, 0, target_s=100)


def answer_all(run: NumericRun, wrong: dict[str, str] | None = None) -> None:
    wrong = wrong or {}
    while not run.finished:
        name = run.next
        run.answer(name, wrong.get(name, repr(run.problem[name].grad)))


def test_walking_back_from_the_output(at):
    run = NumericRun(lecture())
    assert run.order == ["L", "f", "d", "e", "c", "b", "a"]
    assert run.next == "L" and run.ready("L") and not run.ready("d")
    with pytest.raises(AnswerError, match="answer L first"):
        run.answer("d", "-2")
    assert run.answer("L", "1").right
    assert run.ready("d") and run.ready("f") and not run.ready("e")
    with pytest.raises(AnswerError, match="already answered"):
        run.answer("L", "1")
    with pytest.raises(AnswerError, match="no node zz"):
        run.answer("zz", "1")


def test_a_malformed_answer_does_not_count(at):
    run = NumericRun(lecture())
    with pytest.raises(AnswerError, match="type a number"):
        run.answer("L", "L.data")
    with pytest.raises(AnswerError, match="not a Python expression"):
        run.answer("L", "1 +")
    assert run.results == {}
    assert run.answer("L", "L.grad = 1.0").right  # the whole line is fine too
    assert run.answer("d", "1.0 * -2").right      # arithmetic on numbers


def test_the_tolerance_is_the_stated_one():
    assert session.close_enough(-2.0009, -2.0) and not session.close_enough(-2.011, -2.0)
    assert session.close_enough(138.5, 138.8338) and not session.close_enough(138.0, 138.8338)
    assert session.close_enough(0.0007, 0.0) and not session.close_enough(0.002, 0.0)
    assert "0.5%" in session.TOLERANCE_TEXT and "0.001" in session.TOLERANCE_TEXT
    assert session.REL_TOL == 0.005 and session.ABS_TOL == 0.001


def test_a_wrong_node_gets_its_worked_chain_rule_and_the_right_grad(at):
    run = NumericRun(lecture())
    run.answer("L", "1")
    r = run.answer("d", "2")
    assert not r.right and r.expected == -2 and r.message == "the sign is flipped"
    assert r.worked.line() == "d.grad = L.grad * f.data = 1.0 * -2.0 = -2.0"
    run.answer("f", "4")
    r = run.answer("c", "1")  # copies... nothing: + passes d.grad on
    assert not r.right and r.worked.line() == "c.grad = d.grad * 1 = -2.0 * 1.0 = -2.0"
    run.answer("e", "-2")
    r = run.answer("b", "2")  # the local derivative alone (a.data)
    assert "local derivative (a.data) alone" in r.message
    r = run.answer("a", "-2")  # e.grad copied
    assert "copies e.grad" in r.message and "e = a * b" in r.message


def test_the_mistakes_of_a_reused_node_are_named(at):
    p = reused()
    run = NumericRun(p)
    for name in ("f", "e", "d"):
        run.answer(name, repr(p[name].grad))
    r = run.answer("b", repr(p["d"].grad * p["a"].data))  # only the part through d
    assert not r.right and "only the part through d" in r.message and "also used by e" in r.message
    assert r.worked.line() == "b.grad = d.grad * a.data + e.grad * 1 = 1.0 * -2.0 + -6.0 * 1.0 = -8.0"
    assert r.worked.note() == "b is used by d and e: the gradients from each use add up (+= in _backward)"

    g = Builder()
    a = g.leaf("a", 3)
    b = g.op("b", "+", a, a)
    g.op("L", "*", b, g.leaf("c", 2))
    run = NumericRun(g.build("reuse", 1, 0))
    run.answer("L", "1")
    run.answer("c", "6")
    run.answer("b", "2")
    r = run.answer("a", "2")
    assert "counts one use only: b uses a twice" in r.message
    assert r.worked.line() == "a.grad = b.grad * 1 + b.grad * 1 = 2.0 * 1.0 + 2.0 * 1.0 = 4.0"


def test_tanh_mistakes_are_named(at):
    p = families.generate("neuron", 3, 1)
    run = NumericRun(p)
    run.answer("o", "1")
    o = p["o"].data
    r = run.answer("n", repr(1 - o))
    assert "the square is missing" in r.message
    assert r.worked.line().startswith("n.grad = o.grad * (1 - o.data**2) = 1.0 * ")


def test_the_output_is_one():
    run = NumericRun(lecture())
    r = run.answer("L", "0")
    assert not r.right and "dL/dL = 1" in r.message


# -- rating ------------------------------------------------------------------------------


def test_all_right_fast_is_easy_in_time_good_slow_hard(at):
    for seconds, rating in ((50, EASY), (100, GOOD), (130, HARD)):
        at(0)
        run = NumericRun(lecture())
        at(seconds)
        answer_all(run)
        out = run.outcome()
        assert out.all_right and out.review and out.duration_s == seconds
        assert out.rating == rating, seconds


def test_one_wrong_node_is_again(at):
    run = NumericRun(lecture())
    at(30)
    answer_all(run, {"c": "5"})
    out = run.outcome()
    assert out.right == 6 and out.wrong == 1 and out.rating == AGAIN and not out.all_right


def test_leaving_early_is_no_review_unless_a_slip_happened(at):
    run = NumericRun(lecture())
    run.answer("L", "1")
    assert not run.outcome().review and run.outcome().rating is None
    run.answer("d", "7")
    assert run.outcome().review and run.outcome().rating == AGAIN


def test_revealing_is_again(at):
    run = NumericRun(lecture())
    run.answer("L", "1")
    shown = run.reveal()
    assert [r.name for r in shown] == ["f", "d", "e", "c", "b", "a"] and all(r.revealed for r in shown)
    assert run.finished and run.outcome().rating == AGAIN


def formula(op="tanh", **fields):
    for seed in range(200):
        c = families.formula_card(op, random.Random(seed), level=3)
        if all(getattr(c, k) == v for k, v in fields.items()):
            return c
    raise AssertionError


def test_a_formula_gets_one_retry(at):
    card = formula()
    run = FormulaRun(card)
    with pytest.raises(AnswerError):
        run.answer("(1 - t**2")  # malformed: does not count
    at(20)
    v = run.answer("(1 - t) * out.grad")
    assert not v.right and "square" in v.message and not run.finished and run.tries_left == 1
    v = run.answer("(1 - t**2) * out.grad")
    assert v.right and run.finished
    out = run.outcome()
    assert out.retried and out.right == 1 and out.rating == HARD
    with pytest.raises(AnswerError):
        run.answer("1")


def test_a_formula_wrong_twice_is_again_and_right_first_is_by_time(at):
    card = formula()
    run = FormulaRun(card)
    run.answer("1 - t**2")
    run.answer("(1 - t)*out.grad")
    assert run.finished and not run.right and run.outcome().rating == AGAIN
    for seconds, rating in ((20, EASY), (50, GOOD), (70, HARD)):
        at(0)
        run = FormulaRun(card)
        at(seconds)
        assert run.answer("(1 - t)*(1 + t)*out.grad").right
        assert run.outcome().rating == rating


def test_next_level_climbs_and_falls():
    deep = families.family("deep")
    assert session.next_level(deep, None) == 1
    assert session.next_level(deep, (1, GOOD)) == 2
    assert session.next_level(deep, (3, EASY)) == 3
    assert session.next_level(deep, (2, HARD)) == 2
    assert session.next_level(deep, (2, AGAIN)) == 1
    assert session.next_level(deep, (1, AGAIN)) == 1
    assert session.next_level(families.family("lecture"), (2, GOOD)) == 2


def test_new_problems_get_new_numbers():
    seeds = {session.new_problem("lecture").seed for _ in range(20)}
    assert len(seeds) == 20
    assert session.new_problem("deep", last=(1, GOOD)).level == 2
    assert session.new_problem("deep", level=3, seed=4).to_dict() == families.generate("deep", 4, 3).to_dict()
