"""Help: how a drill works, every key (read from the screens' bindings), where files live.

The drill keys come first (they are what a learner opens help for); the text scrolls with
the keyboard (up/down, page up/down, home/end, space)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from ... import locations
from ...core.text import display_path

INTRO = """\
# gradrill

Rebuild micrograd from memory, one timed drill at a time. On the home screen, **enter**
starts the next drill of today's queue; the clock starts at your first change to the file.
"""

MORE = """\
## How a drill works

Read the prompt, write the code (in the editor here, or in your own editor: the file lives
in your workspace), and check it. The hidden checks say what passed and what failed, and
why. A pass stops the clock and shows the rating it earned and the next review; **ctrl+n**
goes on to the next drill of today's queue (after its last one: the day's summary).

**Hints** are counted (a hint read outside a drill counts towards the next one). The
**solution** opens after a pass, or when you give up (f2 asks first). **Watch mode** (on by
default) re-runs the checks whenever the file changes on disk, so you can edit it in
another terminal pane. Opening a drill and leaving without a change records nothing, and a
check outside a timed drill counts for nothing.
"""


def _key(app, binding: Binding) -> str:
    return ", ".join(app.get_key_display(Binding(k.strip(), binding.action, binding.description))
                     for k in binding.key.split(","))


def _table(app, title: str, bindings: list[Binding]) -> str:
    rows = [f"| {_key(app, b)} | {b.description or b.action} |" for b in bindings
            if isinstance(b, Binding) and (b.description or b.show)]
    return f"## {title}\n\n| key | does |\n|---|---|\n" + "\n".join(rows) + "\n"


class HelpScreen(ModalScreen):
    CSS_PATH = "dialogs.tcss"  # loaded when the first dialog opens
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "app.pop_screen", "Close"),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def action_page_down(self) -> None:
        self.query_one("#help-text", VerticalScroll).scroll_page_down()

    def compose(self) -> ComposeResult:
        from .challenge import ChallengeScreen
        from .graph import GraphScreen
        from .home import HomeScreen
        from .lab import LabScreen
        from .lab_inspect import LabInspectScreen
        from .quiz import QuizScreen
        from .solution import SolutionScreen
        from .speedrun import SpeedrunScreen

        app = self.app
        workspace = getattr(app, "workspace", None)
        where = ""
        if workspace is not None:
            where = (
                "## Your files\n\n"
                f"- your drills: `{display_path(workspace.root)}` (one file per challenge)\n"
                f"- older versions, kept before anything overwrites them: "
                f"`{display_path(locations.archive_dir(workspace.root))}`\n"
                f"- your progress: `{display_path(locations.database_path())}`\n"
                f"- exported graphs: `{display_path(locations.cache_dir() / 'graphs')}`\n"
            )
        extra = [
            Binding("ctrl+p", "command_palette", "Command palette: every action, and open any drill by name"),
            Binding("f1", "help", "This help"),
            Binding("ctrl+q", "quit", "Quit"),
        ]
        text = "\n".join([
            INTRO,
            _table(app, "In a drill", ChallengeScreen.BINDINGS),
            "In the editor, **enter** keeps the indentation (one more level after a `:`); **escape** goes "
            "back home (your changes are saved); **ctrl+z** / **ctrl+y** undo and redo; **f6** selects the "
            "line, **f7** selects everything; pasting works as in any terminal.\n",
            _table(app, "Speedrun", SpeedrunScreen.BINDINGS),
            "Splits fire themselves: each save is checked, and every split whose checks (and every earlier "
            "split's) pass is stamped with the time of that save.\n",
            _table(app, "Home", HomeScreen.BINDINGS),
            _table(app, "Everywhere", extra),
            MORE,
            _table(app, "Solution", SolutionScreen.BINDINGS),
            _table(app, "Graph", GraphScreen.BINDINGS),
            _table(app, "Training lab", LabScreen.BINDINGS),
            _table(app, "Training lab: inspect", LabInspectScreen.BINDINGS),
            _table(app, "Quiz (chain-rule self-tests: z on the home screen)", QuizScreen.BINDINGS),
            where,
            "## On the command line\n\n`gradrill list`, `gradrill start ID`, `gradrill check ID`, "
            "`gradrill hint ID`, `gradrill solution ID`, `gradrill quiz [FAMILY]`: see `gradrill --help`.\n",
        ])
        with Vertical(id="help-dialog"):
            with VerticalScroll(id="help-text"):
                yield Markdown(text, id="help-markdown")

    def on_mount(self) -> None:
        self.query_one("#help-dialog").border_title = "help"
        self.query_one("#help-dialog").border_subtitle = "↑↓ pgup pgdn scroll · escape closes"
        self.query_one("#help-text").focus()
