"""Home: the chapters and their challenges; today's queue once daily practice is installed."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree

from ...core.catalog import Challenge, Chapter
from ..format import STATUS, status_of
from ..messages import OpenChallenge, OpenQuiz
from ..widgets.challenge_detail import ChallengeDetail
from ..widgets.challenge_tree import ChallengeTree
from ..widgets.today import TodayPanel


class HomeScreen(Screen):
    BINDINGS = [
        Binding("c", "continue", "Continue"),
        Binding("s", "stats", "Stats"),
        Binding("z", "quiz", "Quiz"),
        Binding("question_mark,f1", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        yield Static("", id="home-bar", classes="topbar")
        with Horizontal(id="home-body"):
            with Vertical(id="home-left"):
                if app.show_today:
                    yield TodayPanel(app.store, app.catalog)
                yield ChallengeTree(app.catalog, id="challenge-tree")
            yield ChallengeDetail(app.catalog, id="challenge-detail")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(ChallengeTree)
        tree.populate(self.app.store.progress())
        self._update_bar()
        first = tree.first_unfinished()
        if first is not None:
            tree.select_challenge(first.id)
        tree.focus()

    def on_screen_resume(self) -> None:
        for panel in self.query(TodayPanel):
            panel.refresh_queue()
        tree = self.query_one(ChallengeTree)
        current = tree.challenge_at_cursor()
        tree.populate(self.app.store.progress())
        self._update_bar()
        # back from a drill just passed: the cursor moves on, so enter continues rather than re-drills
        just_drilled = getattr(self.app, "last_drilled", None)
        if (current is not None and current.id == just_drilled
                and status_of(tree.progress.get(current.id)) == "passed"):
            after = tree.first_unfinished(after=current.id)
            if after is not None:
                tree.select_challenge(after.id)
                current = after
        self._show_detail(current or (tree.cursor_node.data if tree.cursor_node else None))

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")
        self.set_class(self.size.height < 30, "-short")

    def _update_bar(self) -> None:
        progress = self.query_one(ChallengeTree).progress
        catalog = self.app.catalog
        passed = sum(1 for c in catalog if status_of(progress.get(c.id)) == "passed")
        text = Text()
        text.append("gradrill", "bold")
        text.append(f"  {passed} of {len(catalog)} passed", "green" if passed else "dim")
        text.append("   ")
        for key in ("passed", "progress", "new"):
            mark, words, style = STATUS[key]
            text.append(mark, style)
            text.append(f" {words}  ", "dim")
        text.append("best / target", "dim")
        self.query_one("#home-bar", Static).update(text)

    # -- the tree -----------------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#challenge-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show_detail(event.node.data)

    def _show_detail(self, data) -> None:
        detail = self.query_one(ChallengeDetail)
        progress = self.query_one(ChallengeTree).progress
        if isinstance(data, Challenge):
            detail.show_challenge(data, progress.get(data.id), self.app.workspace.path_for(data))
        elif isinstance(data, Chapter):
            detail.show_chapter(data, progress)

    @on(Tree.NodeSelected, "#challenge-tree")
    def _selected(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.node.data, Challenge):
            event.stop()
            self.post_message(OpenChallenge(event.node.data.id))

    def on_today_panel_selected(self, event: TodayPanel.Selected) -> None:
        if event.challenge_id.startswith("quiz:"):
            self.post_message(OpenQuiz(event.challenge_id.removeprefix("quiz:")))
        else:
            self.post_message(OpenChallenge(event.challenge_id))

    # -- actions ------------------------------------------------------------------------

    def action_open(self) -> None:
        challenge = self.query_one(ChallengeTree).challenge_at_cursor()
        if challenge is not None:
            self.post_message(OpenChallenge(challenge.id))
        else:
            node = self.query_one(ChallengeTree).cursor_node
            if node is not None:
                node.toggle()

    def action_continue(self) -> None:
        first = self.query_one(ChallengeTree).first_unfinished()
        if first is None:
            self.notify("Every drill passed. Pick one to drill again.", title="All done")
            return
        self.post_message(OpenChallenge(first.id))

    def action_quiz(self) -> None:
        self.post_message(OpenQuiz())

    def action_stats(self) -> None:
        from .stats import StatsScreen

        self.app.push_screen(StatsScreen(self.app.store, self.app.catalog))
