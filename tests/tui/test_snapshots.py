"""Snapshots (``snap_compare``, tests/snapshots.py) of each main screen at 80x24, and a drill at 160x50.

Deterministic by construction: a fixed catalog (see conftest), a pinned clock (the timer
reads 0:00), grading durations reported as 42 ms, no blinking cursor, paths under a HOME
of our own. Update after a deliberate change with ``pytest tests/tui --snapshot-update``
and look at the report.
"""

from __future__ import annotations

import shutil

from gradrill.tui.screens.challenge import ChallengeScreen
from gradrill.tui.screens.confirm import ConfirmScreen
from gradrill.tui.screens.graph import GraphScreen
from gradrill.tui.screens.help import HelpScreen
from gradrill.tui.screens.solution import SolutionScreen
from gradrill.tui.widgets.editor import CodeEditor
from gradrill.tui.widgets.results import ResultsPanel
from tests.helpers import solution_of, wait_for

SMALL = (80, 24)
LARGE = (160, 50)


async def open_drill(pilot, challenge_id: str) -> ChallengeScreen:
    app = pilot.app
    app.call_later(app.open_challenge, challenge_id)
    assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen)
                          and app.screen.challenge.id == challenge_id and app.screen.query(CodeEditor))
    screen = app.screen
    screen.query_one(CodeEditor).cursor_blink = False
    await pilot.pause()
    return screen


async def check_with(pilot, screen: ChallengeScreen, text: str | None) -> None:
    """Put ``text`` in the editor (None: keep the starter), save, wait for the verdict."""
    if text is not None:
        screen.query_one(CodeEditor).load_text(text)
    await pilot.press("ctrl+s")
    results = screen.query_one(ResultsPanel)
    assert await wait_for(pilot, lambda: results.verdict is not None and not results.running, timeout=60)
    await pilot.pause()


def test_home_small(snap_compare, make_app):
    assert snap_compare(make_app(steady=True, watch=True), terminal_size=SMALL)


def test_home_large(snap_compare, make_app):
    assert snap_compare(make_app(steady=True, watch=True), terminal_size=LARGE)


def test_drill_failing_small(snap_compare, make_app):
    async def run_before(pilot):
        screen = await open_drill(pilot, "add-backward")
        await check_with(pilot, screen, None)

    assert snap_compare(make_app(steady=True, watch=True), terminal_size=SMALL, run_before=run_before)


def test_drill_passed_small(snap_compare, make_app, catalog_dir):
    async def run_before(pilot):
        screen = await open_drill(pilot, "add-backward")
        await check_with(pilot, screen, solution_of("add-backward", catalog_dir))

    assert snap_compare(make_app(steady=True, watch=True), terminal_size=SMALL, run_before=run_before)


def test_drill_with_hints_large(snap_compare, make_app):
    async def run_before(pilot):
        screen = await open_drill(pilot, "add-backward")
        await pilot.press("ctrl+t", "ctrl+t")
        await check_with(pilot, screen, None)

    assert snap_compare(make_app(steady=True, watch=True), terminal_size=LARGE, run_before=run_before)


def test_give_up_dialog_small(snap_compare, make_app):
    async def run_before(pilot):
        await open_drill(pilot, "add-backward")
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))

    assert snap_compare(make_app(steady=True, watch=True), terminal_size=SMALL, run_before=run_before)


def test_solution_diff_small(snap_compare, make_app):
    async def run_before(pilot):
        screen = await open_drill(pilot, "add-backward")
        await check_with(pilot, screen, None)
        await pilot.press("f2", "y")
        assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, SolutionScreen))
        await pilot.pause()

    assert snap_compare(make_app(steady=True, watch=True), terminal_size=SMALL, run_before=run_before)


def test_help_small(snap_compare, make_app):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(make_app(steady=True, watch=True), terminal_size=SMALL, run_before=run_before)


def test_graph_small(snap_compare, make_app, catalog_dir):
    async def run_before(pilot):
        screen = await open_drill(pilot, "expr-graph")
        shutil.copy(catalog_dir / "expr-graph" / "solution.py", screen.drill.path)
        await pilot.press("ctrl+g")
        assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, GraphScreen)
                              and pilot.app.screen.graph is not None, timeout=60)
        await pilot.pause()

    assert snap_compare(make_app(steady=True, watch=False), terminal_size=SMALL, run_before=run_before)
