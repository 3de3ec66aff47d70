"""Given code is written once (reference/ and challenges/_given/) and included where a challenge
needs it: every include resolves, every expanded file compiles, and what is included behaves as
the reference does."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from gradrill import locations
from gradrill.core import given
from gradrill.core.catalog import load_catalog
from gradrill.reference import nn as ref_nn

GIVEN = locations.challenges_dir() / "_given"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"given_{name}", GIVEN / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_challenge_file_expands_and_compiles():
    catalog = load_catalog()
    assert not catalog.errors
    uses = 0
    for c in catalog:
        for name, text in (("starter.py", c.starter), ("solution.py", c.solution)):
            assert "# given:" not in text, f"{c.id}/{name}: a given line is left unexpanded"
            compile(text, f"{c.id}/{name}", "exec")
            uses += given.has_given((c.folder / name).read_text(encoding="utf-8"))
    assert uses >= 40  # the shared code lives once: most fill-in files include it


def test_engine_includes_are_the_reference_itself():
    reference = (locations.reference_dir() / "engine.py").read_text(encoding="utf-8")
    text = given.expand("# given: engine.Value\n", given.source_dirs(locations.challenges_dir()))
    assert text.strip() in reference


def _same_outputs(ours, theirs, xs):
    ours_p, theirs_p = ours.parameters(), theirs.parameters()
    assert len(ours_p) == len(theirs_p)
    for a, b in zip(ours_p, theirs_p):
        a.data = b.data
    for x in xs:
        o, t = ours(x), theirs(x)
        o = o if isinstance(o, list) else [o]
        t = t if isinstance(t, list) else [t]
        assert [v.data for v in o] == pytest.approx([v.data for v in t], abs=1e-12)


def test_the_lectures_network_is_the_references_with_tanh():
    lecture = _module("lecture")
    random.seed(0)
    ours = lecture.MLP(3, [4, 4, 1])
    random.seed(0)
    theirs = ref_nn.MLP(3, [4, 4, 1], act="tanh")
    assert len(ours.parameters()) == 41
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]  # same draws
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    _same_outputs(ours, theirs, xs)
    loss = lecture.loss_fn(ours, xs, [1.0, -1.0, -1.0, 1.0])
    want = sum((theirs(x) - y)**2 for x, y in zip(xs, [1.0, -1.0, -1.0, 1.0]))
    assert loss.data == pytest.approx(want.data)


def test_the_librarys_network_is_the_references_with_relu():
    library = _module("library")
    ours = library.MLP(2, [16, 16, 1])
    theirs = ref_nn.MLP(2, [16, 16, 1], act="relu")
    assert len(ours.parameters()) == 337
    rng = random.Random(1)
    _same_outputs(ours, theirs, [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(20)])
    out = ours([0.5, -1.0])
    out.backward()
    ours.zero_grad()
    assert all(p.grad == 0.0 for p in ours.parameters())


def test_a_given_line_naming_nothing_real_is_an_error_naming_the_line(tmp_path):
    dirs = given.source_dirs(locations.challenges_dir())
    for line, phrase in [("# given: engine.Nope", "defines no 'Nope'"),
                         ("# given: nowhere.Value", "no module 'nowhere'"),
                         ("    # given: engine.Value: __init__ __frobnicate__", "no method '__frobnicate__'"),
                         ("# given:", "names nothing")]:
        with pytest.raises(given.GivenError) as info:
            given.expand("x = 1\n" + line + "\n", dirs)
        assert "line 2" in str(info.value) and phrase in str(info.value)


def test_a_method_include_is_indented_like_its_line():
    dirs = given.source_dirs(locations.challenges_dir())
    text = given.expand("class Value:\n    # given: engine.Value: __init__ __repr__\n", dirs)
    lines = text.splitlines()
    assert lines[1].startswith("    def __init__(") and "    def __repr__(self):" in lines
    compile(text, "x", "exec")


def test_a_malformed_challenge_reports_its_given_line(tmp_path):
    import shutil

    root = tmp_path / "challenges"
    shutil.copytree(locations.challenges_dir() / "add-backward", root / "add-backward")
    shutil.copy(locations.challenges_dir() / "chapters.toml", root / "chapters.toml")
    starter = root / "add-backward" / "starter.py"
    starter.write_text("# given: engine.Missing\n" + starter.read_text())
    catalog = load_catalog(root, strict=False)
    assert "add-backward" not in catalog
    assert any("given code" in str(e) and "Missing" in str(e) for e in catalog.errors)
