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


def test_a_hunk_whose_lines_moved_still_applies_where_they_are_now():
    patch = make_patch(BASE, BASE.replace("+=", "="))
    moved = "# a comment an author added at the top\nimport math\n\n" + BASE
    assert apply_patch(moved, patch) == moved.replace("+=", "=")


def test_of_two_places_that_match_the_nearest_one_is_patched():
    base = "x = 1\ny = 2\n\n" * 3
    patch = make_patch(base, base.replace("y = 2", "y = 3", 2).replace("y = 3", "y = 2", 1))  # the 2nd block
    moved = "# new\n" + base
    lines = apply_patch(moved, patch).splitlines()
    assert lines.count("y = 3") == 1 and lines[5] == "y = 3"


def test_a_hunk_whose_context_is_gone_fails_loudly():
    patch = make_patch(BASE, BASE.replace("+=", "="))
    with pytest.raises(PatchError) as info:
        apply_patch(BASE.replace("return 1", "return 2").replace("def f", "def g"), patch)
    assert "stand nowhere else" in str(info.value)


def test_every_shipped_patch_still_applies_after_a_line_is_added_at_the_top():
    for challenge in load_catalog():
        top = "# an author's note\n" + challenge.solution
        for mutant in challenge.mutants:
            if mutant.base is None:
                continue
            moved = apply_patch(top, mutant.path.read_text(encoding="utf-8"))
            assert moved == "# an author's note\n" + mutant.source, f"{challenge.id}/{mutant.name}"
