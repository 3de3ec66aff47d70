"""Home: today's queue (the main path: enter starts its next drill) and the chapters."""

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
        Binding("l", "lab", "Lab"),

        Binding("z", "quiz", "Quiz"),
        Binding("r", "speedrun", "Speedrun"),
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
        panels = list(self.query(TodayPanel))
        if panels and panels[0].has_work:
            panels[0].focus_queue()  # the daily session is the main path: enter starts its next drill
        else:
            tree.focus()
        self.call_after_refresh(self._offer_speedrun_resume)

    def on_screen_resume(self) -> None:
        if not getattr(self, "_resumed_once", False):  # the first show: on_mount drew everything already
            self._resumed_once = True
            tree = self.query_one(ChallengeTree)
            self._show_detail(tree.cursor_node.data if tree.cursor_node else None)
            self.set_timer(0.3, self._warm_prompts)
            return
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

    def _warm_prompts(self) -> None:
        from ..widgets.challenge_detail import PromptPreview

        for preview in self.query(PromptPreview):
            preview.warm([(c.id, c.prompt) for c in self.app.catalog])

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

    def on_today_panel_summary_requested(self, event: TodayPanel.SummaryRequested) -> None:
        self.app.show_session_summary()

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
        """Today's next drill; with no queue (or a done one), the first drill not passed yet."""
        for panel in self.query(TodayPanel):
            nxt = panel.today.next if panel.today is not None else None
            if nxt is not None:
                self.post_message(OpenChallenge(nxt.key))
                return
        first = self.query_one(ChallengeTree).first_unfinished()
        if first is None:
            self.notify("Every drill passed. Pick one to drill again.", title="All done")
            return
        self.post_message(OpenChallenge(first.id))

    def action_lab(self) -> None:
        from .lab import LabScreen

        self.app.push_screen(LabScreen(workspace_dir=self.app.workspace.root))

    def action_quiz(self) -> None:
        self.post_message(OpenQuiz())

    def _offer_speedrun_resume(self) -> None:
        """A run under way (the trainer was closed or killed mid-run) is offered back; the speedrun
        screen's module loads only then."""
        if self.app.store.speedrun_active() is not None:
            from .speedrun import offer_resume

            offer_resume(self.app)

    def action_speedrun(self) -> None:
        from .speedrun import open_speedrun

        open_speedrun(self.app)

    def action_stats(self) -> None:
        from .stats import StatsScreen

        self.app.push_screen(StatsScreen(self.app.store, self.app.catalog))
