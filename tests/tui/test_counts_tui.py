"""What counts (README, "What counts"), through the trainer (Pilot): the same rules as the CLI.

And the daily session as the main path: enter on home starts today's next item, ctrl+n
after a pass or a give-up goes to the next one, and the end of the queue shows a summary.
"""

from __future__ import annotations

import pytest
from textual import events

from gradrill.tui.screens.challenge import ChallengeScreen
from gradrill.tui.screens.confirm import ConfirmScreen
from gradrill.tui.screens.home import HomeScreen
from gradrill.tui.screens.solution import SolutionScreen
from gradrill.tui.screens.summary import SessionSummaryScreen
from gradrill.tui.widgets.editor import CodeEditor
from gradrill.tui.widgets.timer import DrillTimer

from tests.tui.test_flows import finished_grading, open_drill, static_text
from tests.helpers import solution_of, wait_for

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


async def test_opening_and_leaving_without_an_edit_records_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drill(pilot, "add-backward")
        assert screen.query_one(DrillTimer).waiting
        await pilot.press("ctrl+r")  # even a check of the untouched file
        results = await finished_grading(pilot, screen)
        assert not results.verdict.passed and "not recorded" in static_text(screen, "#results-summary")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.store.attempts() == [] and app.store.reviews() == []
        # and a reset of a drill never typed in records nothing either (no abandoned attempt, no Again)
        screen = await open_drill(pilot, "add-backward")
        await pilot.press("f8")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert app.store.attempts() == [] and app.store.reviews() == []


async def test_the_clock_starts_at_the_first_change(make_app, fake_clock, catalog_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drill(pilot, "add-backward")
        fake_clock.advance(600)  # ten minutes of reading the prompt
        await pilot.press("end", "#")
        assert await wait_for(pilot, lambda: screen.drill.attempt is not None)
        assert screen.drill.attempt.started_at == fake_clock.t
        assert not screen.query_one(DrillTimer).waiting
        fake_clock.advance(45)
        screen.query_one(CodeEditor).load_text(solution_of("add-backward", catalog_dir))
        await pilot.press("ctrl+s")
        results = await finished_grading(pilot, screen)
        assert results.verdict.passed
        assert app.store.best_time("add-backward") == 45
        # the pass panel says the rating and the next review
        shown = static_text(screen, "#results-pass")
        assert "Passed in 0:45" in shown and "rated Easy" in shown and "next review" in shown


async def test_a_change_seen_first_by_ctrl_r_is_a_drill_timed_from_opening(make_app, fake_clock, catalog_dir):
    # the learner's own editor wrote the file and the watcher has not told the screen yet (or is off)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drill(pilot, "add-backward")
        screen.watching = False
        opened = fake_clock.t
        fake_clock.advance(80)
        screen.drill.path.write_text(solution_of("add-backward", catalog_dir), encoding="utf-8")
        await pilot.press("ctrl+r")
        results = await finished_grading(pilot, screen)
        assert results.verdict.passed
        assert screen.drill.attempt is not None and screen.drill.attempt.started_at == opened
        assert app.store.best_time("add-backward") == 80


async def test_rechecking_after_a_pass_records_nothing_new(make_app, fake_clock, catalog_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drill(pilot, "add-backward")
        screen.query_one(CodeEditor).load_text(solution_of("add-backward", catalog_dir))
        assert await wait_for(pilot, lambda: screen.drill.attempt is not None)  # the change started the clock
        fake_clock.advance(60)
        await pilot.press("ctrl+s")
        results = await finished_grading(pilot, screen)
        assert results.verdict.passed
        reviews = app.store.reviews("add-backward")
        for _ in range(3):
            fake_clock.advance(60)
            results.verdict = None
            await pilot.press("ctrl+r")
            await finished_grading(pilot, screen)
            assert "not recorded" in static_text(screen, "#results-summary")
        assert app.store.reviews("add-backward") == reviews and len(app.store.attempts("add-backward")) == 1
        assert app.store.best_time("add-backward") == 60


async def test_a_hint_never_opens_an_attempt(make_app, fake_clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drill(pilot, "add-backward")
        await pilot.press("ctrl+t")
        assert await wait_for(pilot, lambda: app.store.hints_used("add-backward") == 1)
        assert app.store.attempts() == [] and screen.drill.attempt is None
        await pilot.press("end", "#")  # the first change: the drill starts, with the hint on it
        assert await wait_for(pilot, lambda: screen.drill.attempt is not None)
        assert screen.drill.attempt.hints_used == 1


async def test_give_up_then_paste_is_one_review_rated_again(make_app, fake_clock, catalog_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drill(pilot, "add-backward")
        await pilot.press("end", "#")
        fake_clock.advance(120)
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SolutionScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert "rated Again" in static_text(screen, "#results-pass")
        app.post_message(events.Paste(""))  # nothing; then the solution pasted over the file
        screen.query_one(CodeEditor).load_text(solution_of("add-backward", catalog_dir))
        await pilot.press("ctrl+s")
        results = await finished_grading(pilot, screen)
        assert results.verdict.passed and "not recorded" in static_text(screen, "#results-summary")
        assert [r.rating_name for r in app.store.reviews("add-backward")] == ["again"]
        assert app.store.best_time("add-backward") is None


async def test_seeing_the_solution_outside_a_drill_times_nothing(make_app, fake_clock, catalog_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drill(pilot, "add-backward")
        screen.query_one(CodeEditor).load_text(solution_of("add-backward", catalog_dir))
        fake_clock.advance(80)
        await pilot.press("ctrl+s")
        assert (await finished_grading(pilot, screen)).verdict.passed
        fake_clock.advance(86400 * 3)
        app.call_later(app.open_challenge, "add-backward")  # a fresh drill, days later
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen) and app.screen is not screen
                              and app.screen.query(CodeEditor))
        again = app.screen
        await pilot.press("f2")  # the solution, with no drill running: no give-up asked
        assert await wait_for(pilot, lambda: isinstance(app.screen, SolutionScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is again)
        again.query_one(CodeEditor).load_text(solution_of("add-backward", catalog_dir))
        await pilot.press("ctrl+s")
        assert (await finished_grading(pilot, again)).verdict.passed
        assert again.drill.attempt is None and len(app.store.attempts("add-backward")) == 1
        assert len(app.store.reviews("add-backward")) == 1


async def test_the_daily_session_with_enter_and_the_next_key_only(make_app, fake_clock, catalog_dir):
    app = make_app(show_today=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("TodayPanel")
        assert await wait_for(pilot, lambda: panel.today is not None and panel.today.next is not None)
        queue = [i.key for i in panel.today.items]
        assert len(queue) == 2 and app.focused is app.screen.query_one("#today-list")
        await pilot.press("enter")  # home: enter starts today's next item
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen) and app.screen.query(CodeEditor))
        for n, key in enumerate(queue):
            screen = app.screen
            assert screen.challenge.id == key
            screen.query_one(CodeEditor).load_text(solution_of(key, catalog_dir))
            assert await wait_for(pilot, lambda: screen.drill.attempt is not None)
            fake_clock.advance(70)
            await pilot.press("ctrl+s")
            results = await finished_grading(pilot, screen)
            assert results.verdict.passed
            shown = static_text(screen, "#results-pass")
            if n == 0:
                assert "next in today's queue" in shown
            else:
                assert "today's summary" in shown
            await pilot.press("ctrl+n")
            if n == 0:
                assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen)
                                      and app.screen is not screen and app.screen.query(CodeEditor))
        assert await wait_for(pilot, lambda: isinstance(app.screen, SessionSummaryScreen))
        summary = app.screen.summary
        assert summary.items == 2 and summary.passes == 2 and summary.seconds == 140
        assert summary.streak.today_complete
        # drawn as a dialog: its styles (screens/dialogs.tcss) came with it
        assert app.screen.query_one("#summary-dialog").styles.border_top[0] == "round"
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.store.session(panel.today.day).complete


async def test_next_after_a_give_up_in_the_session(make_app, fake_clock, catalog_dir):
    app = make_app(show_today=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("TodayPanel")
        assert await wait_for(pilot, lambda: panel.today is not None and panel.today.next is not None)
        queue = [i.key for i in panel.today.items]
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen) and app.screen.query(CodeEditor))
        screen = app.screen
        await pilot.press("end", "#")
        await pilot.press("f2")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: isinstance(app.screen, SolutionScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert "next in today's queue" in static_text(screen, "#results-pass")
        await pilot.press("ctrl+n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ChallengeScreen) and app.screen is not screen
                              and app.screen.query(CodeEditor))
        assert app.screen.challenge.id == queue[1]
