"""Generated mutants: small mechanical mistakes in a challenge's solution, each graded by its checks.

``gradrill validate --mutate [ID ...]`` applies every mutation operator below to the code the
learner writes (for a fill-in or an exercise, the lines of solution.py that differ from starter.py;
for a from-blank drill or the checkpoint, the whole file), grades each mutant, and lists those that
pass every check (the *survivors*). A survivor is a hole in the checks, unless the mutation does
not change what the code computes: then the challenge lists it under ``[[equivalent]]`` with the
reason (``0.5*x`` and ``x/2``), and it does not count against the score::

    score = killed / (generated - equivalent)

Operators (each mutant changes one spot; the source is edited in place, so the rest of the file,
comments included, stays as written):

- ``binop``: an arithmetic operator swapped (``+ - * /`` among themselves, ``**`` -> ``*``);
- ``augassign``: ``+=`` -> ``=`` and ``+=`` <-> ``-=`` (``*=``, ``/=`` likewise);
- ``drop-factor``: one side of a ``*`` or ``/`` dropped (``1.0 * out.grad`` -> ``out.grad``);
- ``drop-term``: one side of a ``+`` or ``-`` dropped;
- ``swap-operands``: ``a - b`` -> ``b - a`` (``-``, ``/``, ``**``);
- ``negate``: a unary minus dropped (``-lr * p.grad`` -> ``lr * p.grad``);
- ``compare``: ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``==`` <-> ``!=``, ``in`` <-> ``not in``, ``is`` <-> ``is not``;
- ``constant``: a number changed (0 -> 1, 1 -> 0 and 2, n -> n + 1, a float x -> 2x and 0);
- ``reversed``: ``reversed(x)`` -> ``x``;
- ``drop-call``: a statement that is only a call dropped (``visited.add(v)``, ``topo.append(v)``);
- ``attribute``: ``.data`` <-> ``.grad``;
- ``self-other``: ``self`` <-> ``other`` (one occurrence);
- ``boolop``: ``and`` <-> ``or``;
- ``return``: ``return x`` -> ``return None``.

Nothing is cached: every run reads the solution, the starter and the checks afresh.
"""

from __future__ import annotations

import ast
import difflib
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .catalog import Challenge

__all__ = ["Mutation", "MutationReport", "mutations", "learner_lines", "mutate", "OPERATORS"]

OPERATORS = ("binop", "augassign", "drop-factor", "drop-term", "swap-operands", "negate", "compare", "constant",
             "reversed", "drop-call", "attribute", "self-other", "boolop", "return")


@dataclass(frozen=True)
class Mutation:
    operator: str
    line: int  # 1-based, in solution.py
    before: str  # the line as written
    after: str  # the line mutated
    source: str  # the whole mutated file

    @property
    def key(self) -> str:
        """How a challenge's ``[[equivalent]]`` names it: "`<line as written>` -> `<line mutated>`"."""
        return f"`{self.before.strip()}` -> `{self.after.strip()}`"

    def __str__(self) -> str:
        return f"line {self.line} ({self.operator}): {self.key}"


# ---------------------------------------------------------------------------------------
# Which lines the learner writes


def learner_lines(challenge: Challenge) -> set[int]:
    """The 1-based line numbers of solution.py the learner writes: all of them for a from-blank drill or the
    checkpoint (or an empty starter); otherwise those that differ from starter.py."""
    solution = challenge.solution.splitlines()
    starter = challenge.starter.splitlines() if challenge.starter_path.is_file() else []
    if challenge.kind in ("from-blank", "checkpoint") or not any(s.strip() for s in starter):
        return set(range(1, len(solution) + 1))
    mine: set[int] = set()
    matcher = difflib.SequenceMatcher(None, starter, solution, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            mine.update(range(j1 + 1, j2 + 1))
    return {n for n in mine if solution[n - 1].strip() and not solution[n - 1].strip().startswith("#")}


# ---------------------------------------------------------------------------------------
# The operators


_BINOP_SWAPS = {ast.Add: ("-", "*"), ast.Sub: ("+",), ast.Mult: ("+", "/"), ast.Div: ("*",), ast.Pow: ("*",)}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.FloorDiv: "//",
           ast.Mod: "%"}
_AUG_SWAPS = {ast.Add: ("=", "-="), ast.Sub: ("=", "+="), ast.Mult: ("=", "/="), ast.Div: ("=", "*=")}
_COMPARE_SWAPS = {ast.Lt: "<=", ast.LtE: "<", ast.Gt: ">=", ast.GtE: ">", ast.Eq: "!=", ast.NotEq: "==",
                  ast.In: "not in", ast.NotIn: "in", ast.Is: "is not", ast.IsNot: "is"}


class _Edit:
    """One replacement of a span of the source: (start line, start col, end line, end col), lines 1-based,
    columns 0-based UTF-8 byte offsets (as ``ast`` gives them)."""

    def __init__(self, operator: str, node_span: tuple[int, int, int, int], text: str):
        self.operator, self.span, self.text = operator, node_span, text


def _span(node: ast.AST) -> tuple[int, int, int, int]:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)


def _segment(lines: list[str], span: tuple[int, int, int, int]) -> str:
    l1, c1, l2, c2 = span
    if l1 == l2:
        return _cols(lines[l1 - 1])[c1:c2].decode()
    parts = [_cols(lines[l1 - 1])[c1:].decode()] + lines[l1:l2 - 1] + [_cols(lines[l2 - 1])[:c2].decode()]
    return "".join(parts)


def _cols(line: str) -> bytes:
    return line.encode()  # ast offsets are UTF-8 byte offsets


def _apply(lines: list[str], span: tuple[int, int, int, int], text: str) -> str:
    l1, c1, l2, c2 = span
    head = _cols(lines[l1 - 1])[:c1].decode()
    tail = _cols(lines[l2 - 1])[c2:].decode()
    return "".join(lines[: l1 - 1] + [head + text + tail] + lines[l2:])


def _operator_span(lines: list[str], left: ast.AST, right: ast.AST, symbol: str) -> tuple[int, int, int, int] | None:
    """The span of the operator token between two operands (for a BinOp/Compare written on one line)."""
    if left.end_lineno != right.lineno:
        return None
    line = _cols(lines[left.end_lineno - 1])
    gap = line[left.end_col_offset:right.col_offset].decode()
    # the operator sits between the operands, maybe inside closing/opening parentheses
    at = gap.find(symbol)
    while at != -1:
        before, after = gap[:at], gap[at + len(symbol):]
        if symbol in ("*", "/") and (after.startswith(symbol) or before.endswith(symbol)):
            at = gap.find(symbol, at + 1)  # not ** or //
            continue
        start = left.end_col_offset + len(gap[:at].encode())
        return (left.end_lineno, start, left.end_lineno, start + len(symbol.encode()))
    return None


def _self_other_names(tree: ast.AST) -> set[int]:
    """The ids of the ``self``/``other`` Name nodes inside methods that have both (``__add__``, its closure)."""
    eligible: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.Lambda)) and isinstance(getattr(fn, "args", None), ast.arguments):
            params = {a.arg for a in fn.args.args}
            if {"self", "other"} <= params:
                eligible.update(id(n) for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id in ("self", "other"))
    return eligible


def _edits(tree: ast.AST, lines: list[str]) -> Iterator[_Edit]:
    self_other = _self_other_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and type(node.op) in _SYMBOL:
            sym = _SYMBOL[type(node.op)]
            op_span = _operator_span(lines, node.left, node.right, sym)
            if op_span:
                for new in _BINOP_SWAPS.get(type(node.op), ()):
                    yield _Edit("binop", op_span, new)
            left, right = _segment(lines, _span(node.left)), _segment(lines, _span(node.right))
            if isinstance(node.op, (ast.Mult, ast.Div)):
                yield _Edit("drop-factor", _span(node), left)
                if isinstance(node.op, ast.Mult):
                    yield _Edit("drop-factor", _span(node), right)
            if isinstance(node.op, (ast.Add, ast.Sub)):
                yield _Edit("drop-term", _span(node), left)
                if isinstance(node.op, ast.Add):
                    yield _Edit("drop-term", _span(node), right)
            if isinstance(node.op, (ast.Sub, ast.Div, ast.Pow)) and "\n" not in left + right:
                yield _Edit("swap-operands", _span(node), f"({right}) {sym} ({left})")
        elif isinstance(node, ast.AugAssign) and type(node.op) in _AUG_SWAPS:
            sym = _SYMBOL[type(node.op)] + "="
            op_span = _operator_span(lines, node.target, node.value, sym)
            if op_span:
                for new in _AUG_SWAPS[type(node.op)]:
                    yield _Edit("augassign", op_span, new)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            yield _Edit("negate", _span(node), _segment(lines, _span(node.operand)))
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE_SWAPS:
            left, right = node.left, node.comparators[0]
            text = f"{_segment(lines, _span(left))} {_COMPARE_SWAPS[type(node.ops[0])]} {_segment(lines, _span(right))}"
            if "\n" not in text:
                yield _Edit("compare", _span(node), text)
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
            for new in _constants(node.value):
                yield _Edit("constant", _span(node), repr(new))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "reversed" \
                and len(node.args) == 1:
            yield _Edit("reversed", _span(node), _segment(lines, _span(node.args[0])))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and node.lineno == node.end_lineno:
            yield _Edit("drop-call", _span(node), "pass")
        elif isinstance(node, ast.Attribute) and node.attr in ("data", "grad") and node.end_lineno == node.lineno:
            other = "grad" if node.attr == "data" else "data"
            yield _Edit("attribute", (node.end_lineno, node.end_col_offset - len(node.attr),
                                      node.end_lineno, node.end_col_offset), other)
        elif isinstance(node, ast.Name) and id(node) in self_other:
            yield _Edit("self-other", _span(node), "other" if node.id == "self" else "self")
        elif isinstance(node, ast.BoolOp) and len(node.values) == 2:
            a, b = (_segment(lines, _span(v)) for v in node.values)
            word = "or" if isinstance(node.op, ast.And) else "and"
            if "\n" not in a + b:
                yield _Edit("boolop", _span(node), f"{a} {word} {b}")
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            yield _Edit("return", _span(node), "return None")


def _constants(x: int | float) -> list[int | float]:
    if isinstance(x, bool):
        return []
    if isinstance(x, int):
        out = {0: [1], 1: [0, 2]}.get(x, [x + 1, x - 1])
    else:
        out = [0.0, 1.0] if x == 0.5 else ([1.0, 2.0] if x == 0.0 else [0.0, 2.0 * x if x != 1.0 else 2.0])
    return [v for v in dict.fromkeys(out) if v != x]


def mutations(source: str, lines_allowed: set[int] | None = None,
              operators: Iterable[str] = OPERATORS) -> list[Mutation]:
    """Every single-spot mutation of ``source`` (on the allowed lines) that still compiles, each once."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    allowed_ops = set(operators)
    seen: set[str] = set()
    out: list[Mutation] = []
    for edit in _edits(tree, lines):
        if edit.operator not in allowed_ops:
            continue
        l1, _, l2, _ = edit.span
        if lines_allowed is not None and not all(n in lines_allowed for n in range(l1, l2 + 1)):
            continue
        mutated = _apply(lines, edit.span, edit.text)
        if mutated == source or mutated in seen:
            continue
        try:
            compile(mutated, "<mutant>", "exec")
        except SyntaxError:
            continue
        seen.add(mutated)
        new_lines = mutated.splitlines()
        after = new_lines[l1 - 1] if l1 - 1 < len(new_lines) else ""
        out.append(Mutation(edit.operator, l1, lines[l1 - 1].rstrip("\n"), after, mutated))
    out.sort(key=lambda m: (m.line, m.operator, m.after))
    return out


# ---------------------------------------------------------------------------------------
# Grading every mutant


@dataclass
class Outcome:
    mutation: Mutation
    status: str  # the verdict: pass (a survivor), fail, error
    equivalent: str = ""  # for a survivor the challenge lists as equivalent: why


@dataclass
class MutationReport:
    challenge: Challenge
    outcomes: list[Outcome] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # [[equivalent]] entries that match no mutant any more

    @property
    def generated(self) -> int:
        return len(self.outcomes)

    @property
    def killed(self) -> int:
        return sum(o.status != "pass" for o in self.outcomes)

    @property
    def equivalent(self) -> int:
        return sum(bool(o.equivalent) for o in self.outcomes)

    @property
    def survivors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "pass" and not o.equivalent]

    @property
    def score(self) -> float:
        """killed / (generated - equivalent)."""
        counted = self.generated - self.equivalent
        return self.killed / counted if counted else 1.0

    @property
    def ok(self) -> bool:
        return not self.survivors and not self.stale


def _grade_one(challenge: Challenge, mutation: Mutation, scratch: str, index: int) -> str:
    from . import grading

    folder = Path(scratch) / f"m{index}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / challenge.file_name
    path.write_text(mutation.source, encoding="utf-8")
    try:
        return grading.grade(challenge, path).status
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def mutate(challenges: Iterable[Challenge], jobs: int | None = None,
           progress: Callable[[Challenge, int, int], None] | None = None,
           operators: Iterable[str] = OPERATORS) -> list[MutationReport]:
    """Generate and grade the mutants of each challenge (``jobs`` processes; default: the machine's cores)."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    reports = []
    scratch = tempfile.mkdtemp(prefix="gradrill-mutate-")
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for challenge in challenges:
                reports.append(_mutate_one(challenge, pool, scratch, progress, tuple(operators)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return reports


def _mutate_one(challenge: Challenge, pool: ProcessPoolExecutor, scratch: str,
                progress: Callable[[Challenge, int, int], None] | None, operators: tuple[str, ...]) -> MutationReport:
    muts = mutations(challenge.solution, learner_lines(challenge), operators)
    report = MutationReport(challenge)
    equivalent = {e.mutation: e.why for e in challenge.equivalent}
    futures = {pool.submit(_grade_one, challenge, m, scratch, i): m for i, m in enumerate(muts)}
    done = 0
    results: dict[Mutation, str] = {}
    if progress:
        progress(challenge, 0, len(muts))
    for future in as_completed(futures):
        m = futures[future]
        try:
            results[m] = future.result()
        except Exception as exc:  # noqa: BLE001 - a crashed grading is not a kill
            results[m] = f"internal: {exc}"
        done += 1
        if progress:
            progress(challenge, done, len(muts))
    for m in muts:
        passed = results[m] == "pass"
        report.outcomes.append(Outcome(m, results[m], equivalent.get(m.key, "") if passed else ""))
    surviving = {m.key for m in muts if results[m] == "pass"}
    # an [[equivalent]] entry must name a mutant that survives: one that no longer exists, or that a check now
    # kills (so it was not equivalent after all), is stale
    report.stale = [k for k in equivalent if k not in surviving]
    return report
