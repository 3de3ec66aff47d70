"""Pilot tests of the learner's main flows through the trainer."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from rich.console import Console
from textual import events
from textual.widgets import Static

from gradrill.core.grading import WarmGrader
from gradrill.core.workspace import atomic_write
from gradrill.tui.screens.challenge import ChallengeScreen
from gradrill.tui.screens.confirm import ConfirmScreen
from gradrill.tui.screens.home import HomeScreen
from gradrill.tui.screens.solution import SolutionScreen
from gradrill.tui.widgets.editor import CodeEditor
from gradrill.tui.widgets.prompt import HintCard
from gradrill.tui.widgets.results import ResultsPanel
from gradrill.tui.widgets.timer import DrillTimer

from tests.helpers import solution_of, wait_for

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


def static_text(screen, selector: str) -> str:
    """The plain text a Static shows (whatever renderable it holds)."""
    content = screen.query_one(selector, Static).content
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def open_add_backward(pilot) -> ChallengeScreen:
    """From home: the cursor starts on the first unfinished drill (add-backward); enter opens it."""
    app = pilot.app
    assert isinstance(app.screen, HomeScreen)
    await pilot.pause()
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen))
    assert app.screen.challenge.id == "add-backward"
    return app.screen


async def open_drill(pilot, challenge_id: str) -> ChallengeScreen:
    app = pilot.app
    app.call_later(app.open_challenge, challenge_id)
    assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen)
                          and app.screen.challenge.id == challenge_id and app.screen.query(CodeEditor))
    return app.screen


async def finished_grading(pilot, screen) -> ResultsPanel:
    results = screen.query_one(ResultsPanel)
    assert await wait_for(pilot, lambda: not results.running and results.verdict is not None, timeout=60)
    return results


async def test_type_a_solution_check_and_pass(make_app, catalog_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_add_backward(pilot)
        editor = screen.query_one(CodeEditor)
        assert "TODO" in editor.text
        assert await wait_for(pilot, lambda: editor.has_focus)  # focus lands once the screen has mounted
        # put the cursor on the TODO line, select it and type the closure in its place
        row = editor.text.splitlines().index(next(line for line in editor.text.splitlines() if "TODO" in line))
        editor.select_line(row)
        # the first line typed key by key (tab indents), the rest pasted (a bracketed paste)
        await pilot.press("backspace", "tab", "tab", *"def _backward():", "enter")
        # enter kept the indentation and added a level after the colon
        assert editor.document.get_line(editor.cursor_location[0]) == " " * 12
        app.post_message(events.Paste("self.grad += 1.0 * out.grad\n"
                                         "            other.grad += 1.0 * out.grad\n"
                                         "        out._backward = _backward\n"))
        await pilot.pause()
        assert "out._backward = _backward" in editor.text
        assert editor.modified
        await pilot.press("ctrl+s")
        results = await finished_grading(pilot, screen)
        assert results.verdict.passed, results.verdict.to_dict()
        assert not editor.modified
        assert screen.drill.path.read_text() == editor.text
        # after a pass: time, the new-best mark, the explicit next key; no auto-advance
        pass_text = static_text(screen, "#results-pass")
        assert "Passed in 0:00" in pass_text and "new personal best" in pass_text and "ctrl+n" in pass_text
        assert screen.query_one(DrillTimer).outcome == "pass"
        assert app.store.best_time("add-backward") == 0.0
        await pilot.pause(0.3)
        assert app.screen is screen  # no auto-advance
        # the solution opens straight away after a pass (no give-up question)
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SolutionScreen))
        assert "+        out._backward = _backward" not in app.screen.diff
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen)
                              and app.screen.challenge.id == "expr-graph")


async def test_a_failing_check_shows_its_message(make_app, catalog_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_add_backward(pilot)
        mutant = next(m for m in screen.challenge.mutants if m.name == "backward_on_self").source
        screen.query_one(CodeEditor).load_text(mutant)
        await pilot.press("ctrl+s")
        results = await finished_grading(pilot, screen)
        verdict = results.verdict
        assert not verdict.passed
        first = verdict.first_failure
        shown = static_text(screen, "#results-failure")
        assert first.title in shown
        assert first.message.splitlines()[0] in shown
        assert "checks passed" in static_text(screen, "#results-summary")
        # the run is recorded, the drill still open
        assert app.store.open_attempt("add-backward") is not None
        assert app.store.best_time("add-backward") is None


async def test_hints_are_counted_in_the_store(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_add_backward(pilot)
        total = len(screen.challenge.hints)
        assert app.store.hints_used("add-backward") == 0
        await pilot.press("ctrl+t")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.store.hints_used("add-backward") == 2
        cards = list(screen.query(HintCard))
        assert len(cards) == 2
        assert f"hints 2/{total}" in str(screen.query_one("#drill-meta", Static).content)
        for _ in range(total + 2):  # more presses than hints: no more counted
            await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.store.hints_used("add-backward") == total
        assert len(screen.query(HintCard)) == total


async def test_solution_stays_hidden_until_give_up(make_app, catalog_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_add_backward(pilot)
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert not app.store.solution_unlocked("add-backward")
        assert not any(isinstance(s, SolutionScreen) for s in app.screen_stack)
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SolutionScreen))
        assert app.store.solution_unlocked("add-backward")
        assert app.store.attempts("add-backward")[-1].status == "gave_up"
        # a diff against the learner's code
        diff = app.screen.diff
        assert diff.startswith("--- yours") and "+        out._backward = _backward" in diff
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert screen.query_one(DrillTimer).outcome == "gave_up"


async def test_watch_mode_rechecks_after_an_outside_edit(make_app, catalog_dir):
    app = make_app(watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_add_backward(pilot)
        results = screen.query_one(ResultsPanel)
        assert results.verdict is None
        # another editor saves the file (write to a temporary file, then rename, as vim does); the
        # watcher starts in a thread of its own, so save again until it has seen one (the same
        # text twice is one change: the screen ignores a file equal to what it last saw)
        for _ in range(30):
            atomic_write(screen.drill.path, solution_of("add-backward", catalog_dir))
            if await wait_for(pilot, lambda: results.verdict is not None and not results.running, timeout=4):
                break
        assert results.verdict is not None and results.verdict.passed
        assert screen.query_one(CodeEditor).text == solution_of("add-backward", catalog_dir)
        assert "changed on disk" in static_text(screen, "#results-summary")
        # a plain in-place write is seen too
        screen.drill.path.write_text("class Value:\n    pass\n")
        assert await wait_for(pilot, lambda: not results.verdict.passed and not results.running, timeout=60)
        # toggled off, outside edits are left alone
        await pilot.press("f4")
        await pilot.pause(0.3)
        screen.drill.path.write_text(solution_of("add-backward", catalog_dir))
        await pilot.pause(1.5)
        assert not results.verdict.passed
        await pilot.press("ctrl+r")  # the manual fallback
        assert await wait_for(pilot, lambda: results.verdict.passed and not results.running, timeout=60)


async def test_reset_archives_the_old_file(make_app, catalog_dir, fake_clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_add_backward(pilot)
        editor = screen.query_one(CodeEditor)
        editor.load_text("# my half-done work\n" + editor.text)
        await pilot.press("ctrl+t")
        await pilot.press("ctrl+s")
        results = await finished_grading(pilot, screen)
        first_attempt = screen.drill.attempt.id
        assert not results.verdict.passed and static_text(screen, "#results-failure").strip()
        fake_clock.advance(30)
        await pilot.press("f8")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: app.screen is screen)
        starter = screen.challenge.starter
        assert screen.drill.path.read_text() == starter
        assert editor.text == starter
        archived = app.workspace.archived(screen.challenge)
        assert len(archived) == 1 and archived[0].read_text().startswith("# my half-done work")
        # the old attempt is left unfinished (a fail: it had a failing check); no new one until a change
        assert app.store.attempts("add-backward")[0].id == first_attempt
        assert app.store.attempts("add-backward")[0].status == "abandoned"
        assert screen.drill.attempt is None and app.store.open_attempt("add-backward") is None
        # the hint already read still counts, for the next drill
        assert app.store.hints_used("add-backward") == 1 and len(screen.query(HintCard)) == 1
        timer = screen.query_one(DrillTimer)
        assert timer.waiting and timer.elapsed == 0
        # the results panel is cleared: no old failure left
        assert results.verdict is None
        assert screen.query_one("#results-failure").has_class("-hidden")
        assert screen.query_one("#results-checks").has_class("-hidden")
        assert "No checks run yet" in static_text(screen, "#results-summary")
        # the first change starts the new drill, with the hint on it
        await pilot.press("end", "x")
        assert await wait_for(pilot, lambda: screen.drill.attempt is not None)
        assert screen.drill.attempt.id != first_attempt and screen.drill.attempt.hints_used == 1
        assert not timer.waiting


class GatedGrader:
    """A real grader whose verdict is handed over only when the test opens the gate, so "still
    grading" is a fact of the test, not a race with the time limit on a loaded machine. Its time
    limit is one second (an endless loop burns the whole limit: no need for the challenge's four)."""

    def __init__(self, real: WarmGrader):
        self.real = real
        self.gate = threading.Event()
        self.graded = threading.Event()

    def start(self) -> None:
        self.real.start()

    def grade(self, challenge, path, limits=None):
        from gradrill.core.grading.sandbox import Limits

        verdict = self.real.grade(challenge, path, Limits(timeout=1.0))
        self.graded.set()
        assert self.gate.wait(120), "the test never opened the gate"
        return verdict

    def close(self) -> None:
        self.gate.set()
        self.real.close()


async def test_an_endless_loop_leaves_the_app_responsive(make_app, fake_clock, home):
    """While `while True: pass` is graded, focus still moves and the timer still ticks."""
    own = GatedGrader(WarmGrader())
    app = make_app(own_grader=own)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_drill(pilot, "expr-graph")
            editor = screen.query_one(CodeEditor)
            editor.load_text("while True:\n    pass\n")
            await pilot.press("ctrl+s")
            results = screen.query_one(ResultsPanel)
            assert results.running
            # the focus moves: out of the editor, then on with tab
            results.focus()
            await pilot.pause()
            assert not editor.has_focus
            focused = app.focused
            await pilot.press("tab")
            assert app.focused is not focused
            # the timer ticks (its clock is ours, so it moves by exactly what we add)
            timer = screen.query_one(DrillTimer)
            before = timer.elapsed
            fake_clock.advance(7)
            assert await wait_for(pilot, lambda: timer.elapsed == before + 7)
            assert results.running, results.verdict  # still grading: the verdict waits at the gate
            await pilot.press("ctrl+t")
            assert app.store.hints_used("expr-graph") == 1
            # the time limit ends the loop, with a message that says so
            own.gate.set()
            assert await wait_for(pilot, lambda: not results.running, timeout=60)
            assert own.graded.is_set() and results.verdict.reason == "timeout"
            assert "time limit" in static_text(screen, "#results-summary")
    finally:
        threading.Thread(target=own.close, daemon=True).start()


class PatientGrader(WarmGrader):
    """A grader whose time limit is a minute: a hanging check stays hanging until it is cancelled."""

    def grade(self, challenge, path, limits=None):
        from gradrill.core.grading.sandbox import Limits

        return super().grade(challenge, path, Limits(timeout=60))


async def test_a_new_save_cancels_a_hanging_check(make_app, fake_clock, home, catalog_dir, monkeypatch):
    """The old grading is stopped and its verdict never shown: the new save's verdict is the one."""
    own = PatientGrader()
    app = make_app(own_grader=own)
    shown = []
    real = ResultsPanel.show_verdict

    def spy(panel, verdict, *args, **kwargs):
        shown.append(verdict)
        return real(panel, verdict, *args, **kwargs)

    monkeypatch.setattr(ResultsPanel, "show_verdict", spy)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_drill(pilot, "add-backward")
            editor = screen.query_one(CodeEditor)
            editor.load_text("while True:\n    pass\n")
            await pilot.press("ctrl+s")
            results = screen.query_one(ResultsPanel)
            assert results.running
            editor.load_text(solution_of("add-backward", catalog_dir))
            await pilot.press("ctrl+s")
            assert await wait_for(pilot, lambda: results.verdict is not None and not results.running, timeout=20)
            assert results.verdict.passed
            await pilot.pause(0.5)
            assert [v.status for v in shown] == ["pass"]  # the hanging check's verdict never appeared
            assert [r["verdict"] for r in app.store.runs(app.store.attempts("add-backward")[0].id)] == ["pass"]
    finally:
        threading.Thread(target=own.close, daemon=True).start()


async def test_home_shows_progress_and_a_redrill_starts_fresh(make_app, catalog_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_add_backward(pilot)
        screen.query_one(CodeEditor).load_text(solution_of("add-backward", catalog_dir))
        await pilot.press("ctrl+s")
        await finished_grading(pilot, screen)
        await pilot.press("escape")  # back home, in one press from the editor
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        tree = app.screen.query_one("#challenge-tree")
        label = str(tree.root.children[0].children[0].label)
        assert label.startswith("✓ Backward through +")
        # the cursor has moved on to the next drill not passed, so enter continues
        assert await wait_for(pilot, lambda: tree.challenge_at_cursor() is not None
                              and tree.challenge_at_cursor().id == "expr-graph")
        await pilot.press("c")  # continue: the first drill not passed
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen)
                              and app.screen.query(CodeEditor))
        assert app.screen.challenge.id == "expr-graph"
        # drilling a passed challenge again starts from the starter; the passing file is archived
        again = await open_drill(pilot, "add-backward")
        assert again is not screen
        assert again.query_one(CodeEditor).text == again.challenge.starter
        assert len(app.workspace.archived(again.challenge)) == 1
        assert app.store.open_attempt("add-backward") is None  # the clock waits for the first change


async def palette(pilot, query: str) -> None:
    """Open the command palette, type ``query``, wait for a hit, run the first one."""
    from textual.command import CommandList, CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    assert await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*query)
    hits = app.screen.query_one(CommandList)

    def top_hit_matches() -> bool:  # the search runs in the background: wait for the hit we asked for
        if not hits.option_count or hits.highlighted is None:
            return False
        prompt = hits.get_option_at_index(hits.highlighted).prompt
        return query.lower() in getattr(prompt, "plain", str(prompt)).lower()

    assert await wait_for(pilot, top_hit_matches)
    await pilot.press("enter")


async def test_help_palette_and_editor_fallback(make_app, monkeypatch):
    """Everything is discoverable: help lists the keys; the palette opens drills; ctrl+o
    falls back to the in-app editor where the terminal cannot be handed to $EDITOR."""
    from gradrill.tui.screens.help import HelpScreen

    monkeypatch.setenv("EDITOR", "true")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.query_one("#help-markdown").source
        for words in ("Save+check", "Hint", "Solution", "Reset", "Watch", "Export PNG", "$EDITOR", "Continue"):
            assert words in text
        assert text.index("In a drill") < text.index("Home") < text.index("How a drill works")  # drill keys first
        # it scrolls from the keyboard
        scroller = app.screen.query_one("#help-text")
        assert scroller.has_focus and scroller.max_scroll_y > 0
        await pilot.press("pagedown")
        assert await wait_for(pilot, lambda: scroller.scroll_y > 0)
        await pilot.press("home")
        assert await wait_for(pilot, lambda: scroller.scroll_y == 0)
        await pilot.press("down")
        assert await wait_for(pilot, lambda: scroller.scroll_y == 1)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await palette(pilot, "first graph")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen) and app.screen.query(CodeEditor))
        screen = app.screen
        assert screen.challenge.id == "expr-graph"
        await pilot.press("ctrl+o")
        assert await wait_for(pilot, lambda: any("in-app editor" in n.message for n in app._notifications))
        assert await wait_for(pilot, lambda: screen.query_one(CodeEditor).has_focus)
        # the drill's own commands are in the palette too
        await palette(pilot, "next hint")
        assert await wait_for(pilot, lambda: app.store.hints_used("expr-graph") == 1)


async def test_catalog_errors_and_a_corrupt_store_are_notified(home, catalog_dir, fake_clock, grader):
    from gradrill.core.catalog import load_catalog
    from gradrill.core.store import Store
    from gradrill.core.workspace import Workspace
    from gradrill.tui.app import GradrillApp

    broken = catalog_dir / "broken-one"
    broken.mkdir()
    (broken / "challenge.toml").write_text('id = "broken-one"\ntitle = 3\n')
    db = home / "data" / "progress.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database" * 100)
    store = Store(db)
    try:
        app = GradrillApp(workspace=Workspace(home / "ws"), catalog=load_catalog(catalog_dir, strict=False),
                          store=store, grader=grader, watch=False, show_today=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            titles = [n.title for n in app._notifications]
            assert any("moved to" in m for m in messages)
            assert any("problem(s) in the challenges" in (t or "") for t in titles)
            assert any("broken-one" in m for m in messages)
    finally:
        store.close()


def test_run_is_what_the_cli_launches():
    from gradrill.tui import app

    assert callable(app.run)
    assert "workspace" in app.run.__code__.co_varnames


def test_no_real_home_touched(home):
    assert Path(os.environ["GRADRILL_HOME"]) == home and Path(os.environ["HOME"]) == home.parent


async def test_today_panel_and_stats_when_daily_practice_is_installed(make_app):
    """Home mounts the practice engineer's TodayPanel; its Selected opens the drill; s opens stats."""
    today = pytest.importorskip("gradrill.tui.widgets.today")
    stats = pytest.importorskip("gradrill.tui.screens.stats")
    app = make_app(show_today=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(today.TodayPanel)
        await pilot.press("s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, stats.StatsScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        panel.post_message(today.TodayPanel.Selected("expr-graph"))
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen)
                              and app.screen.challenge.id == "expr-graph")
        assert await wait_for(pilot, lambda: app.screen.query(CodeEditor) and app.screen.query_one(CodeEditor).has_focus)

