"""The speedrun screen: the splits' prompts, the editor, a big timer and the splits table.

A save (ctrl+s) is stamped on the run's clock *before* the file is written; its content is
graded in a thread (``WarmGrader`` via ``Speedrun.grade``, one bundled grading) that posts
``SpeedrunGraded``; the splits it passed fire at the save's time (``Speedrun.record``, on
the UI thread). Gradings are not cancelled by later saves: each save's verdict counts, and
a split keeps the earliest save that passed it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from ...core.results import ERROR, Verdict
from ...core.speedrun.compare import History
from ...core.speedrun.mode import RunProblem, Speedrun, load, read_run_file
from ...core.store import RunActive
from ...core.text import display_path, fmt_ms, fmt_ms_delta
from ...core.workspace import atomic_write
from ...rendering_speedrun import history_table, run_state
from ..messages.speedrun import SpeedrunGraded
from ..widgets.editor import CodeEditor
from ..widgets.splits import BigTimer, NextSplit, SplitsTable, SteadyLabel


def open_speedrun(app) -> None:
    """Open the speedrun screen (the run under way, or a category picker)."""
    if isinstance(app.screen, SpeedrunScreen):
        return
    try:
        speedrun = load(app.store, app.workspace, app.catalog)
    except Exception as exc:  # noqa: BLE001 - a notice, never a crash
        app.notify(f"Speedrun mode could not start: {exc}", severity="error")
        return
    if not len(speedrun.categories):
        app.notify("No speedrun categories found.", severity="error")
        return
    app.push_screen(SpeedrunScreen(speedrun))


def offer_resume(app) -> None:
    """On start-up: a run under way (the trainer was closed or killed mid-run) is offered back."""
    run = app.store.speedrun_active()
    if run is None:
        return
    from .confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            open_speedrun(app)

    app.push_screen(ConfirmScreen(
        "Resume your speedrun?",
        f"Run #{run.number} of {run.category} is under way: {run.reached} of {len(run.split_names)} splits. "
        "Its clock kept running (real time). Not now leaves it under way; f8 on the speedrun screen resets it.",
        yes="Resume", no="Not now"), answered)


class CategoryPicker(ModalScreen[str | None]):
    CSS_PATH = "speedrun.tcss"  # loaded when this screen first opens

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, speedrun: Speedrun) -> None:
        super().__init__()
        self.speedrun = speedrun

    def compose(self) -> ComposeResult:
        options = []
        for c in self.speedrun.categories:
            board = self.speedrun.history(c.id).board(c.id, None)
            line = Text.assemble((c.title, "bold"), (f"  {c.id} · {len(c.splits)} splits", "dim"),
                                 (f" · PB {fmt_ms(board.pb_ms, 2)}" if board.pb_ms is not None else "", "#d8af1f"),
                                 "\n", (c.summary, "dim"))
            options.append(Option(line, id=c.id))
        with Vertical(id="picker-dialog"):
            yield Static("Start a speedrun: pick a category", id="picker-title")
            yield OptionList(*options, id="picker-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class HistoryScreen(ModalScreen[None]):
    CSS_PATH = "speedrun.tcss"  # loaded when this screen first opens

    BINDINGS = [Binding("escape,q,f3", "dismiss(None)", "Close")]

    def __init__(self, title: str, history: History) -> None:
        super().__init__()
        self.title_text, self.history = title, history

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history-dialog") as box:
            box.border_title = self.title_text
            box.border_subtitle = "escape closes"
            yield Static(history_table(self.history) if self.history.runs else "No runs yet.")


class SpeedrunScreen(Screen):
    CSS_PATH = "speedrun.tcss"  # loaded when this screen first opens

    BINDINGS = [
        Binding("ctrl+s", "save", "Save+check", priority=True),
        Binding("ctrl+r,f5", "check", "Check disk", priority=True, key_display="^r"),
        Binding("ctrl+n", "new_run", "New run", priority=True),
        Binding("f8", "reset", "Reset", priority=True),
        Binding("f3", "history", "History", priority=True),
        Binding("ctrl+b", "toggle_prompt", "Prompts", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, speedrun: Speedrun) -> None:
        super().__init__()
        self.speedrun = speedrun
        self._history: History | None = None
        self._pending = 0

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="speedrun-bar", classes="topbar"):
            yield SteadyLabel("", id="speedrun-title")
            yield SteadyLabel("", id="speedrun-meta")
        with Horizontal(id="speedrun-body"):
            with VerticalScroll(id="speedrun-prompts") as prompts:
                prompts.border_title = "splits"
                yield Markdown("", id="speedrun-prompt-text")
            yield CodeEditor.for_file("", "speedrun.py", id="speedrun-editor")
            with Vertical(id="speedrun-side"):
                yield BigTimer("0:00.0", id="speedrun-timer")
                yield SplitsTable(id="speedrun-splits")
                yield NextSplit("", id="speedrun-next")
        yield Footer()

    def on_mount(self) -> None:
        self._ticker = self.set_interval(0.1, self._tick)
        self.call_after_refresh(self._first_show)

    def _ready(self) -> bool:
        """Composed and still on the stack (a screen can be mounted before its children are)."""
        return self in self.app.screen_stack and bool(self.query(SplitsTable)) and bool(self.query(CodeEditor))

    def _first_show(self) -> None:
        if not self._ready():
            if self in self.app.screen_stack:
                self.call_after_refresh(self._first_show)
            return
        if self.speedrun.run is None:
            self._pick()
        else:
            self._show_run(loaded=True)
        self.query_one(CodeEditor).focus()

    def on_resize(self) -> None:
        if not self.query(SplitsTable):
            return
        narrow = self.size.width < 120
        if narrow and not self.has_class("-narrow"):
            self.add_class("-no-prompt")  # the editor and the splits need the room; ctrl+b shows the prompts
        self.set_class(narrow, "-narrow")
        self.query_one(SplitsTable).set_compact(self.size.width < 100)

    # -- showing the run -----------------------------------------------------------------

    def _category(self):
        return self.speedrun.category() if self.speedrun.run else None

    def _show_run(self, loaded: bool = False) -> None:
        run = self.speedrun.run
        editor = self.query_one(CodeEditor)
        if run is None:
            self.query_one("#speedrun-title", SteadyLabel).show(Text("Speedrun: no run under way (ctrl+n starts one)"))
            self.query_one(BigTimer).show(0, "-idle")
            editor.load("")
            return
        category = self._category()
        if loaded:
            try:
                text, _ = read_run_file(self.speedrun.run_path())
            except RunProblem as exc:
                text = ""
                self.notify(str(exc), severity="warning", timeout=10)
            editor.load(text)
            editor.file_name = editor.border_title = self.speedrun.run_path().name
        self._history = self.speedrun.history(category.id)
        self._refresh_board()
        self._update_prompts()

    def _refresh_board(self) -> None:
        run = self.speedrun.run
        if run is None or self._history is None:
            return
        runs = [r for r in self._history.runs if r.id != run.id] + [run]
        history = History(self._history.split_names, runs)
        board = history.board(run.category, run, self.speedrun.elapsed_ms() if run.active else None)
        self.query_one(SplitsTable).show_board(board)
        title = Text.assemble(("Speedrun ", "bold"), (self._category().title, "bold"),
                              (f"  #{run.number} · {run_state(run)}", "dim"))
        if run.flags:
            title.append("  the wall clock jumped back: this run does not count", "red")
        meta = Text(display_path(run.file), "dim")
        if self._pending:
            meta = Text.assemble(("checking… ", "yellow"), meta)
        self.query_one("#speedrun-title", SteadyLabel).show(title)
        self.query_one("#speedrun-meta", SteadyLabel).show(meta)
        timer = self.query_one(BigTimer)
        if run.finished:
            timer.show(run.final_ms, "-pb" if history.was_pb(run) else "-finished")
        elif run.active:
            row = next((r for r in board.rows if r.current), None)
            state = ""
            if row is not None and row.delta_ms is not None:
                state = "-behind" if row.delta_ms > 0 else "-ahead"
            timer.show(self.speedrun.elapsed_ms(), state)
        else:
            timer.show(run.last_ms, "-idle")

    def _update_prompts(self) -> None:
        run = self.speedrun.run
        category = self._category()
        if category is None:
            return
        times = run.times if run else [None] * len(category.splits)
        current = next((i for i, t in enumerate(times) if t is None), None)
        parts = [f"**{category.title}**: {category.summary}\n"]
        for i, split in enumerate(category.splits):
            mark = "✓" if times[i] is not None else ("▶" if i == current else "·")
            when = f" · {fmt_ms(times[i], 2)}" if times[i] is not None else ""
            heading = f"### {mark} {i + 1}. {split.name}{when}"
            parts.append(heading + ("\n\n" + split.prompt if times[i] is None else "") + "\n")
        self.query_one("#speedrun-prompt-text", Markdown).update("\n".join(parts))

    def _tick(self) -> None:
        run = self.speedrun.run
        if run is not None and run.active and self._ready():
            self._refresh_board()

    # -- a run starts, ends ----------------------------------------------------------------

    def _pick(self) -> None:
        def picked(category_id: str | None) -> None:
            if category_id is None:
                if self.speedrun.run is None:
                    self._show_run()
                return
            self._start(category_id)

        self.app.push_screen(CategoryPicker(self.speedrun), picked)

    def _start(self, category_id: str) -> None:
        try:
            run = self.speedrun.start(category_id)
        except (RunActive, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        editor = self.query_one(CodeEditor)
        editor.load("")
        editor.file_name = editor.border_title = self.speedrun.run_path().name
        self.query_one(NextSplit).show_text(Text("The clock is running. Write the first split, ctrl+s to save: "
                                                 "splits fire themselves when their checks pass.", "dim"))
        self._show_run()
        editor.focus()
        self.notify(f"Run #{run.number} of {category_id}: go!", timeout=3)

    # -- saves and verdicts -------------------------------------------------------------------

    def action_save(self) -> None:
        run = self.speedrun.run
        editor = self.query_one(CodeEditor)
        if run is None or not run.active:
            self.notify("No run under way: ctrl+n starts one.", severity="warning")
            return
        text = editor.text
        save = self.speedrun.stamp_now(text)  # the save's time: before the write, before any grading
        try:
            atomic_write(self.speedrun.run_path(), text)
        except OSError as exc:
            self.notify(f"Could not save {self.speedrun.run_path()}: {exc}", severity="error")
            return
        editor.mark_saved(text)
        self._submit(save)

    def action_check(self) -> None:
        """Check the run's file as it is on disk (written by another editor), at its modification time."""
        run = self.speedrun.run
        if run is None or not run.active:
            self.notify("No run under way: ctrl+n starts one.", severity="warning")
            return
        try:
            save = self.speedrun.stamp_file()
        except RunProblem as exc:
            self.notify(str(exc), severity="warning", timeout=10)
            return
        editor = self.query_one(CodeEditor)
        if save.code != editor.text and not editor.modified:
            editor.load(save.code)
        self._submit(save)

    def _submit(self, save) -> None:
        self._pending += 1
        self.query_one(NextSplit).show_text(Text("checking…", "yellow"))
        self._grade(save, self.speedrun.category(), self.speedrun.run_path().name)

    @work(thread=True, group="speedrun-grading", exit_on_error=False)
    def _grade(self, save, category, name: str) -> None:
        """Never cancelled by a later save: every save's verdict counts (see the module)."""
        try:
            verdict = self.speedrun.grade(save, self.app.grader, category, name)
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            verdict = Verdict(ERROR, reason="internal", message=f"grading failed: {type(exc).__name__}: {exc}")
        self.post_message(SpeedrunGraded(save, verdict))

    @on(SpeedrunGraded)
    def _graded(self, message: SpeedrunGraded) -> None:
        self._pending = max(0, self._pending - 1)
        if self.speedrun.run is None:
            return
        try:
            outcome = self.speedrun.record(message.save, message.verdict)
        except RunProblem as exc:
            self.notify(str(exc), severity="error")
            return
        if outcome is None:
            return  # a save of a run that was reset meanwhile
        run = outcome.run
        if outcome.changed:
            self._history = self.speedrun.history(run.category)
            names = ", ".join(run.split_names[i] for i in outcome.changed)
            self.notify(f"{names} at {fmt_ms(message.save.ms, 2)}", title="Split", timeout=3)
        self._refresh_board()
        self._update_prompts()
        self._show_next(outcome)
        if outcome.finished_now:
            self._finished()

    def _show_next(self, outcome) -> None:
        verdict = outcome.verdict
        box = self.query_one(NextSplit)
        if outcome.run.finished:
            box.show_text(Text("Finished: every split passes. ctrl+n starts another run; f3 shows the history.",
                               "green"))
            return
        if verdict.status == ERROR and not verdict.tests:
            box.show_text(Text(f"{verdict.message or verdict.reason}", "red"))
            return
        nxt = outcome.next_failure
        if nxt is None:
            return
        failure = nxt.first_failure
        text = Text()
        text.append(f"next: {nxt.name}", "bold")
        if failure is not None:
            text.append(f"\n{failure.title}\n", "dim")
            text.append(failure.message or failure.status)
        box.show_text(text)

    def _finished(self) -> None:
        run = self.speedrun.run
        history = self.speedrun.history(run.category)
        golds = sum(history.golds(run))
        line = f"Finished in {fmt_ms(run.final_ms, 2)}"
        old = history.before(run).pb()
        if history.was_pb(run):
            line += " · new personal best!" + (f" ({fmt_ms_delta(run.final_ms - old.final_ms)})" if old else "")
        elif old is not None:
            line += f" · PB {fmt_ms(old.final_ms, 2)} ({fmt_ms_delta(run.final_ms - old.final_ms)})"
        if golds:
            line += f" · {golds} gold{'s' if golds > 1 else ''}"
        self.notify(line, title=run.category, timeout=10)
        self.refresh_bindings()

    # -- actions -----------------------------------------------------------------------

    def _confirm(self, title: str, message: str, yes: str):
        from .confirm import ConfirmScreen

        return ConfirmScreen(title, message, yes=yes)

    def action_new_run(self) -> None:
        run = self.speedrun.run
        if run is not None and run.active:
            def answered(yes: bool | None) -> None:
                if yes:
                    self._do_reset()
                    self._pick()

            self.app.push_screen(self._confirm(
                "Reset this run and start another?",
                f"Run #{run.number} ends here as an attempt with {run.reached} of {len(run.split_names)} splits. "
                f"Its file stays at {display_path(run.file)}.", "Reset and start"), answered)
            return
        self._pick()

    def action_reset(self) -> None:
        run = self.speedrun.run
        if run is None or not run.active:
            self.notify("No run under way.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._do_reset()

        self.app.push_screen(self._confirm(
            "Reset this run?",
            f"Run #{run.number} ends here as an attempt with {run.reached} of {len(run.split_names)} splits "
            f"(they count for golds and the sum of best). Its file stays at {display_path(run.file)}.", "Reset"),
            answered)

    def _do_reset(self) -> None:
        if self.query_one(CodeEditor).modified and self.speedrun.run is not None:
            try:
                atomic_write(self.speedrun.run_path(), self.query_one(CodeEditor).text)
            except OSError:
                pass
        run = self.speedrun.reset()
        self._history = None
        self.query_one(SplitsTable).show_board(self.speedrun.history(run.category).board(run.category, run))
        self.query_one(BigTimer).show(run.last_ms, "-idle")
        self.query_one("#speedrun-title", SteadyLabel).show(Text.assemble(
            ("Speedrun ", "bold"), (f"{run.category} #{run.number} · {run_state(run)}", "dim"),
            ("  ctrl+n starts another", "dim")))
        self.notify(f"Run #{run.number} reset after {run.reached} of {len(run.split_names)} splits.", timeout=5)

    def action_history(self) -> None:
        run = self.speedrun.run
        category_id = run.category if run else (self.speedrun.categories.ids() or [None])[0]
        if category_id is None:
            return
        category = self.speedrun.categories.get(category_id)
        self.app.push_screen(HistoryScreen(f"{category.title}: runs", self.speedrun.history(category_id)))

    def action_toggle_prompt(self) -> None:
        self.toggle_class("-no-prompt")

    def save_if_modified(self) -> bool:
        """Write unsaved text to the run's file (leaving, quitting): nothing is lost. It is not
        checked here; ctrl+r on return checks it, stamped at the time it was written."""
        editor = self.query_one(CodeEditor)
        run = self.speedrun.run
        if not editor.modified or run is None or not run.active:
            return False
        try:
            atomic_write(self.speedrun.run_path(), editor.text)
        except OSError as exc:
            self.notify(f"Could not save {self.speedrun.run_path()}: {exc}", severity="error")
            return False
        editor.mark_saved(editor.text)
        return True

    def action_back(self) -> None:
        if self.save_if_modified():
            self.notify("Saved your changes (not checked: ctrl+r checks the file when you come back).")
        self.app.pop_screen()
