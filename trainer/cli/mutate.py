"""``gradrill validate --mutate [ID ...]``: generated mutants of each solution, and the ones the checks miss."""

from __future__ import annotations

import json

from rich.table import Table

from . import EXIT_FAIL, EXIT_OK, Context, esc

EQUIVALENT = esc("[[equivalent]]")  # a TOML table name, not Rich markup


def cmd_mutate(ctx: Context) -> int:
    from ..core.mutate import mutate

    challenges = [ctx.challenge(i) for i in ctx.args.ids] if ctx.args.ids else list(ctx.catalog)
    jobs = getattr(ctx.args, "jobs", None)
    if ctx.args.json:
        reports = mutate(challenges, jobs)
        print(json.dumps([_as_dict(r) for r in reports], indent=2))
        return EXIT_OK if all(r.ok for r in reports) else EXIT_FAIL

    with ctx.console.status("generating mutants…") as status:
        def progress(challenge, done: int, total: int) -> None:
            status.update(f"mutants of {challenge.id}: {done}/{total} graded")
        reports = mutate(challenges, jobs, progress)

    table = Table(title="gradrill validate --mutate", title_justify="left")
    for col, kw in [("challenge", {"style": "cyan"}), ("generated", {"justify": "right"}),
                    ("killed", {"justify": "right"}), ("equivalent", {"justify": "right"}),
                    ("survivors", {"justify": "right"}), ("score", {"justify": "right"})]:
        table.add_column(col, **kw)
    for r in reports:
        left = len(r.survivors)
        table.add_row(r.challenge.id, str(r.generated), str(r.killed), str(r.equivalent),
                      f"[red]{left}[/]" if left else "0", f"{r.score:.0%}")
    ctx.console.print(table)
    for r in reports:
        for o in r.survivors:
            ctx.console.print(f"[red]survivor[/] {r.challenge.id}: {esc(str(o.mutation))}", highlight=False)
        for key in r.stale:
            ctx.console.print(f"[yellow]stale[/] {r.challenge.id}: {EQUIVALENT} {esc(key)} names no surviving mutant",
                              highlight=False)
    bad = [r for r in reports if not r.ok]
    if bad:
        ctx.console.print(f"[red]{sum(len(r.survivors) for r in bad)} survivor(s) in {len(bad)} challenge(s): "
                          f"add a check that kills each, or list it under {EQUIVALENT} with the reason.[/]")
        return EXIT_FAIL
    ctx.console.print(f"[green]Every generated mutant of {len(reports)} challenge(s) is killed or equivalent.[/]")
    return EXIT_OK


def _as_dict(r) -> dict:
    return {"id": r.challenge.id, "generated": r.generated, "killed": r.killed, "equivalent": r.equivalent,
            "survivors": [str(o.mutation) for o in r.survivors], "score": round(r.score, 4), "stale": r.stale,
            "equivalents": [{"mutation": o.mutation.key, "why": o.equivalent} for o in r.outcomes if o.equivalent]}
