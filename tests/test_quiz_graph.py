"""The quiz's graphs: the lecture's numbers, the worked chain rule, and thousands of
generated problems whose grads agree with finite differences through each node's ``expr``."""

from __future__ import annotations

import json
import math

import pytest

from gradrill.core.quiz import families
from gradrill.core.quiz.graph import Builder, GraphBuildError, num

NUMERIC = [(f.name, level) for f in families.FAMILIES.values() if f.kind == "numeric"
           for level in range(1, f.max_level + 1)]
SEEDS = 2000


def lecture_graph():
    g = Builder()
    a, b, c = g.leaf("a", 2), g.leaf("b", -3), g.leaf("c", 10)
    e = g.op("e", "*", a, b)
    d = g.op("d", "+", e, c)
    f = g.leaf("f", -2)
    g.op("L", "*", d, f)
    return g.build("lecture", 1, 0)


def test_the_lecture_graph_has_the_lecture_grads():
    p = lecture_graph()
    assert p["L"].data == -8
    assert {n.name: n.grad for n in p.nodes} == {"L": 1, "d": -2, "f": 4, "e": -2, "c": -2, "a": 6, "b": -4}


def test_the_worked_chain_rule_reads_as_in_the_issue():
    p = lecture_graph()
    assert p.explain("d").line() == "d.grad = L.grad * f.data = 1.0 * -2.0 = -2.0"
    assert p.explain("L").line().startswith("L.grad = 1.0")
    assert p.explain("a").line() == "a.grad = e.grad * b.data = -2.0 * -3.0 = 6.0"
    assert p.explain("c").line() == "c.grad = d.grad * 1 = -2.0 * 1.0 = -2.0"
    assert not p.explain("a").reused and p.explain("a").note() == ""


def test_the_lecture_neuron_and_its_exp_form_agree():
    def neuron(through_exp: bool):
        g = Builder()
        x1, x2, w1, w2 = g.leaf("x1", 2), g.leaf("x2", 0), g.leaf("w1", -3), g.leaf("w2", 1)
        b = g.leaf("b", 6.8813735870195432)
        s = g.op("x1w1x2w2", "+", g.op("x1w1", "*", x1, w1), g.op("x2w2", "*", x2, w2))
        n = g.op("n", "+", s, b)
        if not through_exp:
            g.op("o", "tanh", n)
        else:
            e = g.op("e", "exp", g.op("n2", "*", g.leaf("two", 2, const=True), n))
            one = g.leaf("one", 1, const=True)
            g.op("o", "/", g.op("em1", "-", e, one), g.op("ep1", "+", e, one))
        return g.build("neuron", 1, 0)

    for p in (neuron(False), neuron(True)):
        grads = {n.name: n.grad for n in p.nodes}
        assert p["o"].data == pytest.approx(0.7071, abs=1e-4)
        expected = {"n": 0.5, "b": 0.5, "x1w1": 0.5, "x2w2": 0.5, "x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0}
        for name, grad in expected.items():
            assert grads[name] == pytest.approx(grad, abs=1e-9), name
    assert [n.name for n in neuron(True).asked if n.name in ("two", "one")] == []  # constants are not asked


def test_a_reused_node_sums_its_uses():
    g = Builder()
    a = g.leaf("a", 3)
    g.op("b", "+", a, a)
    p = g.build("reuse", 1, 0)
    assert p["a"].grad == 2
    w = p.explain("a")
    assert w.reused and w.line() == "a.grad = b.grad * 1 + b.grad * 1 = 1.0 * 1.0 + 1.0 * 1.0 = 2.0"
    assert "used twice by b" in w.note()

    g = Builder()
    a, b = g.leaf("a", -2), g.leaf("b", 3)
    g.op("f", "*", g.op("d", "*", a, b), g.op("e", "+", a, b))
    p = g.build("reuse", 2, 0)
    assert p["f"].data == -6 and p["a"].grad == -3 and p["b"].grad == -8
    assert p.explain("a").line() == "a.grad = d.grad * b.data + e.grad * 1 = 1.0 * 3.0 + -6.0 * 1.0 = -3.0"
    assert "used by d and e" in p.explain("a").note()


def test_every_op_has_its_local_derivative():
    g = Builder()
    x, y = g.leaf("x", 1.5), g.leaf("y", -0.5)
    ops = [g.op("s", "-", x, y), g.op("q", "/", x, y), g.op("p", "**", x, power=3), g.op("m", "neg", y),
           g.op("ex", "exp", y), g.op("t", "tanh", x), g.op("r", "relu", x)]
    total = ops[0]
    for k, name in enumerate(ops[1:]):
        total = g.op(f"sum{k}", "+", total, name)
    p = g.build("deep", 1, 0)
    data = p.to_dict()
    assert {n["op"] for n in data["nodes"]} >= {"-", "/", "**", "neg", "exp", "tanh", "relu"}
    assert p["x"].grad == pytest.approx(1 + 1 / -0.5 + 3 * 1.5 ** 2 + (1 - math.tanh(1.5) ** 2) + 1)
    assert p["y"].grad == pytest.approx(-1 + (-1.5 / 0.25) - 1 + math.exp(-0.5))
    assert finite_difference_failures(json.loads(json.dumps(data))) == []


def test_a_bad_graph_is_refused():
    g = Builder()
    g.leaf("a", 1)
    with pytest.raises(GraphBuildError):
        g.op("b", "*", "a", "zz")
    with pytest.raises(GraphBuildError):
        g.leaf("a", 2)
    with pytest.raises(GraphBuildError):
        g.op("c", "**", "a")


@pytest.mark.parametrize("x, shown", [(-2.0, "-2.0"), (0.5, "0.5"), (0.70710678, "0.7071"), (6.8813735870195432, "6.8814"),
                                      (0.018315638888, "0.01832"), (-0.0, "0.0"), (138.8338, "138.8338"), (1e5 / 3, "3.333e+04")])
def test_numbers_are_shown_friendly(x, shown):
    assert num(x) == shown


# -- generated problems ---------------------------------------------------------------------


def finite_difference_failures(data: dict, h: float = 1e-6, tol: float = 1e-4) -> list[str]:
    """Recompute the output from each node's ``expr`` alone (nothing from the quiz's code),
    nudging one node at a time; every grad must match the central difference."""
    nodes = data["nodes"]
    programs = [(n["name"], compile(n["expr"], "<expr>", "eval") if n["expr"] else None, n["data"]) for n in nodes]

    def output(pinned=None, value=0.0):
        env = {"math": math, "max": max}
        for name, code, d in programs:
            env[name] = value if name == pinned else d if code is None else eval(code, {"__builtins__": {}}, env)
        return env[data["output"]]

    failures = []
    for n in nodes:
        if n["expr"] and n["children"]:
            assert all(c in n["expr"] for c in n["children"]), n
        up, down = output(n["name"], n["data"] + h), output(n["name"], n["data"] - h)
        fd = (up - down) / (2 * h)
        if abs(fd - n["grad"]) > tol * max(1.0, abs(n["grad"])):
            failures.append(f"{n['name']}: grad {n['grad']}, finite difference {fd}")
    if abs(output() - next(n["data"] for n in nodes if n["name"] == data["output"])) > 1e-9:
        failures.append("the output's data does not match its expr")
    return failures


@pytest.mark.slow
@pytest.mark.parametrize("name, level", NUMERIC)
def test_thousands_of_problems_agree_with_finite_differences(name, level):
    fam = families.family(name)
    failures = []
    for seed in range(SEEDS):
        data = json.loads(json.dumps(fam.generate(seed, level).to_dict()))
        assert data["output"] == data["nodes"][-1]["name"]
        failures += [f"seed {seed}: {f}" for f in finite_difference_failures(data)]
    assert failures == []


@pytest.mark.parametrize("name, level", NUMERIC)
def test_a_seed_gives_one_problem_and_new_seeds_new_numbers(name, level):
    fam = families.family(name)
    assert fam.generate(7, level).to_dict() == fam.generate(7, level).to_dict()
    problems = {tuple((n["name"], n["expr"], n["data"]) for n in fam.generate(s, level).to_dict()["nodes"])
                for s in range(60)}
    assert len(problems) >= 40


@pytest.mark.parametrize("name, level", NUMERIC)
def test_generated_numbers_are_friendly(name, level):
    fam = families.family(name)
    for seed in range(200):
        p = fam.generate(seed, level)
        leaves = [n for n in p.nodes if n.leaf and not n.const and n.name != "b" or n.leaf and name != "neuron"]
        for n in leaves:
            if name in ("lecture", "reuse") or (name == "deep" and level < 3):
                assert n.data == round(n.data, 1 if name == "lecture" and level == 2 else 0), (seed, n)
            assert abs(n.data) <= 5
        assert all(abs(n.data) <= 200 and abs(n.grad) <= 500 for n in p.nodes)


def test_the_neuron_comes_out_round_like_the_lectures():
    for seed in range(100):
        for level in (1, 2):
            p = families.generate("neuron", seed, level)
            o = p["o"].data
            assert any(abs(o - r) < 1e-9 for r in families.ROUND_OUTPUTS)
            assert p["n"].grad == pytest.approx(1 - o ** 2)


def test_reuse_levels_are_the_three_kinds_of_reuse():
    for seed in range(100):
        one = families.generate("reuse", seed, 1)
        assert any(len(set(n.children)) < len(n.children) for n in one.nodes)  # a + a
        two = families.generate("reuse", seed, 2)
        assert any(len({u.name for u, _ in two.users(n.name)}) > 1 for n in two.nodes)  # used by two ops
        three = families.generate("reuse", seed, 3)
        depth = {}
        for n in three.nodes:
            depth[n.name] = 0 if n.leaf else 1 + max(depth[c] for c in n.children)
        assert any(len({depth[u.name] for u, _ in three.users(n.name)}) > 1 for n in three.nodes if not n.leaf)
        for p in (one, two, three):
            assert all(n.grad != 0 for n in p.nodes)
            assert any(p.explain(n.name).reused for n in p.nodes)


def test_deep_levels_grow_in_size_op_mix_and_reuse():
    sizes, ops = {}, {}
    for level in (1, 2, 3):
        problems = [families.generate("deep", s, level) for s in range(150)]
        sizes[level] = sum(len(p.nodes) for p in problems) / len(problems)
        ops[level] = {n.op for p in problems for n in p.nodes if n.op}
        if level > 1:
            assert all(any(len(p.users(n.name)) > 1 for n in p.nodes if not n.leaf) for p in problems)
    assert sizes[1] < sizes[2] < sizes[3]
    assert ops[1] == {"+", "*"}
    assert ops[2] == {"+", "*", "-", "neg", "**"}
    assert ops[3] >= {"/", "exp", "tanh", "relu"}


def test_an_unknown_family_or_level_is_named():
    with pytest.raises(families.UnknownFamily, match="the families are lecture, neuron"):
        families.generate("lecturee", 1)
    with pytest.raises(ValueError, match="levels 1 to 3"):
        families.generate("deep", 1, 4)
