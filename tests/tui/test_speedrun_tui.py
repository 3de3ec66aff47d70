"""Pilot tests of speedrun mode in the trainer: a run from a blank file to the last split,
reached from the home screen; the resume offer after a restart; reset with confirmation.

The catalog is the real backward-blank challenge and a two-split category of its own
(``mini``: its task 1 checks, then its task 2 checks), so the runs are quick."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual import events

from gradrill.checks.bundle import bundle_name
from gradrill.core.catalog import load_catalog
from gradrill.core.results import CheckResult, Verdict
from gradrill.core.speedrun.categories import load_categories
from gradrill.core.speedrun.mode import Speedrun
from gradrill.core.store import Store
from gradrill.core.workspace import Workspace
from gradrill.tui.app import GradrillApp
from gradrill.tui.screens.confirm import ConfirmScreen
from gradrill.tui.screens.home import HomeScreen
from gradrill.tui.screens.speedrun import CategoryPicker, HistoryScreen, SpeedrunScreen
from gradrill.tui.widgets.editor import CodeEditor
from gradrill.tui.widgets.splits import BigTimer, SplitsTable

from tests.helpers import wait_for
from tests.speedrun_stages import stage

ROOT = Path(__file__).resolve().parents[2]

SIZE = (160, 50)
pytestmark = pytest.mark.anyio

MINI = '''
id = "mini"
title = "Mini"
summary = "Value with + and *, then backward()."
reference = "backward-blank"

[[splits]]
name = "+ and *"
prompt = "Value, + and *, with their _backward closures."
checks = ["backward-blank::test_forward_and_children", "backward-blank::test_reused_leaf"]

[[splits]]
name = "backward()"
prompt = "backward(): topological order, seed, reverse walk."
checks = ["backward-blank::test_backward_seeds_the_root", "backward-blank::test_reused_inner_node"]
'''


@pytest.fixture
def mini_catalog(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "challenges"
    root.mkdir()
    (root / "chapters.toml").write_text('[[chapters]]\nid = "from-blank"\ntitle = "From a blank file"\n')
    shutil.copytree(ROOT / "challenges" / "backward-blank", root / "backward-blank",
                    ignore=shutil.ignore_patterns("__pycache__"))
    meta = root / "backward-blank" / "challenge.toml"
    meta.write_text(meta.read_text().replace('prerequisites = ["backward"]', "prerequisites = []"))
    (root / "_speedrun").mkdir()
    (root / "_speedrun" / "mini.toml").write_text(MINI)
    monkeypatch.setenv("GRADRILL_CHALLENGES", str(root))
    return root


@pytest.fixture
def speedrun_app(home, mini_catalog, grader):
    stores = []

    def factory() -> GradrillApp:
        store = Store(home / "gradrill" / "data" / "progress.sqlite3")
        stores.append(store)
        return GradrillApp(workspace=Workspace(home / "gradrill" / "workspace"), catalog=load_catalog(mini_catalog),
                           store=store, grader=grader, watch=False, show_today=False)

    yield factory
    for store in stores:
        store.close()


def fired(app) -> list[int | None]:
    run = app.store.speedrun_runs("mini")[-1]
    return run.times


async def paste(pilot, text: str) -> None:
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def test_a_run_from_home_to_the_last_split(speedrun_app):
    app = speedrun_app()
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("r")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CategoryPicker))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SpeedrunScreen) and app.screen.speedrun.run)
        screen = app.screen
        editor = screen.query_one(CodeEditor)
        assert editor.text == "" and editor.has_focus
        path = Path(screen.speedrun.run.file)
        assert path.name == "mini-1.py" and path.read_text() == ""

        await paste(pilot, stage(1))
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: fired(app)[0] is not None, timeout=30)
        assert path.read_text() == stage(1)
        board = screen.query_one(SplitsTable).board
        assert board.rows[0].ms == fired(app)[0] and board.rows[1].current

        await paste(pilot, stage(2)[len(stage(1)):])
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.store.speedrun_runs("mini")[-1].finished, timeout=30)
        await pilot.pause()
        run = app.store.speedrun_runs("mini")[-1]
        assert run.final_ms == run.times[1] >= run.times[0]
        assert await wait_for(pilot, lambda: screen.query_one(BigTimer).has_class("-pb"))
        assert screen.query_one(SplitsTable).board.rows[1].ms == run.final_ms
        await pilot.press("f3")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SpeedrunScreen))
        await pilot.press("escape")  # the editor lets go of the focus
        await pilot.press("escape")  # back home
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_restart_offers_the_run_back_and_reset_asks_first(speedrun_app, home, mini_catalog):
    with Store(home / "gradrill" / "data" / "progress.sqlite3") as store:
        catalog = load_catalog(mini_catalog)
        sr = Speedrun(store, Workspace(home / "gradrill" / "workspace"), catalog, load_categories(catalog))
        run = sr.start("mini")
        save = sr.stamp_now(stage(1))
        Path(run.file).write_text(stage(1))
        passing = [CheckResult(bundle_name(1, "backward-blank", n), "pass")
                   for n in ("test_forward_and_children", "test_reused_leaf")]
        sr.record(save, Verdict("fail", passing))  # split 1 passed (graded for real in the test above)
        assert sr.run.reached == 1
    app = speedrun_app()  # the trainer starts again (it was killed mid-run)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SpeedrunScreen) and app.screen.query(CodeEditor)
                              and app.screen.query_one(SplitsTable).board is not None)
        screen = app.screen
        assert screen.query_one(CodeEditor).text == stage(1)
        board = screen.query_one(SplitsTable).board
        assert board.rows[0].ms is not None and board.rows[1].current
        await pilot.press("f8")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SpeedrunScreen))
        assert app.store.speedrun_active() is not None
        await pilot.press("f8")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: app.store.speedrun_active() is None)
        (run,) = app.store.speedrun_runs("mini")
        assert run.status == "reset" and run.reached == 1
