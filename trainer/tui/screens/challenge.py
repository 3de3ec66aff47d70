"""The drill: prompt, timer, editor, checks, hints, solution, graph.

Grading runs in a thread worker (``WarmGrader.grade`` blocks) and posts ``GradingFinished``;
a new grading cancels the one in flight (its verdict is ignored). Watch mode runs
``watchfiles`` in another thread worker and posts ``FileChangedOnDisk``. Every store and
workspace write happens here, on the UI thread.

The clock starts at the learner's first change (``Drill.start``): the first keystroke in
the editor; a change seen on disk (watch mode) counts from the moment the drill was opened,
and a session in ``$EDITOR`` from the moment it began (the clock never starts later than
the learner could have started typing).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import threading

import watchfiles
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Label, TextArea
from textual.worker import get_current_worker

from ... import locations
from ...core import clock, practice
from ...core.results import ERROR, Verdict
from ...core.drill import Drill, review_words
from ...core.text import display_path
from ..messages.drill import FileChangedOnDisk, GradingFinished
from ..widgets.editor import CodeEditor
from ..widgets.prompt import PromptPane
from ..widgets.results import ResultsPanel, next_line
from ..widgets.timer import DrillTimer

TRIGGER_NOTE = {
    "watch": "re-checked: your file changed on disk",
    "editor": "checked after your $EDITOR session",
    "check": "checked the file on disk",
}


class ChallengeScreen(Screen):
    CSS_PATH = "drill.tcss"  # loaded when this screen first opens

    # Keys that must work while the editor has focus are ctrl/function keys with priority.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save+check", priority=True),
        Binding("ctrl+r,f5", "check", "Check", priority=True, key_display="^r"),
        Binding("ctrl+t", "hint", "Hint", priority=True),
        Binding("f2", "solution", "Solution", priority=True),
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("ctrl+g", "graph", "Graph", priority=True),
        Binding("ctrl+o", "external_editor", "$EDITOR", priority=True),
        Binding("f4", "toggle_watch", "Watch", priority=True),
        Binding("f8", "reset", "Reset", priority=True),
        Binding("ctrl+b", "toggle_prompt", "Prompt", priority=True),
        Binding("escape", "back", "Back", priority=True),
    ]

    watching: reactive[bool] = reactive(True, init=False)

    def __init__(self, drill: Drill, notice: str | None = None, watch: bool = True) -> None:
        super().__init__()
        self.drill = drill
        self.challenge = drill.challenge
        self.notice = notice
        self.set_reactive(ChallengeScreen.watching, watch)
        self._stop_watch: threading.Event | None = None
        self._disk_text = self._read_disk() or ""
        self._opened_at = clock.now()  # a change first seen on disk is timed from here
        self._generation = 0  # gradings started on this screen; only the latest one's verdict counts
        self._grading = False  # one is in flight

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        c = self.challenge
        with Horizontal(id="drill-bar", classes="topbar"):
            yield Label(c.title, id="drill-title")
            yield DrillTimer(self.drill.started_at, c.target_seconds, self.drill.best(), id="drill-timer")
            yield Label("", id="drill-meta")
        with Horizontal(id="drill-body"):
            yield PromptPane(c, id="prompt-pane")
            with Vertical(id="work-pane"):
                yield CodeEditor.for_file(self._disk_text, c.file_name, id="editor")
                yield ResultsPanel(id="results")
        yield Footer()

    def on_mount(self) -> None:
        if self not in self.app.screen_stack or not self.query(PromptPane):
            return  # replaced before it was shown (two drills opened in quick succession)
        try:
            self._show_start()
        except NoMatches:  # torn down while it mounted (the app quit right after opening it)
            return
        if self.watching:
            self._start_watching()
        self.query_one(CodeEditor).focus()
        if self.notice:
            self.notify(self.notice, title="Archived", timeout=8)

    def _show_start(self) -> None:
        """The hints already seen, the meta line and the last verdict of this drill (or the idle line)."""
        prompt = self.query_one(PromptPane)
        for n in range(1, min(self.drill.hints_seen, len(self.challenge.hints)) + 1):
            prompt.show_hint(n, self.challenge.hints[n - 1], scroll=False)
        self._update_meta()
        results = self.query_one(ResultsPanel)
        last = self.drill.attempt.results if self.drill.attempt else None
        if last:
            results.show_verdict(Verdict.from_dict(last), note="your last check in this drill")
        else:
            results.show_message(self._idle_message())

    def on_unmount(self) -> None:
        self._stop_watching()
        self.cancel_grading()

    def on_resize(self) -> None:
        self._fit()

    def on_show(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """-narrow below 110 columns (the editor gets the wider share), -short below 30 rows (the
        results panel gives the editor its rows back); the cursor line stays in view."""
        width, height = self.app.size
        self.set_class(width < 110, "-narrow")
        self.set_class(height < 30, "-short")
        self.call_after_refresh(self._cursor_in_view)

    def _cursor_in_view(self) -> None:
        for editor in self.query(CodeEditor):
            editor.scroll_cursor_visible(animate=False)

    def _failing_line(self, verdict: Verdict) -> int | None:
        """The line of the learner's file a failure names (its innermost frame there), if any."""
        first = verdict.first_failure
        texts = [verdict.message, verdict.output] + ([first.message, first.output] if first else [])
        pattern = re.compile(r'File "[^"]*' + re.escape(self.challenge.file_name) + r'", line (\d+)')
        found = [int(m) for text in texts if text for m in pattern.findall(text)]
        return found[-1] if found else None

    def _line_in_view(self, line: int | None) -> None:
        editor = self.query_one(CodeEditor)
        if line is None:
            editor.scroll_cursor_visible(animate=False)
            return
        top, height = editor.scroll_offset.y, editor.scrollable_content_region.height
        row = line - 1
        if not top <= row < top + height:
            editor.scroll_to(y=max(0, row - height // 2), animate=False)

    def _idle_message(self) -> str:
        where = display_path(self.drill.path)
        how = (f"Or edit {where} in another window: watch mode re-checks on every save."
               if self.watching else f"Your file is {where}. Watch mode is off (f4 turns it on).")
        start = "" if self.drill.started else "The clock starts when you first change the file. "
        return f"No checks run yet. {start}ctrl+s saves and checks. {how}"

    def _update_meta(self) -> None:
        total = len(self.challenge.hints)
        text = Text()
        text.append(f"hints {min(self.drill.hints_seen, total)}/{total}", "dim")
        text.append("  ")
        text.append("watching" if self.watching else "watch off", "green" if self.watching else "dim")
        self.query_one("#drill-meta", Label).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.drill.ended_as in ("pass", "gave_up")
        if action == "graph":
            return bool(self.challenge.graph)
        return True

    # -- files -------------------------------------------------------------------------

    def _read_disk(self) -> str | None:
        try:
            return self.drill.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def save_if_modified(self) -> bool:
        editor = self.query_one(CodeEditor)
        if editor.modified:
            return self._save(editor.text)
        return False

    def _save(self, text: str) -> bool:
        if text != self._disk_text:
            self._begin(clock.now())  # a change (even one whose Changed message is still queued)
        try:
            self._disk_text = text  # before writing: the watcher must see it as ours
            self.drill.workspace.save(self.challenge, text)
        except OSError as exc:
            self.notify(f"Could not save {self.drill.path}: {exc}", severity="error")
            return False
        self.query_one(CodeEditor).mark_saved(text)
        return True

    # -- the clock ---------------------------------------------------------------------

    @on(TextArea.Changed, "#editor")
    def _edited(self, event: TextArea.Changed) -> None:
        if self.query_one(CodeEditor).modified:
            self._begin(clock.now())

    def _begin(self, at) -> None:
        """The learner changed the file: the drill (and its clock) starts, if it has not yet."""
        if self.drill.start(at):
            self.query_one(DrillTimer).start(self.drill.started_at)
            results = self.query_one(ResultsPanel)
            if results.verdict is None and not results.running:
                results.show_message(self._idle_message())

    # -- grading -----------------------------------------------------------------------

    def run_checks(self, trigger: str) -> None:
        self.cancel_grading()  # a new save wins: the old grading's child is killed, its verdict ignored
        self._generation += 1
        self._grading = True
        self.query_one(ResultsPanel).show_running()
        self._grade(trigger, self._generation, self.drill.grading_key())

    def cancel_grading(self) -> None:
        """Stop the grading in flight, if any (the grader kills its child); never waits for it."""
        if not self._grading:
            return
        self._grading = False
        self._generation += 1
        grader = self.app.grader
        stop = getattr(grader, "cancel", None) or getattr(grader, "kill", None)
        if callable(stop):
            try:
                stop()
            except Exception:  # noqa: BLE001 - the old verdict is ignored either way
                pass

    @work(thread=True, exclusive=True, group="grading", exit_on_error=False)
    def _grade(self, trigger: str, generation: int, attempt: int | None) -> None:
        """In a thread: ``WarmGrader.grade`` blocks until the sandboxed run ends (or times out)."""
        worker = get_current_worker()
        path = self.drill.path
        try:
            code = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            code = ""
        try:
            verdict = self.app.grader.grade(self.challenge, path)
        except Exception as exc:  # noqa: BLE001 - shown as a verdict, never a crash
            verdict = Verdict(ERROR, reason="internal", challenge=self.challenge.id,
                              message=f"grading failed: {type(exc).__name__}: {exc}")
        if not worker.is_cancelled:
            self.post_message(GradingFinished(verdict, code, trigger, attempt, generation))

    @on(GradingFinished)
    def _graded(self, message: GradingFinished) -> None:
        if message.generation != self._generation or message.verdict.reason == "cancelled":
            return  # a newer grading replaced this one
        self._grading = False
        was_over = self.drill.finished
        outcome = self.drill.record(message.verdict, message.code, message.attempt)
        report = outcome.report
        note = TRIGGER_NOTE.get(message.trigger)
        if was_over and self.drill.ended_as == "studied":
            note = "not recorded: you have seen the solution, so this drill is not timed (f8 starts a new one)"
        elif was_over:
            note = "the drill is over, so this check is not recorded (f8 starts a new drill)"
        elif not outcome.recorded:
            note = "not recorded: the clock starts at your first change, so this check counts for nothing"
        elif outcome.spooled and report is None:
            note = "your progress database is busy: this check is recorded as soon as it is free"
        target = self._next_target() if report else None
        self.query_one(ResultsPanel).show_verdict(message.verdict, report, note, target[2] if target else None)
        line = None if message.verdict.passed else self._failing_line(message.verdict)
        # the results grew: the line being fixed (the one the failure names, else the cursor's) stays visible
        self.call_after_refresh(self._line_in_view, line)
        if report is not None:
            timer = self.query_one(DrillTimer)
            timer.stop(report.duration, "pass")
            timer.best = self.drill.best()
            self.refresh_bindings()
            line = "Passed"
            if report.new_best and report.duration is not None:
                line = "New personal best!"
            self.notify(line, title=self.challenge.title, timeout=4)

    def _next_target(self) -> tuple[str, str | None, str] | None:
        """Where ctrl+n goes: ("queue", id, label), ("summary", None, label), ("drill", id, label) or None.

        Inside today's queue (this drill is one of its items) the next key follows the queue,
        and after its last item it shows the day's summary; otherwise the curriculum."""
        catalog = self.app.catalog
        try:
            today = practice.stored_today(self.app.store, catalog)
        except Exception:  # noqa: BLE001 - the queue is a convenience here; the curriculum still works
            today = None
        if today is not None and any(i.key == self.challenge.id for i in today.items):
            if today.complete:
                return "summary", None, "today's summary: the queue is done"
            nxt = today.next
            if nxt is not None and nxt.key != self.challenge.id:
                return "queue", nxt.key, f"next in today's queue: {nxt.title}"
        nxt = catalog.next_after(self.challenge.id)
        return ("drill", nxt.id, f"next: {nxt.title}") if nxt else None

    # -- watch mode --------------------------------------------------------------------

    def watch_watching(self, watching: bool) -> None:
        if watching:
            self._start_watching()
        else:
            self._stop_watching()
        self._update_meta()

    def _start_watching(self) -> None:
        self._stop_watching()
        self._stop_watch = threading.Event()
        self._watch_file(self._stop_watch)

    def _stop_watching(self) -> None:
        if self._stop_watch is not None:
            self._stop_watch.set()
            self._stop_watch = None

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _watch_file(self, stop: threading.Event) -> None:
        """In a thread: post ``FileChangedOnDisk`` whenever the learner's file changes. Every second
        without an event it also compares the file's size and time, so a save made while the
        watcher was still starting (or one it missed) is caught up."""
        path = self.drill.path
        name = path.name

        def ours(change: watchfiles.Change, changed: str) -> bool:
            return os.path.basename(changed) == name

        def stamp():
            try:
                st = os.stat(path)
                return st.st_mtime_ns, st.st_size
            except OSError:
                return None

        def post() -> None:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = None
            self.post_message(FileChangedOnDisk(path, text))

        seen = stamp()
        try:
            if self._read_disk() != self._disk_text:  # changed before the watcher was up
                post()
            for changes in watchfiles.watch(path.parent, watch_filter=ours, stop_event=stop, recursive=False,
                                            rust_timeout=200, yield_on_timeout=True, raise_interrupt=False,
                                            debounce=800, step=50):
                if stop.is_set():
                    return
                now = stamp()
                if changes or now != seen:
                    seen = now
                    post()
        except Exception as exc:  # noqa: BLE001
            if not stop.is_set():
                self.app.call_from_thread(self.notify, f"Watch mode stopped: {exc}. ctrl+r checks by hand.",
                                          severity="warning")

    @on(FileChangedOnDisk)
    def _changed_on_disk(self, message: FileChangedOnDisk) -> None:
        if not self.watching:
            return
        if message.text is None:
            self.notify(f"{message.path.name} is gone from the workspace. ctrl+s writes the editor's text back.",
                        severity="warning")
            return
        if message.text == self._disk_text:
            return  # our own save, or nothing really changed
        self._disk_text = message.text
        self._begin(self._opened_at)
        editor = self.query_one(CodeEditor)
        if editor.modified:
            self.notify("Your file changed on disk while the editor has unsaved changes. Checking the file on "
                        "disk; ctrl+s would overwrite it with the editor's text.", severity="warning", timeout=8)
        else:
            editor.load(message.text)
        self.run_checks("watch")

    # -- actions -----------------------------------------------------------------------

    def action_save(self) -> None:
        if self._save(self.query_one(CodeEditor).text):
            self.run_checks("save")

    def action_check(self) -> None:
        """Check the file on disk (the fallback when watch mode is off or missed a change)."""
        disk = self._read_disk()
        editor = self.query_one(CodeEditor)
        if disk is None:
            self.notify("Your file is missing: ctrl+s writes the editor's text.", severity="warning")
            return
        if disk != self._disk_text:  # a change first seen on disk (watch mode off, or not yet told)
            self._disk_text = disk
            self._begin(self._opened_at)
            if not editor.modified:
                editor.load(disk)
        if editor.modified:
            self.notify("The editor has unsaved changes: checking the file on disk. ctrl+s saves and checks.",
                        severity="warning")
        self.run_checks("check")

    def action_hint(self) -> None:
        total = len(self.challenge.hints)
        got = self.drill.next_hint()
        if got is None:
            self.notify(f"No hints left ({total} of {total} taken). f2 shows the solution (you give up).",
                        severity="warning")
            return
        n, text = got
        self.remove_class("-no-prompt")
        self.query_one(PromptPane).show_hint(n, text)
        self._update_meta()

    def action_solution(self) -> None:
        if self.drill.solution_unlocked():
            self.drill.studied()  # no drill running: from here on this screen times nothing
            self._show_solution()
            return

        def answered(give_up: bool | None) -> None:
            if not give_up:
                self.notify("Keep going!")
                return
            self.save_if_modified()
            self.cancel_grading()
            self.drill.give_up(self._read_disk())
            self.query_one(DrillTimer).stop(self.drill.duration, "gave_up")
            self.refresh_bindings()
            self._show_end()
            self._show_solution()

        self.app.push_screen(
            self._confirm("Give up and see the solution?",
                          "The solution opens after a pass, or when you give up. Giving up ends this drill "
                          "as not passed and stops the clock. Your file stays as it is.", "Give up"),
            answered)

    def _show_end(self) -> None:
        """After a give-up: the review it earned and the next key."""
        text = Text()
        text.append("Given up", "bold red")
        words = review_words(self.drill.rating, self.drill.next_due)
        if words:
            text.append(f"\n{words}")
        target = self._next_target()
        text.append("\n")
        text.append_text(next_line(target[2] if target else None, solution=True))
        self.query_one(ResultsPanel).show_end(text)

    def _confirm(self, title: str, message: str, yes: str):
        from .confirm import ConfirmScreen

        return ConfirmScreen(title, message, yes=yes)

    def _show_solution(self) -> None:
        from .solution import SolutionScreen

        code = self.query_one(CodeEditor).text
        self.app.push_screen(SolutionScreen(self.challenge, code, self.challenge.file_name))

    def action_next(self) -> None:
        target = self._next_target()
        if target is None:
            self.notify("That was the last drill.", title="The end")
            return
        kind, challenge_id, _ = target
        if kind == "summary":
            self.app.show_session_summary()
            return
        self.app.open_challenge(challenge_id)

    def action_graph(self) -> None:
        if not self.challenge.graph:
            self.notify("This challenge has no graph to draw.", severity="warning")
            return
        self.save_if_modified()
        from .graph import GraphScreen

        self.app.push_screen(GraphScreen(self.challenge, self.drill.path))

    def action_external_editor(self) -> None:
        if self.app.is_web:  # `gradrill serve`: no terminal to hand over
            self.notify(f"In a browser the trainer cannot hand over to $EDITOR: use the built-in editor, or edit "
                        f"{display_path(self.drill.path)} in your own editor (watch mode re-checks it on save).",
                        severity="warning", timeout=10)
            self.query_one(CodeEditor).focus()
            return
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not command:
            self.notify("Set $EDITOR (for example `export EDITOR=vim`) to edit in your own editor. "
                        "Meanwhile the in-app editor works.", severity="warning", timeout=8)
            return
        argv = shlex.split(command)
        if not argv or shutil.which(argv[0]) is None:
            self.notify(f"$EDITOR is {command!r}, which is not on your PATH.", severity="error")
            return
        self.save_if_modified()
        path = self.drill.path
        launched = clock.now()
        try:
            with self.app.suspend():
                subprocess.call([*argv, str(path)])
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to $EDITOR; use the in-app editor "
                        "(or edit the file in another window: watch mode picks it up).", severity="warning")
            self.query_one(CodeEditor).focus()
            return
        text = self._read_disk()
        if text is not None and text != self._disk_text:
            self._disk_text = text
            self._begin(launched)
            self.query_one(CodeEditor).load(text)
            self.run_checks("editor")

    def action_toggle_watch(self) -> None:
        self.watching = not self.watching
        self.notify("Watch mode on: saving the file anywhere re-runs the checks." if self.watching
                    else "Watch mode off: ctrl+r checks the file on disk.")

    def action_reset(self) -> None:
        archive = display_path(locations.archive_dir(self.drill.workspace.root))

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self._disk_text = self.challenge.starter
            self.cancel_grading()
            try:
                archived = self.drill.reset()
            except OSError as exc:
                self.notify(f"Reset failed: {exc}", severity="error")
                return
            self._opened_at = clock.now()
            self.query_one(CodeEditor).load(self.challenge.starter)
            self.query_one(DrillTimer).restart(None, self.drill.best())
            prompt = self.query_one(PromptPane)
            prompt.clear_hints()
            for n in range(1, min(self.drill.hints_seen, len(self.challenge.hints)) + 1):
                prompt.show_hint(n, self.challenge.hints[n - 1], scroll=False)
            self.query_one(ResultsPanel).clear(self._idle_message())
            self._update_meta()
            self.refresh_bindings()
            self.notify(f"Your old file is archived at {display_path(archived)}" if archived
                        else "Back to the starter.",
                        title="Drill reset", timeout=8)

        self.app.push_screen(
            self._confirm("Reset this drill?",
                          f"Your file goes back to the starter (the current one is archived in {archive}); "
                          "the clock starts again at your first change. Hints you have read still count.",
                          "Reset"),
            answered)

    def action_toggle_prompt(self) -> None:
        self.toggle_class("-no-prompt")

    def action_back(self) -> None:
        if self.save_if_modified():
            self.notify("Saved your changes.")
        self.app.pop_screen()
