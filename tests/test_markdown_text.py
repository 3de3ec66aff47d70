"""Prompts and hints render as written: Markdown that would eat characters is flagged by
``gradrill validate`` (a ``text`` probe), and none of the shipped ones does."""

from __future__ import annotations

from dataclasses import replace

from gradrill.core.catalog import load_catalog
from gradrill.core.validate import markdown_problems, text_probes


def test_code_outside_backticks_is_flagged():
    assert markdown_problems("the derivative of x**n is n * x**(n-1)")
    assert markdown_problems("In __init__ make one Value per input")
    assert markdown_problems("a*b*c")


def test_prose_emphasis_and_code_in_backticks_are_fine():
    assert markdown_problems("**Checked:** `c._backward()` with *really* plain words") == []
    assert markdown_problems("the derivative of `x**n` is `n * x**(n-1)`; `__init__` first") == []
    assert markdown_problems("tanh, **, -, and the reflected ops") == []


def test_a_bad_hint_fails_validation():
    challenge = load_catalog(strict=False).get("pow-backward")
    bad = replace(challenge, hints=("fine", "the power rule: x**n gives n * x**(n-1)"))
    probes = text_probes(bad)
    assert [(p.role, p.name, p.ok) for p in probes] == [("text", "hint 2", False)]
    assert "backticks" in probes[0].problem


def test_every_shipped_prompt_and_hint_renders_as_written():
    problems = [(c.id, p.name, p.problem) for c in load_catalog(strict=False) for p in text_probes(c)]
    assert problems == []
