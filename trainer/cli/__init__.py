"""``gradrill``: the command line. With no command it opens the trainer (the TUI).

Exit codes: 0 success (for ``check``: every check passed), 1 a failing check (or a
``validate`` breach), 2 an error or bad input: always one line on standard error, never a
traceback.

Each module in ``COMMAND_MODULES`` adds its subcommands with ``register(sub)``, using
``sub.add_parser(name, help=..., description=...)`` as usual; every subcommand gets the
global options (``--workspace``, also accepted after the subcommand), a description (its
help, when it has none of its own) and the help formatter, from ``_Commands`` below.

Output goes through ``Context.console``: sized to the terminal, and when piped never
wrapped (a command stays on one line) nor padded with trailing spaces. Text from outside
the code (a challenge's title, a check's message, a path, an exception) goes into Rich
markup only through ``esc()``.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module

from rich.console import Console
from rich.markup import escape as esc
from rich.text import Text
from rich_argparse import RichHelpFormatter

from .. import __version__
from ..core.catalog import Catalog, CatalogError, UnknownChallenge, load_catalog
from ..core.store import Store, StoreError
from ..core.workspace import Workspace

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2

# The modules whose ``register(sub)`` adds subcommands, in the order --help lists them.
# A new mode adds one line here.
COMMAND_MODULES = (
    "drill",
    "practice",
    "quiz",
    "speedrun",
    "serve",
)

SHELLS = ("bash", "zsh", "fish", "tcsh")


class UsageError(Exception):
    """Bad input from the learner: printed as is, exit code 2."""


# -- output ----------------------------------------------------------------------------------------


class _NoTrailingSpace(io.TextIOBase):
    """A text stream that drops the spaces Rich pads lines with (for output that is not a terminal)."""

    def __init__(self, stream):
        self.stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        if lines:
            self.stream.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.stream.write(self._pending)
            self._pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        return self.stream.fileno()


class _PipeConsole(Console):
    """Output that is not a terminal: a line of text is never wrapped (a command in it stays
    whole); boxes, tables and Markdown are laid out at COLUMNS (else 80) columns."""

    def print(self, *objects, soft_wrap: bool | None = None, **kwargs) -> None:  # type: ignore[override]
        if soft_wrap is None and all(isinstance(o, (str, Text)) for o in objects):
            soft_wrap = True
        super().print(*objects, soft_wrap=soft_wrap, **kwargs)


def make_console(stderr: bool = False) -> Console:
    """A console for standard output (or error): sized to the terminal on one; when piped,
    lines of text unwrapped and no line padded with trailing spaces."""
    stream = sys.stderr if stderr else sys.stdout
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if terminal:
        return Console(file=stream)
    return _PipeConsole(file=_NoTrailingSpace(stream))


def print_json(data) -> None:
    """Machine-readable output: plain JSON on standard output (no colour, no wrapping)."""
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


# -- the context a command runs in --------------------------------------------------------------


@dataclass
class Context:
    args: argparse.Namespace
    console: Console = field(default_factory=make_console)
    err: Console = field(default_factory=lambda: make_console(stderr=True))

    @cached_property
    def catalog(self) -> Catalog:
        validating = getattr(self.args, "command", None) == "validate"
        catalog = load_catalog(strict=False, check_mutants=validating)
        if catalog.errors:
            folders = sorted({e.path.parent.name for e in catalog.errors})
            verbose = validating
            self.err.print(f"[yellow]warning:[/] {len(catalog.errors)} problem(s) in the challenges "
                           f"({esc(', '.join(folders))}): left out"
                           + ("" if verbose else "; `gradrill validate` lists them"))
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
            self.err.print(f"[yellow]{esc(store.notice)}[/]")
        return store

    def challenge(self, challenge_id: str):
        return self.catalog.get(challenge_id)


# -- argument types ---------------------------------------------------------------------------------


def seconds(text: str) -> float:
    """A time limit in seconds: a finite number above 0, at most an hour."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, not {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds above 0 and at most 3600, not {text!r}")
    return value


def minutes(text: str) -> float:
    """A time budget in minutes: above 0, at most a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of minutes, not {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= 24 * 60:
        raise argparse.ArgumentTypeError(f"expected minutes above 0 and at most 1440, not {text!r}")
    return value


def challenge_ids(prefix: str = "", **_) -> list[str]:
    """Shell completion: the challenge ids starting with ``prefix``."""
    try:
        catalog = load_catalog(strict=False)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into a shell
        return []
    return [c.id for c in catalog if c.id.startswith(prefix)]


def chapter_ids(prefix: str = "", **_) -> list[str]:
    try:
        catalog = load_catalog(strict=False)
    except Exception:  # noqa: BLE001
        return []
    return [ch.id for ch in catalog.chapters if ch.id.startswith(prefix)]


def challenge_argument(parser: argparse.ArgumentParser, *names: str, **kwargs) -> argparse.Action:
    """A positional challenge id (completed from the catalog in the shell)."""
    kwargs.setdefault("metavar", "ID")
    kwargs.setdefault("help", "a challenge id (gradrill list shows them)")
    action = parser.add_argument(*(names or ("id",)), **kwargs)
    action.completer = challenge_ids
    return action


# -- the parser --------------------------------------------------------------------------------------


class HelpFormatter(RichHelpFormatter):
    """Rich help; our help texts are plain (``[practice]`` is a TOML table, not markup)."""

    help_markup = False
    text_markup = False


class Parser(argparse.ArgumentParser):
    """Usage errors as one line on standard error (exit 2), naming the command."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _global_options(parser: argparse.ArgumentParser, default=None) -> None:
    """Options that mean the same for every command, accepted before or after it."""
    parser.add_argument("--workspace", metavar="DIR", default=default,
                        help="where your files live (default: $GRADRILL_WORKSPACE, or ~/gradrill)")


class _Commands(argparse._SubParsersAction):
    """``sub.add_parser`` for every command module: the formatter, a description, the global
    options (their default suppressed here, so one given before the command stays)."""

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        if kwargs.get("help") and not kwargs.get("description"):
            text = kwargs["help"]
            kwargs["description"] = text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")
        kwargs.setdefault("formatter_class", HelpFormatter)
        parser = super().add_parser(name, **kwargs)
        _global_options(parser, default=argparse.SUPPRESS)
        return parser


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="gradrill",
        description="Rebuild Karpathy's micrograd from memory: timed drills with hidden checks, hints, "
                    "spaced-repetition daily practice. Run `gradrill` with no command to open the trainer.",
        epilog="`gradrill COMMAND --help` tells more about each command. Shell completion: "
               "`gradrill completion --help`.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gradrill {__version__}")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, title="commands",
                                action=_Commands)
    for name in COMMAND_MODULES:
        import_module(f".{name}", __name__).register(sub)
    p = sub.add_parser("completion", help="a shell completion script: commands, options and challenge ids",
                       description="Print a completion script for your shell (commands, options and challenge "
                                   "ids complete with tab). For bash, add to ~/.bashrc: "
                                   "`eval \"$(gradrill completion bash)\"`; zsh: the same line in ~/.zshrc; fish: "
                                   "`gradrill completion fish > ~/.config/fish/completions/gradrill.fish`.")
    p.add_argument("shell", choices=SHELLS, help="your shell")
    p.set_defaults(handler=cmd_completion)
    return parser


def cmd_completion(ctx: Context) -> int:
    import argcomplete

    sys.stdout.write(argcomplete.shellcode(["gradrill"], shell=ctx.args.shell))
    return EXIT_OK


def _complete(parser: argparse.ArgumentParser) -> None:
    """When the shell asks for completions (argcomplete's environment), answer and exit."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    argcomplete.autocomplete(parser, always_complete_options=False)


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    _complete(parser)
    if sys.stdin is None:  # started with standard input closed: reading it is an end of file
        sys.stdin = open(os.devnull, encoding="utf-8")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_ERROR
    ctx = Context(args)
    try:
        _check_home()
        if not args.command:
            return _launch_tui(ctx)
        return int(args.handler(ctx) or 0)
    except UnknownChallenge as exc:
        return _error(ctx, str(exc))
    except CatalogError as exc:
        ctx.err.print(f"[red]error:[/] {len(exc.errors)} problem(s) in the challenges:")
        for error in exc.errors:
            ctx.err.print(f"  {error}", highlight=False, markup=False)
        return EXIT_ERROR
    except (UsageError, StoreError) as exc:
        return _error(ctx, str(exc))
    except EOFError:  # a question (reset, give up) with nothing to read on standard input
        ctx.console.print()
        return _error(ctx, "no answer on standard input (it is closed or empty): add --yes to confirm")
    except OSError as exc:  # a folder that cannot be created, a disk that is full, a file not allowed
        return _error(ctx, _os_error(exc))
    except KeyboardInterrupt:
        ctx.err.print("interrupted")
        return 130
    finally:
        if "store" in vars(ctx):  # opened by the command (a cached_property)
            ctx.store.close()
        for console in (ctx.console, ctx.err):
            _flush(console)


def _check_home() -> None:
    """GRADRILL_HOME must be a folder gradrill can create: say so before anything else fails on it."""
    value = os.environ.get("GRADRILL_HOME")
    if not value:
        return
    try:
        os.makedirs(os.path.expanduser(value), exist_ok=True)
    except OSError as exc:
        raise UsageError(f"GRADRILL_HOME={value} cannot be used: {exc.strerror or exc} "
                         f"(set it to a folder you can write to)") from None


def _os_error(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    if not exc.filename:
        return what
    message = f"{what}: {exc.filename}"
    for name in ("GRADRILL_HOME", "GRADRILL_DATA_DIR", "GRADRILL_CONFIG_DIR", "GRADRILL_CACHE_DIR",
                 "GRADRILL_WORKSPACE"):
        value = os.environ.get(name)
        if value and str(exc.filename).startswith(value):
            return f"{message} (from {name}={value}: set it to a folder you can write to)"
    return message


def _error(ctx: Context, message: str) -> int:
    ctx.err.print(f"[red]error:[/] {esc(message)}", highlight=False)
    return EXIT_ERROR


def _flush(console: Console) -> None:
    try:
        console.file.flush()
    except (OSError, ValueError):
        pass


def _launch_tui(ctx: Context) -> int:
    try:
        from ..tui.app import run
    except ImportError as exc:
        ctx.err.print(f"[red]error:[/] the trainer could not start ({esc(str(exc))}); the commands still work: "
                      "see `gradrill --help`")
        return EXIT_ERROR
    code = int(run(workspace=ctx.args.workspace) or 0)
    global _tui_closed
    _tui_closed = True
    return code


_tui_closed = False  # the trainer ran and closed in this process (``entry`` then ends it at once)


def entry() -> None:
    """The ``gradrill`` command. Once the trainer has closed (its progress written and closed,
    its terminal restored), the process ends at once: tearing down the interpreter's objects one
    by one (Textual's, tree-sitter's) took half a second more between the key and the prompt."""
    code = main()
    if _tui_closed:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    raise SystemExit(code)


__all__ = ["main", "entry", "build_parser", "Context", "UsageError", "EXIT_OK", "EXIT_FAIL", "EXIT_ERROR", "esc",
           "challenge_argument", "print_json", "seconds", "minutes", "make_console"]

if __name__ == "__main__":
    entry()
