"""The Textual trainer: ``gradrill`` with no command opens it (``run()``)."""

from __future__ import annotations

import threading

from textual import work
from textual.app import App
from textual.binding import Binding

from ..core.catalog import Catalog, UnknownChallenge, load_catalog
from ..core.grading import WarmGrader
from ..core.store import Store
from ..core.workspace import Workspace
from .commands import ActionCommands, DrillCommands
from ..core.drill import Drill
from .messages import OpenChallenge, OpenQuiz
from .screens.challenge import ChallengeScreen
from .screens.help import HelpScreen
from .screens.home import HomeScreen


class GradrillApp(App):
    """Services (catalog, store, workspace, grader) live on the app; screens reach them as
    ``self.app.<name>``. Tests pass their own; by default everything comes from
    ``gradrill.locations`` (so ``GRADRILL_HOME`` and friends apply)."""

    CSS_PATH = "gradrill.tcss"
    TITLE = "gradrill"
    COMMANDS = App.COMMANDS | {ActionCommands, DrillCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, workspace: Workspace | None = None, catalog: Catalog | None = None,
                 store: Store | None = None, grader: WarmGrader | None = None, *, watch: bool = True,
                 show_today: bool = True) -> None:
        super().__init__()
        self.workspace = workspace or Workspace.default()
        self.catalog = catalog if catalog is not None else load_catalog(strict=False)
        self._own_store = store is None
        self.store = store or Store()
        self._own_grader = grader is None
        self.grader = grader or WarmGrader()
        self.watch_default = watch
        self.show_today = show_today
        self.last_drilled: str | None = None

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        if self.store.notice:
            self.notify(self.store.notice, title="Progress database", severity="warning", timeout=20)
        if self.catalog.errors:
            shown = "\n".join(f"• {e}" for e in self.catalog.errors[:3])
            more = len(self.catalog.errors) - 3
            if more > 0:
                shown += f"\n… and {more} more (`gradrill validate` lists them)"
            self.notify(shown, title=f"{len(self.catalog.errors)} problem(s) in the challenges: those are left out",
                        severity="warning", timeout=20, markup=False)
        if not len(self.catalog):
            self.notify("No challenges found.", severity="error")
        self._warm_up()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Start the grading worker in the background, so the first check is quick."""
        try:
            self.grader.start()
        except Exception:  # noqa: BLE001 - the first grading retries and reports
            pass

    # -- drills ----------------------------------------------------------------------------

    def on_open_challenge(self, message: OpenChallenge) -> None:
        self.open_challenge(message.challenge_id)

    def open_challenge(self, challenge_id: str) -> None:
        """Open a drill on top of the home screen (closing whatever else is open)."""
        try:
            challenge = self.catalog.get(challenge_id)
        except UnknownChallenge as exc:
            self.notify(str(exc), severity="error")
            return
        self.save_editors()
        drill = Drill(challenge, self.store, self.workspace)
        try:
            notice = drill.begin()
        except OSError as exc:
            self.notify(f"Could not prepare your file: {exc}", severity="error")
            return
        self.last_drilled = challenge.id
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(ChallengeScreen(drill, notice, watch=self.watch_default))

    def on_open_quiz(self, message: OpenQuiz) -> None:
        self.open_quiz(message.family)

    def open_quiz(self, family: str | None = None) -> None:
        """Open a quiz (``family`` None: the most due) on top of the home screen."""
        from .screens.quiz import QuizScreen

        self.save_editors()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(QuizScreen(family))

    def save_editors(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ChallengeScreen):
                screen.save_if_modified()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.save_editors()
        self.exit()

    def on_unmount(self) -> None:
        if self._own_grader:
            # a grading in flight (an endless loop) holds the grader until its time limit: don't wait
            closer = threading.Thread(target=self.grader.close, daemon=True)
            closer.start()
            closer.join(1.0)
        if self._own_store:
            self.store.close()


def run(workspace: str | None = None) -> int:
    """Open the trainer; returns the exit code."""
    app = GradrillApp(workspace=Workspace.default(workspace))
    app.run()
    return app.return_code or 0
