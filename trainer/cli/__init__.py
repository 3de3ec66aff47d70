"""``gradrill``: the command line. With no command it opens the trainer (the TUI).

Exit codes: 0 success (for ``check``: every check passed), 1 a failing check (or a
``validate`` breach), 2 an error or bad input.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from functools import cached_property

from rich.console import Console

from .. import __version__
from ..core.catalog import Catalog, CatalogError, UnknownChallenge, load_catalog
from ..core.store import Store, StoreError
from ..core.workspace import Workspace

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad input from the learner: printed as is, exit code 2."""


@dataclass
class Context:
    args: argparse.Namespace
    console: Console = field(default_factory=Console)
    err: Console = field(default_factory=lambda: Console(stderr=True))

    @cached_property
    def catalog(self) -> Catalog:
        catalog = load_catalog(strict=False)
        if catalog.errors:
            folders = sorted({e.path.parent.name for e in catalog.errors})
            verbose = getattr(self.args, "command", None) == "validate"
            self.err.print(f"[yellow]warning:[/] {len(catalog.errors)} problem(s) in the challenges "
                           f"({', '.join(folders)}): left out" + ("" if verbose else "; `gradrill validate` lists them"))
            if verbose:
                for error in catalog.errors:
                    self.err.print(f"  {error}", highlight=False, markup=False, soft_wrap=True)
        return catalog

    @cached_property
    def workspace(self) -> Workspace:
        return Workspace.default(getattr(self.args, "workspace", None))

    @cached_property
    def store(self) -> Store:
        store = Store()
        if store.notice:
            self.err.print(f"[yellow]{store.notice}[/]")
        return store

    def challenge(self, challenge_id: str):
        return self.catalog.get(challenge_id)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradrill",
        description="Rebuild Karpathy's micrograd from memory: timed drills with hidden checks.",
        epilog="Run `gradrill` with no command to open the trainer.",
    )
    parser.add_argument("--version", action="version", version=f"gradrill {__version__}")
    parser.add_argument("--workspace", metavar="DIR",
                        help="where your files live (default: $GRADRILL_WORKSPACE or ~/gradrill)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from . import drill, practice, quiz

    drill.register(sub)
    practice.register(sub)
    quiz.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(args)
    if not args.command:
        return _launch_tui(ctx)
    try:
        return int(args.handler(ctx) or 0)
    except UnknownChallenge as exc:
        ctx.err.print(f"[red]error:[/] {exc}")
        return EXIT_ERROR
    except CatalogError as exc:
        ctx.err.print(f"[red]error:[/] {len(exc.errors)} problem(s) in the challenges:")
        for error in exc.errors:
            ctx.err.print(f"  {error}", highlight=False, markup=False)
        return EXIT_ERROR
    except (UsageError, StoreError) as exc:
        ctx.err.print(f"[red]error:[/] {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        ctx.err.print("interrupted")
        return 130


def _launch_tui(ctx: Context) -> int:
    try:
        from ..tui.app import run
    except ImportError as exc:
        ctx.err.print(f"[red]error:[/] the trainer could not start ({exc}); the commands still work: "
                      "see `gradrill --help`")
        return EXIT_ERROR
    return int(run(workspace=ctx.args.workspace) or 0)


if __name__ == "__main__":
    sys.exit(main())
