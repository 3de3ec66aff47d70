"""The loader: every malformed folder is reported, naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gradrill import locations
from gradrill.core.catalog import CatalogError, UnknownChallenge, load_catalog

SHIPPED = locations.challenges_dir()
FIXTURE_CATALOG = Path(__file__).parent / "fixtures" / "catalog"


@pytest.fixture
def root(tmp_path) -> Path:
    """A catalog with one good challenge (a copy of add-backward) to break in each test."""
    shutil.copy(FIXTURE_CATALOG / "chapters.toml", tmp_path / "chapters.toml")
    shutil.copytree(FIXTURE_CATALOG / "add-backward", tmp_path / "add-backward",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture drifted: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def errors_of(root: Path) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(root)
    return [str(e) for e in info.value.errors]


def test_the_shipped_catalog_loads():
    catalog = load_catalog()
    assert len(catalog) >= 6
    assert not catalog.errors
    # curriculum order: chapters in chapters.toml order, then by order
    orders = [(catalog.chapter(c.chapter).order, c.order) for c in catalog]
    assert orders == sorted(orders)


def test_a_good_folder_loads(root):
    catalog = load_catalog(root)
    c = catalog.get("add-backward")
    assert c.kind == "fill-in" and c.target_seconds == 90
    assert len(c.hints) >= 3 and len(c.mutants) >= 2
    assert c.file_name == "add-backward.py"
    assert "Backward" in c.prompt


@pytest.mark.parametrize("old,new,field,phrase", [
    ('target_seconds = 90', 'target_seconds = "ninety"', "target_seconds", "positive integer"),
    ('target_seconds = 90', 'target_seconds = -5', "target_seconds", "positive integer"),
    ('kind = "fill-in"', 'kind = "quiz"', "kind", "one of"),
    ('chapter = "value"', 'chapter = "valeu"', "chapter", "did you mean 'value'"),
    ('id = "add-backward"', 'id = "add-backwards"', "id", "differs from the folder name"),
    ('order = 30', 'order = 30\ntitel = "x"', "titel", "did you mean 'title'"),
    ('prerequisites = []', 'prerequisites = ["no-such-thing"]', "prerequisites", "no challenge"),
    ('file = "mutants/forgets_other.py"', 'file = "mutants/missing.py"', "mutants[3].file", "no such file"),
    ('timeout_seconds = 5', 'timeout_seconds = 0', "timeout_seconds", "between 0 and 120"),
])
def test_a_bad_field_is_named_with_its_file(root, old, new, field, phrase):
    edit(root / "add-backward" / "challenge.toml", old, new)
    (message,) = [e for e in errors_of(root) if f"field '{field}'" in e]
    assert str(root / "add-backward" / "challenge.toml") in message
    assert phrase in message


def test_a_missing_required_field(root):
    edit(root / "add-backward" / "challenge.toml", 'title = "Backward through +"\n', "")
    assert any("field 'title': missing (required)" in e for e in errors_of(root))


def test_invalid_toml_names_the_file(root):
    (root / "add-backward" / "challenge.toml").write_text("id = \n")
    (message,) = errors_of(root)
    assert "challenge.toml" in message and "not valid TOML" in message


def test_missing_files_are_named(root):
    (root / "add-backward" / "checks.py").unlink()
    (root / "add-backward" / "prompt.md").unlink()
    errors = errors_of(root)
    assert any("checks.py: missing" in e for e in errors)
    assert any("prompt.md: missing" in e for e in errors)


def test_an_unlisted_mutant_is_reported(root):
    shutil.copy(root / "add-backward" / "solution.py", root / "add-backward" / "mutants" / "stray.py")
    assert any("stray.py is in mutants/ but not listed" in e for e in errors_of(root))


def test_a_patch_mutant_that_does_not_apply_names_the_file_and_field(root):
    folder = root / "add-backward"
    (folder / "mutants" / "assign.diff").write_text(
        "--- solution.py\n+++ solution.py\n@@ -1,1 +1,1 @@\n-class Valeu:\n+class V:\n")
    edit(folder / "challenge.toml", 'file = "mutants/forgets_other.py"', 'file = "mutants/assign.diff"')
    (folder / "mutants" / "forgets_other.py").unlink()
    (message,) = [e for e in errors_of(root) if "mutants[3].file" in e]
    assert "assign.diff does not apply to solution.py" in message and "line 1" in message


def test_every_problem_is_reported_at_once(root):
    edit(root / "add-backward" / "challenge.toml", 'kind = "fill-in"', 'kind = "quiz"')
    edit(root / "add-backward" / "challenge.toml", 'target_seconds = 90', 'target_seconds = 0')
    assert len(errors_of(root)) == 2


def test_lenient_loading_leaves_out_only_the_broken(root):
    shutil.copytree(root / "add-backward", root / "broken")
    edit(root / "broken" / "challenge.toml", 'id = "add-backward"', 'id = "broken"')
    edit(root / "broken" / "challenge.toml", 'order = 30', 'order = 31')
    edit(root / "broken" / "challenge.toml", 'kind = "fill-in"', 'kind = "quiz"')
    catalog = load_catalog(root, strict=False)
    assert [c.id for c in catalog] == ["add-backward"]
    assert len(catalog.errors) == 1 and "broken" in str(catalog.errors[0])


def test_unknown_id_suggests_near_ones(root):
    catalog = load_catalog(root)
    with pytest.raises(UnknownChallenge) as info:
        catalog.get("add-backwrd")
    assert "did you mean add-backward" in str(info.value)
    assert info.value.suggestions == ["add-backward"]
