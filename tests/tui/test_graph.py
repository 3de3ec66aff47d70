"""The graph view: extraction in a child process, the text layout, export, the screen."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from gradrill.core import graph as graphs
from gradrill.tui.screens.challenge import ChallengeScreen
from gradrill.tui.screens.graph import GraphScreen
from gradrill.tui.widgets.editor import CodeEditor
from tests.helpers import solution_of, wait_for

FIXTURES = Path(__file__).parent / "fixtures"
LECTURE = (FIXTURES / "expr-graph" / "solution.py").read_text()


@pytest.fixture
def learner_file(tmp_path):
    def write(extra: str = "", base: str = LECTURE) -> Path:
        path = tmp_path / "learner.py"
        path.write_text(base + "\n" + extra)
        return path

    return write


def test_extract_the_lectures_graph(learner_file):
    g = graphs.extract(learner_file("print('noise from the learner')\n"), "build")
    labels = {n.label: n for n in g.nodes}
    assert set(labels) == {"a", "b", "c", "e", "d", "f", "L"}
    assert g.node(g.root).label == "L" and labels["L"].data == -8.0 and labels["L"].grad == 1.0
    assert labels["e"].op == "*" and labels["d"].op == "+" and labels["a"].op == ""
    assert len(g.edges) == 6
    by_id = {n.id: n.label for n in g.nodes}
    assert {(by_id[a], by_id[b]) for a, b in g.edges} == {
        ("a", "e"), ("b", "e"), ("e", "d"), ("c", "d"), ("d", "L"), ("f", "L")}


@pytest.mark.parametrize("extra, function, timeout, words", [
    ("def loop():\n    while True:\n        pass\n", "loop", 1.0, "did not finish within 1 s"),
    # the others end by themselves: a generous limit, so a loaded machine cannot turn them into timeouts
    ("", "nope", 60.0, "defines no function nope()"),
    ("def boom():\n    raise ValueError('bad')\n", "boom", 60.0, "boom() raised ValueError: bad"),
    ("def number():\n    return 3\n", "number", 60.0, "expected a Value"),
    ("x = (\n", "build", 60.0, "syntax error"),
    ("raise RuntimeError('at import')\n", "build", 60.0, "importing learner.py raised RuntimeError"),
])
def test_extraction_errors_are_messages(learner_file, extra, function, timeout, words):
    with pytest.raises(graphs.GraphError) as info:
        graphs.extract(learner_file(extra), function, timeout=timeout)
    assert words in str(info.value)


def test_a_library_style_value_without_labels(learner_file):
    src = ("class Value:\n    def __init__(self, data, _children=(), _op=''):\n"
           "        self.data = data; self.grad = 0; self._prev = set(_children); self._op = _op\n"
           "    def __add__(self, o):\n        return Value(self.data + o.data, (self, o), '+')\n"
           "def build():\n    return Value(1.0) + Value(2.0)\n")
    g = graphs.extract(learner_file(base=src), "build")
    drawing = graphs.render_text(g)
    text = "\n".join(drawing.lines)
    assert "data 3.0000" in text and "(+)" in text


def test_text_layout_draws_every_node_without_overlap(learner_file):
    g = graphs.extract(learner_file(), "build")
    drawing = graphs.render_text(g)
    text = "\n".join(drawing.lines)
    for label in "abcdefL":
        assert f"─ {label} ─" in text
    for value in ("data -8.0000", "grad  1.0000", "data -6.0000", "data 10.0000"):
        assert value in text
    assert text.count("(*)") == 2 and text.count("(+)") == 1
    assert text.count("▶") == 6  # into each of the 3 ops (two edges share a head) and into each of 3 results
    # boxes never overlap: every box's corners are intact
    assert text.count("╭─ ") == 7 and text.count("╯") >= 7


def test_dot_and_export(learner_file, tmp_path):
    g = graphs.extract(learner_file(), "build")
    dot = graphs.to_dot(g)
    assert "rankdir=LR" in dot and "shape=record" in dot and "{ L | data -8.0000 | grad 1.0000 }" in dot
    assert graphs.graphviz_binary() is not None
    svg = graphs.export(g, tmp_path / "out" / "g.svg", "svg")
    assert "<svg" in svg.read_text()
    png = graphs.export(g, tmp_path / "out" / "g.png", "png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"




def canvas_text(screen) -> str:
    console = Console(width=300, record=True, file=io.StringIO())
    console.print(screen.query_one("#graph-canvas", Static).content)
    return console.export_text()


@pytest.mark.anyio
async def test_graph_screen_draws_and_exports(make_app, catalog_dir, home):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.call_later(app.open_challenge, "expr-graph")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen) and app.screen.query(CodeEditor))
        drill = app.screen
        # the starter's build() raises: the view says so instead of crashing
        await pilot.press("ctrl+g")
        assert await wait_for(pilot, lambda: isinstance(app.screen, GraphScreen))
        assert await wait_for(pilot, lambda: "NotImplementedError" in canvas_text(app.screen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is drill)
        # unsaved editor text is saved first, then drawn
        drill.query_one(CodeEditor).load_text(solution_of("expr-graph", catalog_dir))
        await pilot.press("ctrl+g")
        assert await wait_for(pilot, lambda: isinstance(app.screen, GraphScreen))
        assert await wait_for(pilot, lambda: "data -8.0000" in canvas_text(app.screen))
        await pilot.press("v")
        out = home / "cache" / "graphs" / "expr-graph.svg"
        assert await wait_for(pilot, out.exists)
        assert any(str(out) in n.message for n in app._notifications)


@pytest.mark.anyio
async def test_no_graph_key_without_a_graph(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.call_later(app.open_challenge, "add-backward")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen) and app.screen.query(CodeEditor))
        keys = {b.binding.key for b in app.screen.active_bindings.values()}
        assert "ctrl+g" not in keys
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, ChallengeScreen)


def test_learner_code_never_runs_in_the_trainer(learner_file, tmp_path):
    marker = tmp_path / "ran-in"
    path = learner_file(f"import os\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\n")
    graphs.extract(path, "build")
    assert int(marker.read_text()) != os.getpid()
