"""The quiz screen, driven as a learner drives it: from home, the palette and the daily queue;
numbers walked back from the output with one wrong and one right answer; a formula with
a retry; leaving early; and snapshots."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from textual.widgets import Input

from gradrill.core.quiz import families, session
from gradrill.core.quiz.session import NumericRun
from gradrill.tui.screens.home import HomeScreen
from gradrill.tui.screens.quiz import QuizScreen
from gradrill.tui.widgets.quiz_graph import paint

from tests.tui.test_flows import palette
from tests.helpers import wait_for

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


async def open_quiz(pilot, family: str, level: int, seed: int) -> QuizScreen:
    app = pilot.app
    app.push_screen(QuizScreen(family, level, seed))
    assert await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen) and app.screen.run is not None)
    screen = app.screen
    for box in screen.query(Input):
        box.cursor_blink = False  # steady snapshots
    if screen.numeric:
        assert await wait_for(pilot, lambda: screen.drawing is not None, timeout=20)
    await pilot.pause()
    return screen


async def type_answer(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_numeric_quiz_from_home_one_wrong_and_one_right(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("z")
        assert await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen) and app.screen.drawing is not None,
                              timeout=20)
        screen = app.screen
        run = screen.run
        assert screen.family.name == "lecture"  # nothing practised yet: the first family
        problem = run.problem
        first, second = run.order[0], run.order[1]
        assert app.focused.id == f"grad-{first}"
        assert not app.screen.query_one(f"#grad-{run.order[3]}", Input).has_focus
        answers = screen.query_one("#quiz-answers")
        assert await wait_for(pilot, lambda: answers.has_class("-focus-within"))  # its border lit
        await type_answer(pilot, "1")                            # right: the output's grad
        assert run.results[first].right and app.focused.id == f"grad-{second}"
        assert answers.has_class("-focus-within")
        wrong = repr(problem[second].grad + 3)
        await type_answer(pilot, wrong)                          # wrong
        assert not run.results[second].right
        log = screen.log_text
        assert f"✗ {second}.grad is not {wrong}" in log
        assert problem.explain(second).line() in log             # the worked chain rule
        # the graph shows the right grad of the wrong node, and hides the ones still to find
        drawn = paint(screen.drawing, problem, screen._states(), run.next).plain
        # (a grad is right-aligned under its data: "grad  7.0" below "data -12.0")
        assert re.search(rf"grad +{re.escape(session.num(problem[second].grad))} ", drawn) and "?" in drawn
        await pilot.press("ctrl+r")                              # the rest, shown
        assert await wait_for(pilot, lambda: run.finished)
        assert await wait_for(pilot, lambda: not answers.has_class("-focus-within"))  # the feedback has the focus
        assert "rated again" in screen.log_text and "Every grad left, with the chain rule" in screen.log_text
        saved = app.store.quiz_answers("lecture")
        assert len(saved) == 1 and (saved[0].right, saved[0].wrong, saved[0].revealed) == (1, 1, True)
        assert app.store.card("quiz:lecture").kind == "quiz"
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_malformed_answer_gets_a_line_and_another_try(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, "reuse", 2, 3)
        await type_answer(pilot, "L.data")
        assert "type a number" in screen.log_text and screen.run.results == {}
        box = screen.query_one(f"#grad-{screen.run.order[0]}", Input)
        assert box.has_focus and not box.disabled


async def test_all_right_walks_back_and_fills_the_graph(make_app, fake_clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, "reuse", 2, 3)
        run = screen.run
        fake_clock.advance(30)
        for name in list(run.order):
            assert app.focused.id == f"grad-{name}"
            await type_answer(pilot, repr(run.problem[name].grad))
        assert run.finished and run.outcome().all_right
        assert "6 of 6 right" in screen.log_text and "rated easy" in screen.log_text
        assert "?" not in paint(screen.drawing, run.problem, screen._states(), None).plain
        assert app.store.quiz_answers()[0].rating == session.EASY


async def test_a_formula_card_with_a_retry(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, "local", 3, 2)
        card = screen.run.card
        assert card.op == "relu"
        box = screen.query_one("#formula-input", Input)
        assert box.has_focus
        await type_answer(pilot, "out.grad")
        assert await wait_for(pilot, lambda: len(screen.run.tries) == 1, timeout=30)
        assert "only where out.data > 0" in screen.log_text and "1 more try" in screen.log_text
        assert await wait_for(pilot, lambda: box.has_focus)
        box.value = ""
        await type_answer(pilot, "(x > 0) * out.grad" if "x" in card.variables else f"({card.asked} > 0)*out.grad")
        assert await wait_for(pilot, lambda: screen.run.finished, timeout=30)
        assert "right (on the retry)" in screen.log_text and "rated hard" in screen.log_text
        assert app.store.quiz_answers("local")[0].retried


async def test_a_malformed_formula_does_not_count(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, "local", 2, 5)
        await type_answer(pilot, "__import__('os')")
        assert "not allowed" in screen.log_text and screen.run.tries == []


async def test_leaving_after_a_slip_records_again_and_without_one_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_quiz(pilot, "lecture", 1, 4)
        await type_answer(pilot, "1")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.store.quiz_answers() == []
        screen = await open_quiz(pilot, "lecture", 1, 4)
        await type_answer(pilot, "2")
        await pilot.press("ctrl+n")                              # a new problem: the slip stays on record
        assert await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen) and app.screen is not screen)
        saved = app.store.quiz_answers()
        assert len(saved) == 1 and saved[0].rating == session.AGAIN and saved[0].wrong == 1
        await pilot.pause()
        await pilot.press("ctrl+f")                              # the next family
        assert await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen) and app.screen.family.name == "neuron")


async def test_the_palette_opens_a_family(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(pilot, "Quiz: deep")
        assert await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert app.screen.family.name == "deep"


async def test_the_daily_queue_opens_a_due_quiz(make_app, fake_clock):
    app = make_app(show_today=True)
    # a lecture problem answered wrong yesterday: due today
    run = NumericRun(families.generate("lecture", 1, 1), started=fake_clock() - timedelta(days=1))
    run.answer("L", "5")
    run.reveal()
    run.ended_at = fake_clock() - timedelta(days=1)
    app.store.record_quiz(run.outcome(), run.detail())
    async with app.run_test(size=SIZE) as pilot:
        from gradrill.tui.widgets.today import TodayPanel
        from textual.widgets import OptionList

        await pilot.pause()
        panel = app.screen.query_one(TodayPanel)
        assert await wait_for(pilot, lambda: panel.today is not None)
        item = next(i for i in panel.today.items if i.key == "quiz:lecture")
        assert item.kind == "review"
        options = panel.query_one(OptionList)
        options.focus()
        options.highlighted = options.get_option_index("quiz:lecture")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        screen = app.screen
        assert screen.family.name == "lecture" and screen.run.problem.level == 1
        assert await wait_for(pilot, lambda: screen.drawing is not None, timeout=20)
        for name in list(screen.run.order):
            await type_answer(pilot, repr(screen.run.problem[name].grad))
        assert screen.run.finished
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        item = next(i for i in panel.refresh_queue().items if i.key == "quiz:lecture")
        assert item.done and item.result == "pass"


# -- snapshots -------------------------------------------------------------------------------


def test_quiz_numbers_small(snap_compare, make_app):
    async def run_before(pilot):
        screen = await open_quiz(pilot, "reuse", 2, 3)
        for name in screen.run.order[:2]:
            await type_answer(pilot, repr(screen.run.problem[name].grad))
        await type_answer(pilot, "7")
        await pilot.pause(0.3)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_quiz_formula_large(snap_compare, make_app):
    async def run_before(pilot):
        screen = await open_quiz(pilot, "local", 2, 5)
        await type_answer(pilot, "2 * z**2 * out.grad")
        assert await wait_for(pilot, lambda: len(screen.run.tries) == 1, timeout=30)
        await pilot.pause(0.3)

    assert snap_compare(make_app(), terminal_size=(160, 50), run_before=run_before)


async def test_the_stats_screen_shows_quiz_accuracy_per_family(make_app, fake_clock):
    from textual.widgets import DataTable

    from gradrill.tui.screens.stats import StatsScreen

    app = make_app()
    run = NumericRun(families.generate("reuse", 2, 1))
    while not run.finished:
        run.answer(run.next, "99" if run.next == "L" else repr(run.problem[run.next].grad))
    app.store.record_quiz(run.outcome(), run.detail())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        await pilot.pause()
        table = app.screen.query_one("#stats-quiz", DataTable)
        assert table.display and table.row_count == 1
        row = [str(c) for c in table.get_row("reuse")]
        asked = len(run.order)
        assert row[:3] == ["reuse", "1", "0"] and row[3] == f"{(asked - 1) / asked:.0%}"
