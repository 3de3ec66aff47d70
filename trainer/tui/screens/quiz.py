"""The quiz: chain-rule self-tests (``core.quiz``). One screen per problem.

Numbers: the problem's graph is drawn (``widgets.quiz_graph``, the graph view's drawing)
with an input per node beside it; the learner walks back from the output, each answer is
graded at once, a wrong one is shown with its worked chain rule, and the graph fills in as
they go; at the end it shows every grad. Formulas: the card, one input, one retry.

A finished problem (or one left after a wrong answer) is recorded with its FSRS review
(``Store.record_quiz``). ``ctrl+n`` asks another problem of the same family (new numbers),
``ctrl+f`` one of the next family, ``ctrl+r`` shows every answer (it counts as Again).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import get_current_worker

from ...core import clock
from ...core.quiz import families as fams
from ...core.quiz import formulas, plan, session
from ...core.quiz.graph import num
from ...core.text import fmt_due, fmt_seconds
from ..messages.quiz import FormulaChecked, QuizDrawn
from ..widgets.quiz_graph import QuizGraph, layout, node_region, paint
from ..widgets.timer import DrillTimer

RATING_STYLE = {session.AGAIN: "bold red", session.HARD: "bold yellow", session.GOOD: "bold green",
                session.EASY: "bold green"}


class QuizScreen(Screen):
    CSS_PATH = "quiz.tcss"  # loaded when this screen first opens

    BINDINGS = [
        Binding("ctrl+n", "new_problem", "New problem", priority=True),
        Binding("ctrl+f", "next_family", "Next family", priority=True),
        Binding("ctrl+r", "reveal", "Show all (Again)", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, family: str | None = None, level: int | None = None, seed: int | None = None) -> None:
        super().__init__()
        self.family_name = family
        self.level = level
        self.seed = seed
        self.run: session.Run | None = None
        self.drawing = None
        self.recorded = False
        self._log: list[Text] = []

    # -- layout ---------------------------------------------------------------------------

    def _start(self) -> None:
        store = self.app.store
        name = self.family_name or plan.pick_family(store, clock.local_today())
        self.family = fams.family(name)
        item = session.new_problem(name, self.level, self.seed, last=store.quiz_last(name))
        self.run = session.start(item)

    @property
    def numeric(self) -> bool:
        return isinstance(self.run, session.NumericRun)

    def compose(self) -> ComposeResult:
        self._start()
        run = self.run
        item = run.problem if self.numeric else run.card
        with Horizontal(id="quiz-bar", classes="topbar"):
            yield Label(self._title(item), id="quiz-title")
            yield DrillTimer(run.started_at, int(item.target_s), None, id="quiz-timer")
        yield Static(self._rules(), id="quiz-rules")
        with Horizontal(id="quiz-body"):
            if self.numeric:
                yield QuizGraph(id="graph-view")
                with VerticalScroll(id="quiz-answers"):
                    width = max(len(n) for n in run.order) + len(".grad =")
                    for name in run.order:
                        with Horizontal(classes="quiz-row", id=f"row-{name}"):
                            yield Label(f"{name}.grad =".rjust(width), classes="quiz-label")
                            yield Input(id=f"grad-{name}", classes="quiz-input", placeholder="?",
                                        disabled=not run.ready(name))
                            yield Label("", classes="quiz-mark", id=f"mark-{name}")
            else:
                card = run.card
                with Vertical(id="quiz-card"):
                    yield Static(self._card_text(card), id="quiz-card-text")
                    with Horizontal(classes="quiz-row", id="row-formula"):
                        yield Label(f"{card.asked}.grad +=", classes="quiz-label")
                        yield Input(id="formula-input", classes="quiz-input",
                                    placeholder="a Python expression, with out.grad")
                        yield Label("", classes="quiz-mark", id="mark-formula")
                    yield Static(Text(f"names: {card.names_help()}\nfunctions: {', '.join(formulas.FUNCTIONS)}",
                                      "dim"), id="quiz-card-help")
        with VerticalScroll(id="quiz-feedback"):
            yield Static("", id="quiz-log")
        yield Footer()

    def _title(self, item) -> Text:
        fam = self.family
        title = item.title if self.numeric else f"local derivative of {item.op}"
        return Text.assemble(("Quiz", "bold"), (f" · {fam.name}, level {item.level} of {fam.max_level} · ", "dim"),
                             (title, "bold cyan"))

    def _rules(self, short: bool = False) -> Text:
        if self.numeric and short:
            return Text("Walk back from the output; enter checks a grad. Right: within 0.5% (or 0.001).", "dim")
        if self.numeric:
            return Text("Fill in every grad, walking back from the output (enter checks each one). "
                        + session.TOLERANCE_TEXT, "dim")
        if short:
            return Text(f"A Python expression; any equivalent form is right. {session.FORMULA_TRIES} tries.", "dim")
        return Text(f"Type what is added to the grad, as a Python expression; any equivalent form is right "
                    f"(checked exactly). {session.FORMULA_TRIES} tries.", "dim")

    @staticmethod
    def _card_text(card) -> Text:
        text = Text()
        text.append(card.out_text + "\n", "bold")
        text.append(card.question, "bold cyan")
        if card.note:
            text.append(f"\n{card.note}", "italic")
        text.append(f"\n\nThe chain rule: {card.asked}.grad gets the local derivative d(out)/d{card.asked} times "
                    f"out.grad, added with += (a value used twice gets a part from each use).", "dim")
        return text

    def on_mount(self) -> None:
        self.query_one("#quiz-feedback").border_title = "feedback"
        if self.numeric:
            self.query_one("#quiz-answers").border_title = "grads"
            self.query_one(QuizGraph).show_message("Drawing the graph…", "dim")
            self.draw()
            self._focus_next()
        else:
            self.query_one("#quiz-card").border_title = "card"
            self.query_one("#formula-input", Input).focus()

    def on_descendant_focus(self) -> None:
        self._mark_focus_within()

    def on_descendant_blur(self) -> None:
        self._mark_focus_within()

    def _mark_focus_within(self) -> None:
        """The answers' box and the card's are highlighted while the focus is in them, by a
        class set as the focus comes and goes: a ``:focus-within`` rule would restyle every row
        of the box at each move from one answer to the next."""
        for box in self.query("#quiz-answers, #quiz-card"):
            box.set_class(box.has_focus_within, "-focus-within")

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")
        self.set_class(self.size.height < 30, "-short")
        self.query_one("#quiz-rules", Static).update(self._rules(short=self.size.width < 100))

    # -- the graph ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="quiz-graph", exit_on_error=False)
    def draw(self) -> None:
        worker = get_current_worker()
        try:
            message = QuizDrawn(layout(self.run.problem))
        except Exception as exc:  # noqa: BLE001 - the answers still work without the picture
            message = QuizDrawn(None, f"{type(exc).__name__}: {exc}")
        if not worker.is_cancelled:
            self.post_message(message)

    @on(QuizDrawn)
    def _drawn(self, message: QuizDrawn) -> None:
        if message.drawing is None:
            self.query_one(QuizGraph).show_message(f"The graph could not be drawn ({message.error}); the "
                                                   f"answers still work.", "red")
            return
        self.drawing = message.drawing
        self._paint()

    def _states(self) -> dict[str, str]:
        run = self.run
        states = {name: ("shown" if r.revealed else "right" if r.right else "wrong") for name, r in run.results.items()}
        if run.finished:
            for n in run.problem.nodes:
                states.setdefault(n.name, "shown")
        return states

    def _paint(self) -> None:
        if self.drawing is not None:
            view = self.query_one(QuizGraph)
            view.show_text(paint(self.drawing, self.run.problem, self._states(), self.run.next))
            name = self.run.next
            if name:  # the node, its users, and their other operands: what its chain rule reads
                problem = self.run.problem
                users = [u.name for u, _ in problem.users(name)]
                operands = [c for u, _ in problem.users(name) for c in u.children]
                boxes = {n: node_region(self.drawing, n) for n in dict.fromkeys([name] + users + operands)}
                view.bring_into_view([[boxes[n] for n in boxes], [boxes[n] for n in [name] + users],
                                      [boxes[name]]])

    # -- answering numbers ----------------------------------------------------------------------

    def _focus_next(self) -> None:
        """Focus the next node's input, at once (``set_focus``, not ``focus``: keys typed fast
        must not land in the input just answered)."""
        name = self.run.next
        if name is None:
            return
        box = self.query_one(f"#grad-{name}", Input)
        box.disabled = False
        self.set_focus(box)

    @on(Input.Submitted, ".quiz-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.run.finished:
            return
        if event.input.id == "formula-input":
            self._submit_formula(event.input, event.value)
        else:
            name = event.input.id.removeprefix("grad-")
            if name not in self.run.results:  # (keys typed ahead may still reach an answered input)
                self._submit_node(name, event.input, event.value)

    def _submit_node(self, name: str, box: Input, value: str) -> None:
        run = self.run
        try:
            result = run.answer(name, value)
        except session.AnswerError as exc:
            self._say(Text(f"{name}.grad: {exc}", "yellow"))
            return
        for other in run.order:
            if other not in run.results and run.ready(other):
                self.query_one(f"#grad-{other}", Input).disabled = False
        if run.finished:
            self.set_focus(self.query_one("#quiz-feedback"))
        else:
            self._focus_next()
        box.disabled = True
        mark = self.query_one(f"#mark-{name}", Label)
        if result.right:
            mark.update(Text("✓", "bold green"))
            self._say(Text.assemble(("✓ ", "bold green"), f"{name}.grad = {num(result.expected)}"))
        else:
            mark.update(Text(f"✗ {num(result.expected)}", "bold red"))
            self._say(self._wrong_text(result))
        self._paint()
        if run.finished:
            self._finish()

    @staticmethod
    def _wrong_text(result: session.NodeResult) -> Text:
        w = result.worked
        text = Text.assemble(("✗ ", "bold red"), (f"{w.name}.grad is not {result.given}", "red"))
        if result.message:
            text.append(f": {result.message}", "red")
        text.append("\n    ")
        text.append(w.line(), "bold")
        if w.note():
            text.append(f"\n    {w.note()}", "italic")
        return text

    # -- answering a formula ----------------------------------------------------------------------

    def _submit_formula(self, box: Input, text: str) -> None:
        try:
            formulas.parse(text, self.run.card)
        except formulas.FormulaError as exc:
            self._say(Text(str(exc), "yellow"))
            return
        self.set_focus(self.query_one("#quiz-feedback"))
        box.disabled = True
        self.query_one("#mark-formula", Label).update(Text("checking…", "dim"))
        self.check_formula(text)

    @work(thread=True, exclusive=True, group="quiz-formula", exit_on_error=False)
    def check_formula(self, text: str) -> None:
        """In a thread: sympy's import and an exact comparison can take a moment."""
        worker = get_current_worker()
        try:
            verdict = formulas.check(text, self.run.card)
        except Exception as exc:  # noqa: BLE001 - report, never crash
            verdict = formulas.Verdict("malformed", f"could not check that ({type(exc).__name__})")
        if not worker.is_cancelled:
            self.post_message(FormulaChecked(text, verdict))

    @on(FormulaChecked)
    def _formula_checked(self, message: FormulaChecked) -> None:
        run = self.run
        box = self.query_one("#formula-input", Input)
        mark = self.query_one("#mark-formula", Label)
        if run.finished:
            return
        try:
            verdict = run.answer(message.text, message.verdict)
        except session.AnswerError as exc:
            mark.update("")
            self._say(Text(str(exc), "yellow"))
            box.disabled = False
            box.focus()
            return
        if verdict.right:
            mark.update(Text("✓", "bold green"))
            self._say(Text.assemble(("✓ right", "bold green"), (" (on the retry)" if len(run.tries) > 1 else "", "dim")))
        else:
            mark.update(Text("✗", "bold red"))
            more = f" ({run.tries_left} more try)" if run.tries_left else ""
            self._say(Text.assemble(("✗ ", "bold red"), (message.text, "red"), (f": {verdict.message}", "red"),
                                    (more, "dim")))
        if run.finished:
            self._finish()
        else:
            box.disabled = False
            self.set_focus(box)

    # -- the end -----------------------------------------------------------------------------------

    def _finish(self) -> None:
        run = self.run
        self.set_focus(self.query_one("#quiz-feedback"))
        for box in self.query(".quiz-input").results(Input):
            box.disabled = True
        outcome = run.outcome()
        timer = self.query_one("#quiz-timer", DrillTimer)
        timer.stop(outcome.duration_s, "pass" if outcome.all_right else "gave_up")
        if self.numeric:
            self._paint()
            if self.drawing is not None:
                self.query_one(QuizGraph).border_title = "every grad"
        else:
            card = run.card
            if not run.right:
                self._say(Text.assemble("The answer: ", (f"{card.asked}.grad += {card.answer}", "bold green")))
            others = [f for f in (card.answer,) + card.accepted if not run.tries or f != run.tries[-1].text][:3]
            self._say(Text("Right forms include: " + "   ".join(others), "dim"))
        self._summary(outcome, self._record(outcome))

    def _record(self, outcome: session.Outcome):
        if self.recorded:
            return None
        saved = self.app.store.record_quiz(outcome, self.run.detail())
        self.recorded = saved is not None
        return saved

    def _summary(self, outcome: session.Outcome, saved) -> None:
        what = (f"{outcome.right} of {outcome.asked} right" if outcome.kind == "numeric"
                else ("right" if outcome.right else "not right") + (" on the retry" if outcome.retried else ""))
        text = Text.assemble(("Result: ", "bold"), (what, "bold green" if outcome.all_right else "bold red"),
                             f" in {fmt_seconds(outcome.duration_s)} (target {fmt_seconds(outcome.target_s)})")
        rating = outcome.rating
        if rating is not None:
            text.append(" · rated ")
            text.append(session.RATING_NAMES[rating], RATING_STYLE[rating])
        if saved is not None:
            card = self.app.store.card(self.family.key)
            if card is not None:
                text.append(f" · next {self.family.name} problem {fmt_due(card.due, clock.local_today())}, level "
                            f"{session.next_level(self.family, (saved.level, saved.rating))}", "dim")
        text.append("\nctrl+n: another problem (new numbers) · ctrl+f: the next family · escape: back", "dim")
        self._say(text)

    # -- feedback ------------------------------------------------------------------------------------

    def _say(self, line: Text) -> None:
        self._log.append(line)
        self.query_one("#quiz-log", Static).update(Text("\n").join(self._log))
        feedback = self.query_one("#quiz-feedback", VerticalScroll)
        feedback.call_after_refresh(feedback.scroll_end, animate=False)

    @property
    def log_text(self) -> str:
        return "\n".join(t.plain for t in self._log)

    # -- actions ---------------------------------------------------------------------------------------

    def _leave(self) -> None:
        """Leaving a problem: a slip already made is recorded (Again); otherwise nothing counts."""
        if self.run is None or self.run.finished or self.recorded:
            return
        outcome = self.run.outcome()
        if outcome.review and self._record(outcome) is not None:
            self.notify("A wrong answer was given: recorded as Again.", title="Quiz left before the end")

    def action_back(self) -> None:
        self._leave()
        self.app.pop_screen()

    def action_reveal(self) -> None:
        run = self.run
        if run.finished:
            return
        if self.numeric:
            shown = run.reveal()
            self._say(Text("Every grad left, with the chain rule:", "yellow"))
            for r in shown:
                self.query_one(f"#mark-{r.name}", Label).update(Text(num(r.expected), "yellow"))
                self._say(Text("    " + r.worked.line(), "bold"))
        else:
            run.reveal()
        self._finish()

    def action_new_problem(self) -> None:
        self._leave()
        self.app.switch_screen(QuizScreen(self.family.name))

    def action_next_family(self) -> None:
        self._leave()
        names = list(fams.FAMILIES)
        nxt = names[(names.index(self.family.name) + 1) % len(names)]
        self.app.switch_screen(QuizScreen(nxt))
