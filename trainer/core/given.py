"""Given code: what a fill-in challenge hands the learner, written once and included where needed.

A challenge's ``starter.py`` or ``solution.py`` may hold *given* lines, each a comment (so the
file is still Python) that stands for definitions kept in one place::

    # given: engine.Value                      a whole top-level definition
    # given: nn.Neuron nn.Layer                several, in this order
    # given: engine.Value: __init__ __repr__   methods of a class (written inside that class)

``engine`` names a module of given code: ``challenges/_given/engine.py`` if there is one, else
``reference/engine.py`` (the canonical micrograd). The line is replaced by the definitions'
source, re-indented to the line's indentation, one blank line between methods and two between
top-level definitions. The learner sees (and the checks grade) the expanded file; an author
edits the source once.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)# given:(?P<spec>.*)$")
NAME = re.compile(r"^[A-Za-z_]\w*$")


class GivenError(ValueError):
    """A given line that names a module or a definition that does not exist (says which, and where)."""


@dataclass(frozen=True)
class _Module:
    path: Path
    lines: tuple[str, ...]
    tree: ast.Module


def source_dirs(challenges_root: Path) -> list[Path]:
    """Where given modules are looked up, in order: the challenges' ``_given/``, then ``reference/``."""
    from .. import locations

    return [challenges_root / "_given", locations.reference_dir()]


@lru_cache(maxsize=32)
def _load(path: Path, mtime_ns: int) -> _Module:
    text = path.read_text(encoding="utf-8")
    return _Module(path, tuple(text.splitlines()), ast.parse(text, str(path)))


def _module(name: str, dirs: tuple[Path, ...]) -> _Module:
    if not NAME.match(name):
        raise GivenError(f"'{name}' is not a module name")
    for folder in dirs:
        path = folder / f"{name}.py"
        if path.is_file():
            return _load(path, path.stat().st_mtime_ns)
    raise GivenError(f"no module '{name}' of given code (looked for {name}.py in "
                     + " and ".join(str(d) for d in dirs) + ")")


def _definitions(body: list[ast.stmt]) -> dict[str, ast.stmt]:
    return {node.name: node for node in body
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))}


def _text(module: _Module, node: ast.stmt, indent: str) -> str:
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
    lines = module.lines[first:node.end_lineno]
    strip = node.col_offset
    return "\n".join((indent + line[strip:]) if line.strip() else "" for line in lines)


def expand_line(spec: str, indent: str, dirs: tuple[Path, ...]) -> str:
    """The text a given line stands for."""
    spec = spec.strip()
    if not spec:
        raise GivenError("names nothing: write `# given: module.Name` or `# given: module.Class: method ...`")
    if ":" in spec:
        target, _, methods = spec.partition(":")
        source, _, cls_name = target.strip().partition(".")
        module = _module(source, dirs)
        cls = _definitions(module.tree.body).get(cls_name)
        if not isinstance(cls, ast.ClassDef):
            raise GivenError(f"{module.path.name} defines no class '{cls_name}'")
        defs = _definitions(cls.body)
        names = methods.split()
        if not names:
            raise GivenError(f"names no method of {cls_name}: `# given: {source}.{cls_name}: __init__ ...`")
        missing = [n for n in names if n not in defs]
        if missing:
            raise GivenError(f"{cls_name} in {module.path.name} has no method " + ", ".join(f"'{n}'" for n in missing))
        return "\n\n".join(_text(module, defs[n], indent) for n in names)
    blocks = []
    for item in spec.split():
        source, _, name = item.partition(".")
        module = _module(source, dirs)
        node = _definitions(module.tree.body).get(name)
        if node is None:
            raise GivenError(f"{module.path.name} defines no '{name}'")
        blocks.append(_text(module, node, indent))
    return "\n\n\n".join(blocks)


def expand(text: str, dirs: list[Path] | tuple[Path, ...]) -> str:
    """``text`` with every given line replaced by what it stands for (``GivenError`` names the line)."""
    if "# given:" not in text:
        return text
    dirs = tuple(dirs)
    out = []
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        match = DIRECTIVE.match(line.rstrip("\r\n"))
        if not match:
            out.append(line)
            continue
        try:
            body = expand_line(match["spec"], match["indent"], dirs)
        except GivenError as exc:
            raise GivenError(f"line {number}: {exc}") from None
        out.append(body + ("\n" if line.endswith("\n") else ""))
    return "".join(out)


def has_given(text: str) -> bool:
    return any(DIRECTIVE.match(line) for line in text.splitlines())
