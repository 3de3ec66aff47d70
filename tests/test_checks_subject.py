"""A challenge's `subject` lists everything its checks use from the learner's file, and nothing else.

- the static part: every name the checks fetch from the learner's module (`need(learner, "X")`,
  `getattr(learner, "X")`) is in `subject`;
- each subject item is demanded: the solution without it fails, with a message that names it;
- optional parts of a Value (tanh, exp, relu, log) that `subject` does not list are not demanded:
  the solution without one (when the learner's own lines do not use it) still passes; a whole-library
  file without tanh (Karpathy's) must pass every challenge whose subject it defines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from gradrill.core import grading
from gradrill.core.catalog import load_catalog
from gradrill.core.grading.sandbox import Limits

CATALOG = load_catalog(strict=False)
FETCH = re.compile(r"""(?:need|getattr|build)\(learner,\s*["'](\w+)["']""")
OPTIONAL = ("tanh", "exp", "relu", "log")


def heads(subject) -> set[str]:
    return {re.split(r"[.(]", token)[0] for token in subject}


@pytest.mark.parametrize("challenge_id", [c.id for c in CATALOG])
def test_names_the_checks_fetch_are_in_subject(challenge_id):
    c = CATALOG.get(challenge_id)
    fetched = set(FETCH.findall(c.checks_path.read_text()))
    missing = fetched - heads(c.subject)
    assert not missing, f"{challenge_id}: the checks fetch {sorted(missing)} from the learner's file, but " \
                        f"subject is {list(c.subject)}"


def without(source: str, token: str) -> str | None:
    """``source`` with the definition ``token`` names (``f``, ``Value.tanh``) deleted; None if it has none."""
    tree = ast.parse(source)
    name, _, attr = token.partition(".")
    body = tree.body
    target = None
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            target = node
    if target is None:
        return None
    if attr:
        if not isinstance(target, ast.ClassDef):
            return None
        target = next((n for n in target.body if isinstance(n, ast.FunctionDef) and n.name == attr), None)
        if target is None:
            return None
    first = min([d.lineno for d in target.decorator_list] + [target.lineno])
    lines = source.splitlines(keepends=True)
    return "".join(lines[:first - 1] + lines[target.end_lineno:])


def grade(challenge, source: str, tmp_path: Path):
    path = tmp_path / challenge.file_name
    path.write_text(source)
    return grading.grade(challenge, path, Limits(timeout=challenge.timeout_seconds * 6))


def messages(v) -> str:
    return "\n".join([v.message or ""] + [t.message or "" for t in v.tests if t.status != "pass"])


def _removals():
    for c in CATALOG:
        for token in c.subject:
            if token == "Value" or "(" in token:
                continue
            if without(c.solution, token) is not None:
                yield pytest.param(c.id, token, id=f"{c.id}-{token}")


@pytest.mark.slow
@pytest.mark.parametrize("challenge_id,token", list(_removals()))
def test_each_subject_item_is_demanded(challenge_id, token, tmp_path):
    c = CATALOG.get(challenge_id)
    v = grade(c, without(c.solution, token), tmp_path)
    name = token.split(".")[-1]
    assert not v.passed, f"{challenge_id}: the solution without {token} passes: why is it in subject?"
    assert name in messages(v), f"{challenge_id}: without {token}, no message names `{name}`:\n{messages(v)}"


def without_optional(source: str, feature: str) -> str | None:
    """``source`` without ``Value.<feature>``, if the rest of the file never uses it; for tanh, the library's
    form: tanh gone and every `.tanh()` made `.relu()` (when the file has relu). None if not applicable."""
    rest = without(source, f"Value.{feature}")
    if rest is None:
        return None
    if feature == "tanh" and "def relu" in rest:
        rest = rest.replace(".tanh()", ".relu()")
    # only a feature the file itself never uses: what breaks without it is then a demand of the checks
    return None if re.search(rf"\.{feature}\(", rest) else rest


def _optional():
    for c in CATALOG:
        if c.kind not in ("fill-in", "exercise"):
            continue
        for feature in OPTIONAL:
            if f"Value.{feature}" not in c.subject and without_optional(c.solution, feature) is not None:
                yield pytest.param(c.id, feature, id=f"{c.id}-Value.{feature}")


@pytest.mark.slow
@pytest.mark.parametrize("challenge_id,feature", list(_optional()))
def test_what_subject_does_not_list_is_not_demanded(challenge_id, feature, tmp_path):
    c = CATALOG.get(challenge_id)
    v = grade(c, without_optional(c.solution, feature), tmp_path)
    assert v.passed, f"{challenge_id}: the solution without Value.{feature} (not in subject) fails:\n{messages(v)}"
