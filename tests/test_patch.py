"""Mutants as patches on solution.py: written with make_patch, applied exactly."""

from __future__ import annotations

import pytest

from gradrill.core.catalog import load_catalog
from gradrill.core.patch import PatchError, apply_patch, make_patch

BASE = "class Value:\n\n    def f(self):\n        self.grad += 1\n        return 1\n"


@pytest.mark.parametrize("changed", [
    BASE.replace("+=", "="),
    BASE + "\nextra = 1\n",
    BASE.replace("class Value:\n\n", ""),
    BASE.rstrip("\n"),
    "",
])
def test_round_trip(changed):
    assert apply_patch(BASE, make_patch(BASE, changed)) == changed


def test_a_patch_that_does_not_match_names_the_line():
    patch = make_patch(BASE, BASE.replace("+=", "="))
    with pytest.raises(PatchError) as info:
        apply_patch(BASE.replace("self.grad += 1", "self.grad += 2"), patch)
    assert "solution.py line 4" in str(info.value)


def test_an_editor_stripping_trailing_spaces_does_not_break_it():
    base = "a = 1\n\nb = 2\n"
    patch = make_patch(base, "a = 1\n\nb = 3\n").replace(" \n", "\n")
    assert apply_patch(base, patch) == "a = 1\n\nb = 3\n"


def test_every_shipped_patch_applies():
    for challenge in load_catalog():
        for mutant in challenge.mutants:
            assert mutant.source != challenge.solution, f"{challenge.id}/{mutant.name} changes nothing"
