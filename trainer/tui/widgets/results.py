"""The results panel: every check's status, the first failure up front, a running indicator."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from ...core.results import ERROR, REASONS, Verdict
from ...core.drill import PassReport, review_words
from ...core.text import fmt_delta, fmt_seconds
from ..format import CHECK_MARK

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def next_line(next_label: str | None, solution: bool = False) -> Text:
    """``ctrl+n next: <what>  ·  f2 the solution``."""
    after = Text()
    if next_label:
        after.append("ctrl+n", "bold")
        after.append(f" {next_label}", "")
    else:
        after.append("That was the last drill. escape goes back to the list.", "dim")
    if solution:
        after.append("  ·  ", "dim")
        after.append("f2", "bold")
        after.append(" the solution", "")
    return after


class ResultsPanel(VerticalScroll, can_focus=True):
    """Shows the latest verdict. ``running`` animates a spinner while a grading is under way."""

    running: reactive[bool] = reactive(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "checks"
        self._frame = 0
        self._summary = Text("No checks run yet. ctrl+s saves your file and checks it.", "dim")
        self.verdict: Verdict | None = None

    def compose(self):
        yield Static(self._summary, id="results-summary")
        yield Static("", id="results-pass", classes="-hidden")
        yield Static("", id="results-failure", classes="-hidden")
        yield Static("", id="results-checks", classes="-hidden")

    def on_mount(self) -> None:
        self._spin = self.set_interval(0.1, self._advance, pause=True)

    def _advance(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        self._show_running(layout=False)  # the same size as the frame before: only this line is drawn again

    def watch_running(self, running: bool) -> None:
        self.set_class(running, "-running")
        if running:
            self._spin.resume()
        else:
            self._spin.pause()

    def _show_running(self, layout: bool = True) -> None:
        self.query_one("#results-summary", Static).update(
            Text.assemble((SPINNER[self._frame] + " ", "bold yellow"), ("running the checks…", "yellow")), layout=layout)

    def show_running(self) -> None:
        self.running = True
        self.border_subtitle = "running"
        self._show_running()

    def show_message(self, message: str, style: str = "dim") -> None:
        self.running = False
        self.query_one("#results-summary", Static).update(Text(message, style))

    def clear(self, message: str) -> None:
        """Back to no verdict at all (a reset): only ``message`` shows."""
        self.verdict = None
        self.border_subtitle = ""
        self.remove_class("-passed", "-failed")
        for box in ("#results-pass", "#results-failure", "#results-checks"):
            self.query_one(box, Static).update("")
            self.query_one(box, Static).add_class("-hidden")
        self.show_message(message)

    def show_end(self, text: Text) -> None:
        """The end of a drill that is not a pass (a give-up): what it earned and what comes next."""
        box = self.query_one("#results-pass", Static)
        box.update(text)
        box.remove_class("-hidden")

    def show_verdict(self, verdict: Verdict, report: PassReport | None = None, note: str | None = None,
                     next_label: str | None = None) -> None:
        self.running = False
        self.verdict = verdict
        n = len(verdict.tests)
        passed = verdict.count("pass")
        self.border_subtitle = f"{passed}/{n}" if n else verdict.status
        self.set_class(verdict.passed, "-passed")
        self.set_class(not verdict.passed, "-failed")

        summary = Text()
        if verdict.passed:
            summary.append(f"✓ all {n} checks passed", "bold green")
        elif verdict.status == ERROR:
            reason = REASONS.get(verdict.reason or "", "error")
            summary.append(f"! {reason}", "bold red")
        else:
            summary.append(f"✗ {passed}/{n} checks passed", "bold red")
        summary.append(f"  ({verdict.duration_ms:.0f} ms)", "dim")
        if note:
            summary.append(f"\n{note}", "dim italic")
        self.query_one("#results-summary", Static).update(summary)

        pass_box = self.query_one("#results-pass", Static)
        if report is not None:
            pass_box.update(self._pass_text(report, next_label))
        pass_box.set_class(report is None, "-hidden")

        # one row per check; a wrapped title stays indented under its own line
        first = verdict.first_failure
        table = Table.grid(padding=(0, 1))
        table.add_column(width=1, no_wrap=True)
        table.add_column(ratio=1)
        for t in verdict.tests:
            mark, style = CHECK_MARK.get(t.status, ("?", "yellow"))
            label = f"[task {t.task_id}] " if t.task_id else ""
            table.add_row(Text(mark, style), Text(label + t.title, "bold" if t is first else ""))
        checks = self.query_one("#results-checks", Static)
        checks.update(table)
        checks.set_class(not verdict.tests, "-hidden")

        failure = self.query_one("#results-failure", Static)
        body = self._failure_text(verdict)
        failure.update(body if body is not None else "")
        failure.set_class(body is None, "-hidden")
        self.scroll_home(animate=False)

    @staticmethod
    def _pass_text(report: PassReport, next_label: str | None) -> Group:
        line = Text()
        if report.duration is None:
            line.append("Passed", "bold green")
            line.append(" (untimed)", "dim")
        else:
            line.append(f"Passed in {fmt_seconds(report.duration)}", "bold green")
            line.append(f"  target {fmt_seconds(report.target)}", "dim")
            if report.new_best:
                line.append("\n★ new personal best", "bold yellow")
                if report.delta is not None:
                    line.append(f" ({fmt_delta(report.delta)})", "yellow")
                else:
                    line.append(" (your first)", "yellow")
            elif report.best_before is not None:
                line.append(f"\nbest {fmt_seconds(report.best_before)} ({fmt_delta(report.delta or 0)})", "dim")
        if report.rating:
            line.append("\n" + review_words(report.rating, report.next_due), "")
        if report.spooled:
            line.append("\nyour progress database is busy: this pass is recorded as soon as it is free", "yellow")
        return Group(line, next_line(next_label, solution=True))

    @staticmethod
    def _failure_text(verdict: Verdict) -> Text | None:
        if verdict.passed:
            return None
        first = verdict.first_failure
        text = Text()
        if verdict.status == ERROR and (first is None or verdict.reason in ("syntax", "import")):
            text.append(verdict.message or "error", "red")
            if verdict.output:
                text.append("\n\nyour output:\n", "dim")
                text.append(verdict.output.rstrip())
            return text
        if first is None:
            return None
        text.append(first.title, "bold red")
        text.append("\n")
        text.append(first.message or "(no message)")
        if first.output:
            text.append("\n\nyour output:\n", "dim")
            text.append(first.output.rstrip())
        return text
