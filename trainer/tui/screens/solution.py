"""The canonical solution, as a diff against the learner's file (or whole)."""

from __future__ import annotations

import difflib

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...core.catalog import Challenge


def solution_diff(learner_code: str, solution: str, file_name: str) -> str:
    diff = difflib.unified_diff(learner_code.splitlines(True), solution.splitlines(True),
                                fromfile=f"yours ({file_name})", tofile="solution")
    text = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
    return text


def diff_text(diff: str) -> Text:
    """A unified diff, coloured line by line (the same in every theme)."""
    text = Text(no_wrap=True, overflow="ignore")
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        else:
            style = ""
        text.append(line + "\n", style)
    text.rstrip()
    return text


class SolutionScreen(Screen):
    CSS_PATH = "drill.tcss"  # loaded when this screen first opens

    BINDINGS = [
        Binding("d", "toggle", "Diff / whole"),
        Binding("escape,q", "app.pop_screen", "Back"),
    ]

    show_diff: reactive[bool] = reactive(True)

    def __init__(self, challenge: Challenge, learner_code: str, file_name: str) -> None:
        super().__init__()
        self.challenge, self.learner_code, self.file_name = challenge, learner_code, file_name
        self.diff = solution_diff(learner_code, challenge.solution, file_name)

    def compose(self) -> ComposeResult:
        yield Static("", id="solution-bar", classes="topbar")
        with VerticalScroll(id="solution-body"):
            yield Static("", id="solution-code")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#solution-body").focus()
        self._refresh_view()

    def watch_show_diff(self, _: bool) -> None:
        if self.is_mounted:
            self._refresh_view()

    def action_toggle(self) -> None:
        self.show_diff = not self.show_diff

    def _refresh_view(self) -> None:
        bar = Text(no_wrap=True, overflow="ellipsis")
        bar.append(f"Solution: {self.challenge.title}", "bold")
        if self.show_diff:
            bar.append("   ")
            bar.append("- yours", "red")
            bar.append("  ")
            bar.append("+ solution", "green")
        else:
            bar.append("   the whole file", "dim")
        self.query_one("#solution-bar", Static).update(bar)
        code = self.query_one("#solution-code", Static)
        if self.show_diff:
            if self.diff:
                code.update(diff_text(self.diff))
            else:
                code.update(Text("Your file is identical to the solution.", "green"))
        else:
            code.update(Syntax(self.challenge.solution, "python", theme="monokai", line_numbers=True))
