"""Unified diffs for mutants: a mutant is its mistake, written as a patch on solution.py.

``make_patch`` writes one (``difflib``); ``apply_patch`` applies one exactly: every
context and removed line must match, or ``PatchError`` says where it does not.
"""

from __future__ import annotations

import difflib
import re

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


def apply_patch(base: str, patch: str) -> str:
    """``base`` with ``patch`` (a unified diff of it) applied."""
    source = base.splitlines(keepends=True)
    result: list[str] = []
    at = 0  # next line of source not yet copied
    last_tag = ""
    lines = patch.splitlines(keepends=True)
    i = 0
    while i < len(lines) and not lines[i].startswith("@@"):
        i += 1  # the ---/+++ header
    if i == len(lines):
        raise PatchError("no hunk (@@ ... @@) in the patch")
    while i < len(lines):
        match = HUNK.match(lines[i])
        if not match:
            raise PatchError(f"patch line {i + 1}: expected a hunk header, got {lines[i].rstrip()!r}")
        start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
        if start < at:
            raise PatchError(f"patch line {i + 1}: hunks overlap or are out of order")
        result.extend(source[at:start])
        at = start
        i += 1
        while i < len(lines) and not lines[i].startswith("@@"):
            line = lines[i]
            tag, text = line[:1], line[1:]
            if line.strip() == "":  # an empty context line whose leading space an editor stripped
                tag, text = " ", "\n"
            if line.startswith("\\"):  # "\ No newline at end of file": about the line before
                if last_tag in " +" and result and result[-1].endswith("\n"):
                    result[-1] = result[-1][:-1]
                i += 1
                continue
            if tag in " -":
                expected = source[at] if at < len(source) else None
                if expected is None or expected.rstrip("\n") != text.rstrip("\n"):
                    raise PatchError(f"patch line {i + 1}: solution.py line {at + 1} is "
                                     f"{(expected or '<end of file>').rstrip()!r}, the patch expects {text.rstrip()!r}")
                if tag == " ":
                    result.append(source[at])
                at += 1
            elif tag == "+":
                result.append(text)
            else:
                raise PatchError(f"patch line {i + 1}: a line must start with ' ', '-', '+' or '@@'")
            last_tag = tag
            i += 1
    result.extend(source[at:])
    return "".join(result)
