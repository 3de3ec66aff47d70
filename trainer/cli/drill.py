"""The drill commands: list, show, start, check, hint, solution, validate, paths."""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .. import locations
from ..core import grading
from ..core.grading.sandbox import Limits
from ..core.results import Verdict
from ..core.drill import review_words
from ..core.text import fmt_seconds
from . import (EXIT_ERROR, EXIT_FAIL, EXIT_OK, Context, UsageError, challenge_argument, chapter_ids, esc, print_json,
               seconds)

STATUS_MARK = {"pass": ("✓", "green"), "fail": ("✗", "red"), "error": ("!", "red"), "skip": ("-", "dim")}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="the challenges, by chapter, with your progress",
                       description="The challenges, chapter by chapter in curriculum order: id, title, kind "
                                   "(fill-in or from blank), target time, and your best time (✓ passed, • tried).")
    p.add_argument("--chapter", metavar="CHAPTER", help="only this chapter (its id)").completer = chapter_ids
    p.add_argument("--ids", action="store_true", help="only the ids, one a line (for scripts)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="a challenge's prompt and details",
                       description="A challenge's prompt, chapter, kind, target time, number of hints, and "
                                   "where your file for it lives.")
    challenge_argument(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("start", help="create your file for a challenge from its starter (an old file is archived)",
                       description="Start a timed drill: your file is created from the challenge's starter (a "
                                   "file already there is archived first, never lost) and the clock starts. Then "
                                   "edit it and run `gradrill check ID`.")
    challenge_argument(p)
    p.set_defaults(handler=cmd_start)

    p = sub.add_parser("check", help="run a challenge's hidden checks on your file",
                       description="Run the challenge's hidden checks on your file, in a separate process with "
                                   "limits. Exit status: 0 when every check passes, 1 when a check fails, 2 on an "
                                   "error (your file does not load, times out, crashes) or bad input.")
    challenge_argument(p)
    p.add_argument("file", nargs="?", metavar="FILE", help="the file to check (default: your workspace file)")
    p.add_argument("--timeout", type=seconds, metavar="S",
                   help="time limit in seconds, above 0 and at most 3600 (default: the challenge's)")
    p.add_argument("--json", action="store_true",
                   help="print the verdict as Exercism's test-runner results.json (version 3)")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("hint", help="the next hint (hints are counted)",
                       description="The challenge's next hint. Hints come one at a time, and each is counted: a "
                                   "pass with a hint rates the drill Hard in your review schedule.")
    challenge_argument(p)
    p.add_argument("--all", action="store_true", help="repeat the hints already taken, without taking a new one")
    p.set_defaults(handler=cmd_hint)

    p = sub.add_parser("solution", help="the canonical solution: after a pass, or after giving up",
                       description="The challenge's solution. It opens after you pass the challenge, or after "
                                   "you give up (--give-up: the drill counts as failed and is reviewed again "
                                   "soon).")
    challenge_argument(p)
    p.add_argument("--give-up", action="store_true", help="give up on the drill (it counts as a fail) and see it")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.add_argument("--diff", action="store_true", help="show it as a diff against your file")
    p.set_defaults(handler=cmd_solution)

    p = sub.add_parser("validate", help="prove every challenge's checks with its solution, starter and mutants",
                       description="Prove the checks: each challenge's solution passes, its starter fails, and "
                                   "every mutant (a realistic wrong answer) fails with a message that names its "
                                   "mistake. Exit status 1 if any challenge has a problem.")
    challenge_argument(p, "ids", nargs="*", help="the challenges to prove (default: all)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--mutate", action="store_true", help="grade generated mutants of each solution; list survivors")
    p.add_argument("--jobs", type=int, default=None, help="with --mutate: processes grading at once (default: cores)")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("paths", help="where your files, progress and settings live",
                       description="Where gradrill keeps your files (the workspace), archives, progress "
                                   "database, settings and cache. GRADRILL_HOME moves them all.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_paths)


def _print_json(ctx: Context, data) -> None:
    print_json(data)


def Markdown(text: str):  # noqa: N802 - rich.markdown (and markdown-it) load only for a command that shows some
    from rich.markdown import Markdown as RichMarkdown

    return RichMarkdown(text)


def print_code(ctx: Context, code: str, lexer: str, line_numbers: bool = False) -> None:
    """Code on a terminal: highlighted; piped: the text as it is (nothing cropped or padded)."""
    if ctx.console.is_terminal:
        from rich.syntax import Syntax

        ctx.console.print(Syntax(code, lexer, theme="ansi_dark", line_numbers=line_numbers, word_wrap=True))
    else:
        ctx.console.file.write(code if code.endswith("\n") else code + "\n")


def _without_title(prompt: str) -> str:
    """The prompt without its leading ``# heading`` (show prints the title already)."""
    lines = prompt.lstrip("\n").splitlines()
    if lines and lines[0].startswith("# "):
        return "\n".join(lines[1:]).lstrip("\n")
    return prompt


def _chapter(ctx: Context, wanted: str):
    ids = [ch.id for ch in ctx.catalog.chapters]
    if wanted in ids:
        return ctx.catalog.chapter(wanted)
    close = difflib.get_close_matches(wanted, ids, n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UsageError(f"no chapter {wanted!r}; {hint}the chapters: {', '.join(ids)}")


# -- list / show ------------------------------------------------------------------------


def cmd_list(ctx: Context) -> int:
    catalog = ctx.catalog
    progress = ctx.store.progress()
    chapters = [_chapter(ctx, ctx.args.chapter)] if ctx.args.chapter else catalog.chapters
    if ctx.args.ids:
        ctx.console.file.write("".join(f"{c.id}\n" for ch in chapters for c in catalog.in_chapter(ch.id)))
        return EXIT_OK
    if ctx.args.json:
        rows = []
        for ch in chapters:
            for c in catalog.in_chapter(ch.id):
                p = progress.get(c.id)
                rows.append({"id": c.id, "title": c.title, "chapter": c.chapter, "kind": c.kind,
                             "target_seconds": c.target_seconds, "passed": bool(p and p.passed),
                             "attempts": p.attempts if p else 0, "best_seconds": p.best_s if p else None})
        _print_json(ctx, rows)
        return EXIT_OK
    for number, ch in enumerate(chapters, 1):
        items = catalog.in_chapter(ch.id)
        if not items:
            continue
        table = Table(title=esc(ch.title), title_justify="left", title_style="bold", expand=False)
        table.add_column("", width=1)
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("title")
        table.add_column("kind", style="dim")
        table.add_column("target", justify="right")
        table.add_column("best", justify="right")
        for c in items:
            p = progress.get(c.id)
            mark = Text("✓", "green") if p and p.passed else Text("•", "yellow") if p else Text(" ")
            table.add_row(mark, Text(c.id), Text(c.title), c.kind, fmt_seconds(c.target_seconds),
                          fmt_seconds(p.best_s) if p else "-")
        ctx.console.print(table)
    ctx.console.print("[dim]Start one with[/] gradrill start ID[dim], then[/] gradrill check ID")
    return EXIT_OK


def cmd_show(ctx: Context) -> int:
    c = ctx.challenge(ctx.args.id)
    if ctx.args.json:
        _print_json(ctx, {
            "id": c.id, "title": c.title, "chapter": c.chapter, "order": c.order, "kind": c.kind,
            "target_seconds": c.target_seconds, "prerequisites": list(c.prerequisites), "tags": list(c.tags),
            "subject": list(c.subject), "hints": len(c.hints), "tasks": [t.__dict__ for t in c.tasks],
            "file": str(ctx.workspace.path_for(c)), "prompt": c.prompt,
        })
        return EXIT_OK
    chapter = ctx.catalog.chapter(c.chapter)
    ctx.console.print(f"[bold]{esc(c.title)}[/]  [dim]{esc(c.id)} · {esc(chapter.title)} · {c.kind} · "
                      f"target {fmt_seconds(c.target_seconds)} · {len(c.hints)} hints[/]")
    prompt = _without_title(c.prompt)
    if ctx.console.is_terminal:
        ctx.console.print(Markdown(prompt))
    else:  # piped: the Markdown itself, unwrapped
        ctx.console.file.write("\n" + prompt.rstrip("\n") + "\n\n")
    path = ctx.workspace.path_for(c)
    state = "exists" if path.exists() else f"not created yet: gradrill start {c.id}"
    ctx.console.print(f"[dim]Your file:[/] {esc(str(path))} [dim]({state})[/]")
    return EXIT_OK


# -- start / check ------------------------------------------------------------------------


def cmd_start(ctx: Context) -> int:
    c = ctx.challenge(ctx.args.id)
    path, archived = ctx.workspace.start(c)
    ctx.store.start_attempt(c.id, restart=True)
    if archived:
        ctx.console.print(f"[yellow]Your previous file was archived to[/] {esc(str(archived))}")
    ctx.console.print(f"[bold]{esc(c.title)}[/]: the clock is running (target {fmt_seconds(c.target_seconds)}).")
    ctx.console.print(f"Edit [cyan]{esc(str(path))}[/], then run [bold]gradrill check {c.id}[/].")
    return EXIT_OK


def cmd_check(ctx: Context) -> int:
    c = ctx.challenge(ctx.args.id)
    path = Path(ctx.args.file) if ctx.args.file else ctx.workspace.path_for(c)
    if not path.is_file():
        hint = f" (create it with: gradrill start {c.id})" if not ctx.args.file else ""
        raise UsageError(f"no file at {path}{hint}")
    limits = Limits(timeout=ctx.args.timeout) if ctx.args.timeout else None
    running = ctx.store.open_attempt(c.id)  # the timed drill this check belongs to (None: no drill)
    best_before = ctx.store.best_time(c.id)
    verdict = grading.grade(c, path, limits)
    code = path.read_text(encoding="utf-8", errors="replace")
    # the verdict first: whatever happens to the record, the learner sees it
    if ctx.args.json:
        _print_json(ctx, verdict.to_dict())
    else:
        print_verdict(ctx, c, verdict)
    if running is None:
        if not ctx.args.json:
            ctx.console.print(f"[dim]Not recorded: no timed drill of {c.id} is running, so this check counts "
                              f"for nothing (no review, no personal best, no streak). [/]gradrill start {c.id}"
                              f"[dim] starts one (your file is archived).[/]")
        return _exit_code(verdict)
    recorded = ctx.store.record_run_or_spool(c.id, verdict, code, attempt_id=running.id)
    if recorded.spooled:
        ctx.err.print(f"[yellow]Your progress database is busy (another gradrill is writing to it): this "
                      f"result is kept in {ctx.store.pending_path} and recorded the next time gradrill opens "
                      f"your progress.[/]")
    if ctx.args.json:
        return _exit_code(verdict)
    if verdict.passed:
        attempt = recorded.attempt
        duration = attempt.duration_s if attempt is not None and not recorded.spooled else None
        review = ctx.store.review_of(attempt.id) if attempt is not None and not recorded.spooled else None
        print_pass(ctx, c, duration, best_before, review)
    elif not verdict.about_the_code:
        ctx.console.print("[dim]Not recorded: the checks could not judge your code. Check again: "
                          "[/]gradrill check " + c.id)
    else:
        used = ctx.store.hints_used(c.id)
        if used < len(c.hints):
            ctx.console.print(f"[dim]Stuck? [/]gradrill hint {c.id}[dim] (hint {used + 1} of {len(c.hints)})[/]")
        else:
            ctx.console.print(f"[dim]No hints left. To see the answer: [/]gradrill solution {c.id} --give-up")
    return _exit_code(verdict)


def _exit_code(verdict: Verdict) -> int:
    if verdict.passed:
        return EXIT_OK
    return EXIT_FAIL if verdict.status == "fail" else EXIT_ERROR


def print_verdict(ctx: Context, c, verdict: Verdict) -> None:
    console = ctx.console
    if verdict.status == "error":
        console.print(Panel(Text(verdict.message or "error", style="red"),
                            title=Text(f"{c.id}: error ({verdict.reason})", style="bold red"), title_align="left"))
    for t in verdict.tests:
        mark, style = STATUS_MARK.get(t.status, ("?", "yellow"))
        label = f"[task {t.task_id}] " if t.task_id else ""
        console.print(Text.assemble((f" {mark} ", style), label + t.title))
    first = verdict.first_failure
    if first and verdict.status != "error":
        body = Text(first.message or "(no message)")
        if first.output:
            body.append("\n\nyour output:\n", style="dim")
            body.append(first.output)
        console.print(Panel(body, title=Text(f"first failure: {first.title}", style="bold red"), title_align="left",
                            border_style="red"))
    elif verdict.output and verdict.status == "error":
        console.print(Panel(Text(verdict.output), title="your output", title_align="left", border_style="dim"))
    colour = "green" if verdict.passed else "red"
    console.print(f"[bold {colour}]{verdict.summary}[/]  [dim]({verdict.duration_ms:.0f} ms)[/]")


def print_pass(ctx: Context, c, duration: float | None, best_before: float | None, review=None) -> None:
    if duration is None:
        ctx.console.print("[green]Passed.[/] [dim](recorded the next time your progress database is free)[/]")
    else:
        line = f"[green]Passed in {fmt_seconds(duration)}[/] (target {fmt_seconds(c.target_seconds)})"
        if best_before is None:
            line += "  [bold yellow]first personal best![/]"
        elif duration < best_before:
            line += f"  [bold yellow]new personal best! (−{fmt_seconds(best_before - duration)})[/]"
        else:
            line += f"  [dim]best {fmt_seconds(best_before)} (+{fmt_seconds(duration - best_before)})[/]"
        ctx.console.print(line)
    if review is not None:
        ctx.console.print(f"[dim]{review_words(review.rating_name, review.due_after)}[/]")
    _print_next(ctx, c.id)


def _print_next(ctx: Context, done_id: str) -> None:
    """Next: today's next queue item when this drill was one of them, else the next in the curriculum."""
    from ..core import practice

    t = practice.stored_today(ctx.store, ctx.catalog)
    if t is not None and any(i.key == done_id for i in t.items):
        if t.complete:
            ctx.console.print(f"[bold green]Today's queue is done ✓[/] [dim]({len(t.items)} items; "
                              f"gradrill stats shows your streak)[/]")
            return
        nxt = t.next
        if nxt is not None:
            ctx.console.print(f"[dim]Next in today's queue:[/] gradrill start {nxt.key}  [dim]({esc(nxt.title)})[/]")
            return
    nxt = ctx.catalog.next_after(done_id)
    if nxt:
        ctx.console.print(f"[dim]Next:[/] gradrill start {nxt.id}  [dim]({esc(nxt.title)})[/]")


# -- hint / solution ------------------------------------------------------------------------


def cmd_hint(ctx: Context) -> int:
    c = ctx.challenge(ctx.args.id)
    used = ctx.store.hints_used(c.id)
    if ctx.args.all:
        if not used:
            ctx.console.print("No hints taken yet.")
        for i in range(min(used, len(c.hints))):
            ctx.console.print(Panel(Markdown(c.hints[i]), title=f"Hint {i + 1} of {len(c.hints)}", title_align="left"))
        return EXIT_OK
    if used >= len(c.hints):
        ctx.console.print(f"No more hints ({len(c.hints)} of {len(c.hints)} taken). "
                          f"To see the answer: gradrill solution {c.id} --give-up")
        return EXIT_OK
    running = ctx.store.open_attempt(c.id) is not None
    n = min(ctx.store.use_hint(c.id), len(c.hints))  # never opens a drill
    ctx.console.print(Panel(Markdown(c.hints[n - 1]), title=f"Hint {n} of {len(c.hints)}", title_align="left"))
    if not running:
        ctx.console.print(f"[dim]No drill of {c.id} is running: this hint counts towards your next one.[/]")
    return EXIT_OK


def cmd_solution(ctx: Context) -> int:
    c = ctx.challenge(ctx.args.id)
    path = ctx.workspace.path_for(c)
    if not ctx.store.solution_unlocked(c.id):
        if not ctx.args.give_up:
            if ctx.store.open_attempt(c.id) is not None:
                raise UsageError(f"a drill of {c.id} is running: seeing the solution gives it up "
                                 f"(gradrill solution {c.id} --give-up)")
            raise UsageError(f"the solution opens after you pass {c.id}, or give up: "
                             f"gradrill solution {c.id} --give-up")
        if not ctx.args.yes:
            from rich.prompt import Confirm

            if not Confirm.ask(f"Give up on {c.id}? It counts as a failed attempt", console=ctx.console,
                               default=False):
                ctx.console.print("Not given up. Keep going!")
                return EXIT_OK
        code = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
        attempt = ctx.store.give_up(c.id, code)
        review = ctx.store.review_of(attempt.id)
        words = review_words(review.rating_name, review.due_after) if review else ""
        ctx.console.print(f"[red]Given up.[/] [dim]{words}[/]")
    if ctx.args.diff and path.is_file():
        diff = difflib.unified_diff(path.read_text(encoding="utf-8").splitlines(True), c.solution.splitlines(True),
                                    fromfile=f"yours ({path.name})", tofile="solution")
        print_code(ctx, "".join(diff) or "(identical)\n", "diff")
    else:
        print_code(ctx, c.solution, "python", line_numbers=True)
    return EXIT_OK


# -- validate / paths -------------------------------------------------------------------------


def cmd_validate(ctx: Context) -> int:
    from ..core.validate import validate
    from .speedrun import prove_categories

    if ctx.args.mutate:
        from .mutate import cmd_mutate
        return cmd_mutate(ctx)

    challenges = [ctx.challenge(i) for i in ctx.args.ids] if ctx.args.ids else list(ctx.catalog)
    malformed = [] if ctx.args.ids else ctx.catalog.errors  # validating everything: broken folders count
    if ctx.args.json:
        reports = validate(challenges)
        proofs, bad_categories = prove_categories(ctx)
        _print_json(ctx, [{
            "id": r.challenge.id, "ok": r.ok, "slowest_ms": round(r.slowest_ms, 1),
            "probes": [{"role": p.role, "name": p.name, "ok": p.ok, "verdict": p.verdict.status,
                        "problem": p.problem or None} for p in r.probes],
        } for r in reports] + proofs)
        return EXIT_OK if all(r.ok for r in reports) and not malformed and not bad_categories else EXIT_FAIL

    table = Table(title="gradrill validate", title_justify="left")
    for col, kw in [("challenge", {"style": "cyan"}), ("solution", {}), ("starter", {}),
                    ("mutants", {"justify": "right"}), ("slowest", {"justify": "right"}), ("problems", {})]:
        table.add_column(col, **kw)
    with ctx.console.status("grading solutions, starters and mutants…") as status:
        def progress(report) -> None:
            status.update(f"validated {report.challenge.id}")
        reports = validate(challenges, progress)
    for r in reports:
        by_role = {role: [p for p in r.probes if p.role == role] for role in ("solution", "starter", "mutant")}
        mark = lambda probes: "[green]✓[/]" if all(p.ok for p in probes) else "[red]✗[/]"  # noqa: E731
        mutants = by_role["mutant"]
        problems = Text("\n".join(f"{p.name}: {p.problem}" for p in r.probes if not p.ok))
        table.add_row(Text(r.challenge.id), mark(by_role["solution"]), mark(by_role["starter"]),
                      f"{sum(p.ok for p in mutants)}/{len(mutants)}", f"{r.slowest_ms:.0f} ms", problems)
    ctx.console.print(table)
    _, bad_categories = prove_categories(ctx, print_table=True)
    bad = [r for r in reports if not r.ok]
    if bad_categories:
        ctx.console.print(f"[red]{bad_categories} speedrun categor{'y has' if bad_categories == 1 else 'ies have'} "
                          "problems.[/]")
        return EXIT_FAIL
    if malformed:
        ctx.console.print(f"[red]{len(malformed)} malformed challenge file(s), listed above.[/]")
        return EXIT_FAIL
    if bad:
        ctx.console.print(f"[red]{len(bad)} of {len(reports)} challenges have problems.[/]")
        return EXIT_FAIL
    ctx.console.print(f"[green]All {len(reports)} challenges proven.[/]")
    return EXIT_OK


def cmd_paths(ctx: Context) -> int:
    paths = {
        "workspace": ctx.workspace.root, "archive": locations.archive_dir(ctx.workspace.root),
        "database": locations.database_path(), "settings": locations.settings_path(),
        "cache": locations.cache_dir(), "challenges": locations.challenges_dir(),
    }
    if ctx.args.json:
        _print_json(ctx, {k: str(v) for k, v in paths.items()})
        return EXIT_OK
    for name, path in paths.items():
        ctx.console.print(f"[bold]{name:11}[/] {esc(str(path))}")
    return EXIT_OK
