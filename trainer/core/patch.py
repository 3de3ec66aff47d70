"""Unified diffs for mutants: a mutant is its mistake, written as a patch on the solution.

``make_patch`` writes one (``difflib``); ``apply_patch`` applies one the way ``patch`` does: each
hunk's context and removed lines must match the text exactly, but where they stand may have
moved (lines added or removed above them): the hunk goes to the matching place nearest to where
it says it belongs. When its lines stand nowhere in the text, ``PatchError`` says which line
differs where the hunk was expected.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(ValueError):
    pass


def make_patch(base: str, changed: str, name: str = "solution.py", context: int = 2) -> str:
    lines = difflib.unified_diff(base.splitlines(keepends=True), changed.splitlines(keepends=True),
                                 fromfile=name, tofile=name, n=context)
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


@dataclass
class _Hunk:
    header_line: int  # 1-based line of the @@ header in the patch
    start: int  # 0-based line of the base where the hunk says it starts
    old: list[tuple[int, str]] = field(default_factory=list)  # (patch line, text) of context and removed lines
    ops: list[tuple[str, str]] = field(default_factory=list)  # (tag, text) in order: ' ', '-', '+'
    no_newline_at_end: bool = False  # the hunk's last new line has no newline (the file's end)


def _parse(patch: str) -> list[_Hunk]:
    lines = patch.splitlines(keepends=True)
    i = 0
    while i < len(lines) and not lines[i].startswith("@@"):
        i += 1  # the ---/+++ header
    if i == len(lines):
        raise PatchError("no hunk (@@ ... @@) in the patch")
    hunks: list[_Hunk] = []
    last_tag = ""
    while i < len(lines):
        match = HUNK.match(lines[i])
        if not match:
            raise PatchError(f"patch line {i + 1}: expected a hunk header, got {lines[i].rstrip()!r}")
        hunk = _Hunk(i + 1, int(match.group(1)) - (0 if match.group(2) == "0" else 1))
        hunks.append(hunk)
        i += 1
        while i < len(lines) and not lines[i].startswith("@@"):
            line = lines[i]
            tag, text = line[:1], line[1:]
            if line.startswith("\\"):  # "\ No newline at end of file": about the line before
                if last_tag in " +":
                    hunk.no_newline_at_end = True
                i += 1
                continue
            if line.strip() == "":  # an empty context line whose leading space an editor stripped
                tag, text = " ", "\n"
            if tag not in " -+":
                raise PatchError(f"patch line {i + 1}: a line must start with ' ', '-', '+' or '@@'")
            hunk.ops.append((tag, text))
            if tag in " -":
                hunk.old.append((i + 1, text))
            last_tag = tag
            i += 1
    return hunks


def _matches(source: list[str], at: int, old: list[tuple[int, str]]) -> bool:
    if at < 0 or at + len(old) > len(source):
        return False
    return all(source[at + k].rstrip("\n") == text.rstrip("\n") for k, (_, text) in enumerate(old))


def _find(source: list[str], want: int, lowest: int, old: list[tuple[int, str]]) -> int | None:
    """The position at or after ``lowest`` nearest to ``want`` where ``old`` matches."""
    if not old:
        return max(want, lowest)
    for distance in range(len(source) + 1):
        for at in (want - distance, want + distance) if distance else (want,):
            if at >= lowest and _matches(source, at, old):
                return at
    return None


def _mismatch(source: list[str], at: int, old: list[tuple[int, str]]) -> str:
    for k, (patch_line, text) in enumerate(old):
        expected = source[at + k] if 0 <= at + k < len(source) else None
        if expected is None or expected.rstrip("\n") != text.rstrip("\n"):
            return (f"patch line {patch_line}: solution.py line {at + k + 1} is "
                    f"{(expected or '<end of file>').rstrip()!r}, the patch expects {text.rstrip()!r}, "
                    "and the hunk's lines stand nowhere else in the file")
    return "the hunk does not fit"


def apply_patch(base: str, patch: str) -> str:
    """``base`` with ``patch`` (a unified diff of it, or of an earlier version of it) applied."""
    source = base.splitlines(keepends=True)
    result: list[str] = []
    at = 0  # next line of source not yet copied
    offset = 0  # how far the previous hunk moved from where it said it belonged
    for hunk in _parse(patch):
        want = hunk.start + offset
        found = _find(source, want, at, hunk.old)
        if found is None:
            raise PatchError(_mismatch(source, max(want, at), hunk.old))
        offset = found - hunk.start
        result.extend(source[at:found])
        at = found
        for tag, text in hunk.ops:
            if tag == " ":
                result.append(source[at])
                at += 1
            elif tag == "-":
                at += 1
            else:
                result.append(text)
        if hunk.no_newline_at_end and result and result[-1].endswith("\n"):
            result[-1] = result[-1][:-1]
    result.extend(source[at:])
    return "".join(result)
