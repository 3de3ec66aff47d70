"""The Textual trainer: ``gradrill`` with no command opens it (``run()``)."""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING

from .startup import Pause, paused

with paused():  # importing is half of start-up (``startup``)
    from textual.app import App
    from textual.binding import Binding

    from ..core.catalog import Catalog, UnknownChallenge, load_catalog
    from ..core.store import Store
    from ..core.workspace import Workspace
    from . import css_cache, textual_fixes  # noqa: F401 - applied before any screen is made
    from .commands import ActionCommands, DrillCommands
    from .messages import OpenChallenge, OpenQuiz
    from .screens.home import HomeScreen

    css_cache.install()  # Textual's parsed stylesheets kept between runs (``css_cache``)

if TYPE_CHECKING:
    from ..core.grading import WarmGrader

BROWSER_NOTICE = ("The browser keeps ctrl+t, ctrl+n and ctrl+w (it closes the tab) for itself: take a hint or go "
                  "to the next drill from the command palette (ctrl+p). $EDITOR is not available: use the built-in "
                  "editor.")


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
        self._startup = Pause()  # no garbage collection from on_load until the first frame (``startup``)
        self.workspace = workspace or Workspace.default()
        self.catalog = catalog if catalog is not None else load_catalog(strict=False)
        self._own_store = store is None
        self.store = store or Store()
        self._own_grader = grader is None
        self._grader = grader
        self.watch_default = watch
        self.show_today = show_today
        self.last_drilled: str | None = None

    @property
    def grader(self) -> "WarmGrader":
        """The grading worker (made on first use: the home screen draws before grading loads)."""
        if self._grader is None:
            from ..core.grading import WarmGrader

            self._grader = WarmGrader()
        return self._grader

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_load(self) -> None:
        self._startup.start()

    def on_mount(self) -> None:
        # the collector back once the first frame is out and the screen has settled
        self.call_after_refresh(self.set_timer, 0.5, self._startup.end)
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
        if self.is_web:  # `gradrill serve`
            self.notify(BROWSER_NOTICE, title="In a browser", timeout=15)
        self.set_timer(0.5, self._warm_up)  # after the first paint: the worker's imports compete for the CPU

    def _warm_up(self) -> None:
        """Start the grading worker in the background, so the first check is quick. A daemon
        thread, not a Textual worker: quitting must never wait for the worker's imports."""
        grader = self.grader

        def start() -> None:
            try:
                grader.start()
            except Exception:  # noqa: BLE001 - the first grading retries and reports
                pass

        threading.Thread(target=start, name="gradrill-warm-up", daemon=True).start()

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
        from ..core.drill import Drill
        from .screens.challenge import ChallengeScreen

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

    def drill_screens(self) -> list:
        """The open drill screens (none until a drill is opened: its module loads then)."""
        module = sys.modules.get(f"{__package__}.screens.challenge")
        return [s for s in self.screen_stack if module and isinstance(s, module.ChallengeScreen)]

    def save_editors(self) -> None:
        for screen in self.screen_stack:  # drills and the speedrun screen
            save = getattr(screen, "save_if_modified", None)
            if callable(save):
                save()

    def show_session_summary(self) -> None:
        """The end of today's queue: back home, with the day's summary on top."""
        from ..core import practice
        from .screens.summary import SessionSummaryScreen

        today = practice.stored_today(self.store, self.catalog)
        if today is None:
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(SessionSummaryScreen(practice.summary(self.store, self.catalog, today)))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.save_editors()
        for screen in self.drill_screens():
            screen.cancel_grading()  # a hanging check must not hold the quit
        self.exit()

    def on_unmount(self) -> None:
        self._startup.end()
        css_cache.write()  # the stylesheets parsed this run, for the next start
        if self._own_grader and self._grader is not None:
            # a grading in flight holds the grader until it ends: close it in the background, never wait
            threading.Thread(target=self._grader.close, daemon=True).start()
        if self._own_store:
            self.store.close()


def run(workspace: str | None = None) -> int:
    """Open the trainer; returns the exit code."""
    app = GradrillApp(workspace=Workspace.default(workspace))
    app.run()
    return app.return_code or 0
