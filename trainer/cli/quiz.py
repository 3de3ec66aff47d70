"""``gradrill quiz``: chain-rule self-tests in the terminal (rich prompts), and their generator.

    gradrill quiz [FAMILY] [--level L] [--seed N]   ask one problem and grade it
    gradrill quiz list [--json]                     the families and their levels
    gradrill quiz generate FAMILY --seed N [--level L] [--json]
                                                    a problem with its answers (for scripts)
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.prompt import Prompt
from rich.table import Table
from rich.text import Text

from ..core import clock
from ..core.quiz import families as fams
from ..core.quiz import plan
from ..core.quiz import session as quiz
from ..core.text import fmt_due, fmt_seconds
from ..core.quiz.formulas import FUNCTIONS, FormulaCard
from ..core.quiz.graph import Problem, num
from . import EXIT_FAIL, EXIT_OK, Context, UsageError

GIVE_UP = ("?", "give up")


class Ask(Prompt):
    """A prompt that ends in a space, not ': ' (the question already ends in = or +=)."""

    prompt_suffix = " "


def register(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(fams.FAMILIES)
    p = sub.add_parser(
        "quiz", help="chain-rule self-tests: backprop by hand, local derivatives as formulas",
        description="Chain-rule self-tests. `gradrill quiz [FAMILY]` asks one problem in the terminal and grades "
                    "it (new numbers every time); `gradrill quiz list` lists the families and their levels; "
                    "`gradrill quiz generate FAMILY --seed N [--level L] --json` prints a problem with its answers. "
                    f"Families: {names}.",
        usage="gradrill quiz [FAMILY | list | generate FAMILY] [--level L] [--seed N] [--json]")
    p.add_argument("what", nargs="?", metavar="FAMILY",
                   help=f"a family ({names}), or list, or generate (default: the family most due)")
    p.add_argument("family", nargs="?", metavar="FAMILY2", help=argparse.SUPPRESS)
    p.add_argument("--level", type=int, metavar="L", help="the level (default: from your last answers, else 1)")
    p.add_argument("--seed", type=int, metavar="N", help="the numbers' seed (default: new numbers every time)")
    p.add_argument("--json", action="store_true", help="machine-readable output (list, generate)")
    p.set_defaults(handler=cmd_quiz)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def _family(name: str | None) -> fams.Family:
    if not name:
        raise UsageError(f"which family? one of {', '.join(fams.FAMILIES)}")
    try:
        return fams.family(name)
    except fams.UnknownFamily as exc:
        raise UsageError(str(exc)) from None


def _level(fam: fams.Family, level: int | None) -> int | None:
    if level is not None and not 1 <= level <= fam.max_level:
        raise UsageError(f"{fam.name} has levels 1 to {fam.max_level}" if fam.max_level > 1
                         else f"{fam.name} has one level, 1")
    return level


def cmd_quiz(ctx: Context) -> int:
    args = ctx.args
    if args.what == "list":
        return cmd_list(ctx)
    if args.what == "generate":
        return cmd_generate(ctx)
    if args.family:
        raise UsageError(f"unexpected {args.family!r}: `gradrill quiz FAMILY` takes one family")
    if args.json:
        raise UsageError("--json is for `gradrill quiz list` and `gradrill quiz generate`")
    return cmd_ask(ctx)


# -- list / generate ----------------------------------------------------------------------------


def cmd_list(ctx: Context) -> int:
    if ctx.args.json:
        _print_json([f.to_dict() for f in fams.FAMILIES.values()])
        return EXIT_OK
    table = Table(box=None, padding=(0, 1), header_style="dim")
    table.add_column("family", style="cyan", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("levels")
    for f in fams.FAMILIES.values():
        levels = Text()
        for i, what in enumerate(f.levels, 1):
            levels.append(f"{i} ", "bold")
            levels.append(what + ("\n" if i < len(f.levels) else ""))
        table.add_row(f.name, "numbers" if f.kind == "numeric" else "formula", Text.assemble((f.title, "bold"), "\n",
                                                                                             levels))
    ctx.console.print(table)
    ctx.console.print("[dim]gradrill quiz FAMILY [--level L] asks one problem.[/]")
    return EXIT_OK


def cmd_generate(ctx: Context) -> int:
    args = ctx.args
    fam = _family(args.family)
    if args.seed is None:
        raise UsageError("generate needs --seed N (the same seed always gives the same problem)")
    item = fam.generate(args.seed, _level(fam, args.level) or 1)
    if args.json:
        _print_json(item.to_dict())
        return EXIT_OK
    if isinstance(item, FormulaCard):
        show_card(ctx.console, item)
        ctx.console.print(f"[green]answer[/] {item.answer}")
        for form in item.accepted:
            ctx.console.print(f"[dim]also right[/] {form}")
        return EXIT_OK
    show_problem(ctx.console, item)
    table = answers_table(item)
    ctx.console.print(table)
    return EXIT_OK


# -- asking ----------------------------------------------------------------------------------


def cmd_ask(ctx: Context) -> int:
    args = ctx.args
    store = ctx.store
    fam = _family(args.what or plan.pick_family(store, clock.local_today()))
    item = quiz.new_problem(fam.name, _level(fam, args.level), args.seed, last=store.quiz_last(fam.name))
    run = quiz.start(item)
    console = ctx.console
    try:
        if isinstance(run, quiz.FormulaRun):
            ask_formula(console, run)
        else:
            ask_numbers(console, run)
    except (EOFError, KeyboardInterrupt):
        console.print()
        outcome = run.outcome()
        console.print("[yellow]Left before the end.[/] " + ("A wrong answer was given: this counts as a review "
                                                             "(Again)." if outcome.review else "Nothing counts."))
        record(ctx, run, outcome)
        return EXIT_FAIL
    outcome = run.outcome()
    summary(console, outcome)
    record(ctx, run, outcome)
    return EXIT_OK if outcome.all_right else EXIT_FAIL


def record(ctx: Context, run: quiz.Run, outcome: quiz.Outcome) -> None:
    """Store a graded problem and its review (nothing when it is no review)."""
    saved = ctx.store.record_quiz(outcome, run.detail())
    if saved is None:
        return
    card = ctx.store.card(fams.family(outcome.family).key)
    if card is not None:
        ctx.console.print(f"[dim]Recorded. Next {outcome.family} problem: {fmt_due(card.due, clock.local_today())}, "
                          f"level {quiz.next_level(fams.family(outcome.family), (saved.level, saved.rating))}.[/]")


def quiz_table(rows, today) -> Table:
    """Quiz accuracy per family (``stats.quiz_stats``), for ``gradrill stats``."""
    table = Table(title="Quiz", title_justify="left", title_style="bold", box=None, padding=(0, 1),
                  header_style="dim")
    table.add_column("family", style="cyan", no_wrap=True)
    table.add_column("problems", justify="right")
    table.add_column("all right", justify="right")
    table.add_column("accuracy", justify="right")
    table.add_column("level", justify="right")
    table.add_column("next review", no_wrap=True)
    for q in rows:
        if not q.problems:
            continue
        acc = q.accuracy
        style = "green" if acc is not None and acc >= 0.9 else "yellow" if acc is not None and acc >= 0.6 else "red"
        due = fmt_due(q.due, today)
        table.add_row(q.family, str(q.problems), str(q.all_right),
                      Text(f"{acc:.0%}", style) if acc is not None else "-",
                      str(q.level), Text(due, "yellow" if due.startswith(("overdue", "today")) else ""))
    table.caption = "accuracy: answers right at the first try"
    table.caption_justify = "left"
    table.caption_style = "dim"
    return table


def header(console: Console, fam_name: str, level: int, title: str) -> None:
    fam = fams.family(fam_name)
    console.print(Text.assemble(("Quiz", "bold"), (f" · {fam.name}, level {level} of {fam.max_level} · ", "dim"),
                                (title, "bold cyan")))


def show_problem(console: Console, problem: Problem) -> None:
    header(console, problem.family, problem.level, problem.title)
    width = max(len(n.formula()) for n in problem.nodes)
    for n in problem.nodes:
        line = Text("  ")
        line.append(n.formula().ljust(width), "dim" if n.const else "")
        if not n.leaf:
            line.append(f"   data {num(n.data)}", "dim")
        if n.name == problem.output:
            line.append("   ← the output", "yellow")
        console.print(line)


def answers_table(problem: Problem, run: quiz.NumericRun | None = None) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="dim", title="Every grad", title_justify="left",
                  title_style="bold")
    table.add_column("node", style="cyan", no_wrap=True)
    table.add_column("is", no_wrap=True)
    table.add_column("data", justify="right")
    table.add_column("grad", justify="right", style="green")
    if run is not None:
        table.add_column("yours", justify="right")
    for n in reversed(problem.nodes):
        if n.const:
            continue
        row = [n.name, n.formula().split(" = ", 1)[1] if not n.leaf else "leaf", num(n.data), num(n.grad)]
        if run is not None:
            r = run.results.get(n.name)
            if r is None:
                row.append("")
            elif r.revealed:
                row.append(Text("shown", "yellow"))
            else:
                row.append(Text(f"{'✓' if r.right else '✗'} {r.given}", "green" if r.right else "red"))
        table.add_row(*row)
    return table


def worked_text(result: quiz.NodeResult) -> Text:
    w = result.worked
    text = Text("      ")
    text.append(w.line(), "bold")
    if w.note():
        text.append(f"\n      ({w.note()})", "dim")
    return text


def ask_numbers(console: Console, run: quiz.NumericRun) -> None:
    problem = run.problem
    show_problem(console, problem)
    console.print(f"[dim]Fill in every grad, walking back from the output. {quiz.TOLERANCE_TEXT} Type ? to give "
                  f"up and see the rest.[/]")
    while not run.finished:
        name = run.next
        text = Ask.ask(f"  [cyan]{name}[/].grad =", console=console)
        if text.strip().lower() in GIVE_UP:
            run.reveal()
            console.print("[yellow]The rest, with the chain rule:[/]")
            for r in [run.results[n] for n in run.order if run.results[n].revealed]:
                console.print(worked_text(r))
            break
        try:
            result = run.answer(name, text)
        except quiz.AnswerError as exc:
            console.print(f"    [yellow]{exc}[/]")
            continue
        if result.right:
            console.print("    [green]✓[/]")
        else:
            console.print(f"    [red]✗ not {result.given}[/]" + (f"[red]: {result.message}[/]" if result.message else ""))
            console.print(worked_text(result))
    console.print(answers_table(problem, run))


def show_card(console: Console, card: FormulaCard) -> None:
    header(console, card.family, card.level, f"local derivative of {card.op}")
    console.print(f"  [bold]{card.out_text}[/]" + (f"   [dim]({card.note})[/]" if card.note else ""))
    console.print(f"  [bold]{card.question}[/]")


def ask_formula(console: Console, run: quiz.FormulaRun) -> None:
    card = run.card
    show_card(console, card)
    console.print(f"[dim]Type the right-hand side as a Python expression in {card.names_help()}; functions: "
                  f"{', '.join(FUNCTIONS)}. Any equivalent form is right (checked exactly). {quiz.FORMULA_TRIES} "
                  f"tries; ? gives up.[/]")
    while not run.finished:
        text = Ask.ask(f"  [cyan]{card.asked}[/].grad +=", console=console)
        if text.strip().lower() in GIVE_UP:
            run.reveal()
            break
        try:
            verdict = run.answer(text)
        except quiz.AnswerError as exc:
            console.print(f"    [yellow]{exc}[/]")
            continue
        if verdict.right:
            console.print("    [green]✓ right[/]" + (" [dim](on the retry)[/]" if len(run.tries) > 1 else ""))
        else:
            left = run.tries_left
            console.print(f"    [red]✗ {verdict.message}[/]" + (f" [dim]({left} more try)[/]" if left else ""))
    if not run.right:
        console.print(f"  The answer: [bold green]{card.asked}.grad += {card.answer}[/]")
    others = [f for f in (card.answer,) + card.accepted if f != (run.tries[-1].text if run.tries else "")][:3]
    console.print("  [dim]Right forms include: " + "   ".join(others) + "[/]")


def summary(console: Console, outcome: quiz.Outcome) -> None:
    rating = outcome.rating
    what = (f"{outcome.right} of {outcome.asked} right" if outcome.kind == "numeric"
            else ("right" if outcome.right else "not right") + (" on the retry" if outcome.retried else ""))
    line = Text.assemble(("Result: ", "bold"), (what, "green" if outcome.all_right else "red"),
                         f" in {fmt_seconds(outcome.duration_s)} (target {fmt_seconds(outcome.target_s)})")
    if rating is not None:
        line.append(f" · rated {quiz.RATING_NAMES[rating]}", "magenta")
    console.print(line)




__all__ = ["register", "cmd_quiz", "show_problem", "answers_table", "quiz_table"]
