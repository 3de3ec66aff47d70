"""``gradrill quiz``, run as a learner runs it (``main()`` in this process, with the environment and standard
input of a separate one): exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from gradrill.core.quiz import families

from tests.helpers import gradrill_here
from tests.test_quiz_graph import NUMERIC, finite_difference_failures


def gradrill(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return gradrill_here(*args, input=input, env=dict(os.environ, COLUMNS="120", NO_COLOR="1"))


def test_list_json_names_every_family_and_its_levels():
    result = gradrill("quiz", "list", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [f["name"] for f in data] == list(families.FAMILIES)
    by_name = {f["name"]: f for f in data}
    assert [lv["level"] for lv in by_name["deep"]["levels"]] == [1, 2, 3]
    assert by_name["local"]["kind"] == "formula" and by_name["lecture"]["kind"] == "numeric"
    assert by_name["reuse"]["key"] == "quiz:reuse"
    assert gradrill("quiz", "list").returncode == 0


@pytest.mark.parametrize("name, level", NUMERIC)
def test_generate_prints_a_problem_whose_answers_check_out(name, level):
    result = gradrill("quiz", "generate", name, "--seed", "11", "--level", str(level), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["output"] == data["nodes"][-1]["name"]
    for n in data["nodes"]:
        assert set(n) >= {"name", "op", "children", "data", "grad", "expr"}
        assert (n["expr"] == "") == (n["op"] == "")
    assert finite_difference_failures(data) == []
    assert data == json.loads(json.dumps(families.generate(name, 11, level).to_dict()))


def test_generate_a_formula_card():
    result = gradrill("quiz", "generate", "local", "--seed", "2", "--level", "3", "--json")
    data = json.loads(result.stdout)
    assert data["kind"] == "formula" and data["question"].endswith(".grad += ?") and len(data["accepted"]) >= 2
    text = gradrill("quiz", "generate", "local", "--seed", "2", "--level", "3")
    assert text.returncode == 0 and "answer" in text.stdout


@pytest.mark.parametrize("args, phrase", [
    (("quiz", "lectur"), "no quiz family 'lectur': the families are lecture"),
    (("quiz", "generate", "deep", "--seed", "1", "--level", "4"), "deep has levels 1 to 3"),
    (("quiz", "generate", "deep"), "needs --seed"),
    (("quiz", "generate"), "which family?"),
    (("quiz", "deep", "extra"), "takes one family"),
    (("quiz", "deep", "--json"), "--json is for"),
])
def test_bad_input_is_one_line_and_exit_2(args, phrase):
    result = gradrill(*args)
    assert result.returncode == 2
    assert phrase in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_asking_a_numeric_problem_in_the_terminal():
    p = families.generate("lecture", 5, 1)
    answers = []
    for n in p.asked:  # the CLI asks in this order (walking back, every user first)
        answers.append("oops" if n.name == "d" else str(n.grad + 1) if n.name == "c" else repr(n.grad))
    answers.insert(answers.index("oops") + 1, repr(p["d"].grad))
    result = gradrill("quiz", "lecture", "--seed", "5", "--level", "1", input="\n".join(answers) + "\n")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "0.5%" in out and "walking back from the output" in out
    assert "type a number" in out                                  # the malformed answer, and another try
    assert f"c.grad = d.grad * 1 = {p.explain('c').numeric()}" in out  # the worked chain rule of the wrong node
    assert "6 of 7 right" in out and "rated again" in out


def test_asking_a_formula_in_the_terminal():
    card = families.generate("local", 4, 3)
    wrong = card.mistakes[0][0]
    result = gradrill("quiz", "local", "--seed", "4", "--level", "3", input=f"{wrong}\n{card.accepted[0]}\n")
    assert result.returncode == 1  # right only on the retry: Hard, not all right
    assert card.mistakes[0][1] in result.stdout and "✓ right" in result.stdout and "rated hard" in result.stdout


def test_leaving_early_counts_nothing():
    result = gradrill("quiz", "lecture", "--seed", "5", input="1\n")
    assert result.returncode == 1 and "Nothing counts" in result.stdout
