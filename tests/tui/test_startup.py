"""What the trainer loads to start: nothing the home screen does not draw.

Start-up is measured by benchmarks/startup.py; these tests only pin what it rests on.
"""

from __future__ import annotations

import gc

import pytest

from tests.helpers import env_for, python_output


def test_the_home_screens_imports_leave_out_the_quiz_generators_the_grader_and_the_stats():
    code = ("import sys; import gradrill.tui.app\n"
            "print(sorted(m for m in sys.modules if m.startswith(('gradrill.core.quiz.', 'gradrill.core.grading',"
            " 'gradrill.checks', 'gradrill.core.stats', 'sympy', 'pytest', 'tree_sitter'))))")
    out = python_output(code, env_for())
    # families (names and levels, for the Today panel) and plan (the queue) only: not the generators,
    # not the sessions that check answers; the streak (core.days), not the stats screen's numbers; no
    # editor, so no tree-sitter
    assert out.strip() == "['gradrill.core.quiz.families', 'gradrill.core.quiz.plan']", out


def test_the_chapter_tree_parses_no_markup(tmp_path):
    """Its labels are Text, the root's too: a str label is parsed as markup, and the first parse loads
    rich's table of emoji codes (5 ms of start-up)."""
    code = ("import sys; from gradrill.core.catalog import load_catalog\n"
            "from gradrill.tui.widgets.challenge_tree import ChallengeTree\n"
            "before = 'rich._emoji_codes' in sys.modules\n"
            "ChallengeTree(load_catalog(strict=False)).populate({})\n"
            "print(before, 'rich._emoji_codes' in sys.modules)")
    before, after = python_output(code, env_for(tmp_path)).split()
    if before == "True":  # e.g. textual 7.0 with rich 14.2 load it as they are imported
        pytest.skip("this Textual loads rich's emoji table as it is imported: nothing for the tree to save")
    assert (before, after) == ("False", "False")


def test_a_start_from_the_catalogs_cache_leaves_out_what_reads_challenges_from_disk(tmp_path):
    # what the app does before its first frame: its imports, the catalog (from its cache, made by
    # an earlier start), the settings (none written), the store (no card is read: no FSRS; no quiz
    # answer or speedrun run either, whose records are dataclasses that cost a millisecond each)
    start = ("import sys; import gradrill.tui.app\n"
             "from gradrill.core import settings; from gradrill.core.catalog import load_catalog\n"
             "from gradrill.core.store import Store; from gradrill import locations\n"
             "load_catalog(strict=False); settings.load(); Store(locations.database_path()).close()\n"
             "print(sorted(m for m in ('tomllib', 'importlib.resources', 'gradrill.core.given', 'gradrill.core.patch',"
             " 'gradrill.reference', 'gradrill.core.results', 'fsrs', 'gradrill.core.scheduling',"
             " 'gradrill.core.store.quiz_records', 'gradrill.core.store.speedrun_records') if m in sys.modules))")
    env = env_for(tmp_path)
    assert "tomllib" in python_output(start, env)  # the first start reads the challenges (and caches them)
    again = python_output(start, env)
    assert again.strip() == "[]", again


def test_what_the_imports_made_is_frozen_and_the_collector_is_back_on():
    from gradrill.tui.startup import paused

    was, enabled = gc.get_freeze_count(), gc.isenabled()
    gc.enable()  # as in the trainer (the suite runs the trainer's tests without it: conftest.py)
    try:
        with paused():
            assert not gc.isenabled()
            made = [[n] for n in range(1000)]  # noqa: F841 - long-lived, as a module's objects are
        assert gc.isenabled()
        assert gc.get_freeze_count() >= was + 1000
    finally:
        if not was:
            gc.unfreeze()  # as it was for the rest of this process's tests
        if not enabled:
            gc.disable()


@pytest.mark.anyio
@pytest.mark.parametrize("width", [160, 40])
async def test_the_trees_measured_rows_are_as_wide_as_its_drawn_rows(make_app, width):
    # the tree measures its rows without drawing them (get_label_width): at a width where the
    # titles fit and at one where they are cut, every row's measure is its drawn width
    from gradrill.tui.widgets.challenge_tree import ChallengeTree
    from rich.style import Style

    app = make_app()
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ChallengeTree)
        nodes = [node for chapter in tree.root.children for node in (chapter, *chapter.children)]
        assert len(nodes) >= 3
        for node in nodes:
            drawn = tree.render_label(node, Style(), Style()).cell_len
            assert tree.get_label_width(node) == drawn, node.label


@pytest.mark.anyio
async def test_the_chapter_tree_works_out_its_style_once_a_pass_and_draws_as_textuals_tree(make_app, monkeypatch):
    from gradrill.tui.widgets.challenge_tree import ChallengeTree
    from textual.dom import DOMNode
    from textual.widgets import Tree

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ChallengeTree)
        crop = tree.region.reset_offset
        assert crop.height > 10
        worked_out = []
        style = DOMNode.rich_style.fget
        monkeypatch.setattr(DOMNode, "rich_style", property(lambda node: worked_out.append(node) or style(node)))

        tree._line_cache.clear(), tree._styles_cache.clear()  # draw every line again
        ours = tree.render_lines(crop)
        assert worked_out.count(tree) == 1  # once a pass (Textual's Tree: once a line)

        tree._line_cache.clear(), tree._styles_cache.clear()  # draw every line again
        worked_out.clear()
        monkeypatch.setattr(ChallengeTree, "render_lines", Tree.render_lines)  # no memo: Textual's own
        textuals = tree.render_lines(crop)
        assert worked_out.count(tree) > 10  # once a line
        assert [strip.text for strip in ours] == [strip.text for strip in textuals]
        assert ours == textuals
