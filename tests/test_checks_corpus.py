"""Files from a held-out corpus of learner answers, each graded against its challenge.

Every case was graded wrongly once (a wrong file passed, a right one failed, or a message
misled); each must now get its verdict, with the key phrase in a failure message for a
wrong file (and none of the misleading phrases).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gradrill.core import grading
from gradrill.core.catalog import load_catalog
from gradrill.core.grading.sandbox import Limits

CATALOG = load_catalog(strict=False)
CORPUS = Path(__file__).parent / "fixtures" / "corpus"

# (challenge, file, verdict, phrase a failure message must contain, phrases no message may contain)
CASES = [
    # wrong code that passed
    ("topo-sort", "bfs_reversed", "fail", "before one of its children", ()),
    ("backward", "bfs_reversed", "fail", "reversed(topo)", ()),
    ("neuron", "relu_leaks", "fail", "relu", ()),
    ("layer", "relu_leaks", "fail", "relu", ()),
    ("div-neg-sub", "add_assigns", "fail", "+=", ()),
    ("mlp", "add_assigns", "fail", "+=", ()),
    ("zero-grad", "add_assigns", "fail", "+=", ()),
    # right code that failed
    ("value-forward", "repr_four_places", "pass", "", ()),
    ("backward", "leaf_backward_none", "pass", "", ()),
    ("backward-blank", "leaf_backward_none", "pass", "", ()),
    ("training-loop", "karpathy_library", "pass", "", ()),
    ("training-blank", "karpathy_library", "pass", "", ()),
    ("max-margin-moons", "values_in_model", "pass", "", ()),
    # messages that misled
    ("engine-blank", "children_named_otherwise", "pass", "", ("expected a Value",)),
    ("backward-blank", "data_named_otherwise", "fail", "no `.data`", ("is None", "expected a Value")),
]


def messages(verdict) -> str:
    return "\n".join([verdict.message or ""] + [t.message or "" for t in verdict.tests if t.status != "pass"])


@pytest.mark.parametrize("challenge_id,name,want,phrase,never", CASES,
                         ids=[f"{c}-{n}" for c, n, *_ in CASES])
def test_corpus_file_gets_its_verdict(challenge_id, name, want, phrase, never):
    challenge = CATALOG.get(challenge_id)
    # a generous clock: these verdicts are about the checks, not about the speed of a busy machine
    verdict = grading.grade(challenge, CORPUS / challenge_id / f"{name}.py", Limits(timeout=challenge.timeout_seconds * 6))
    text = messages(verdict)
    assert verdict.status == want, f"{challenge_id}/{name}: {verdict.status}, expected {want}\n{text}"
    assert phrase in text, f"{challenge_id}/{name}: no message names {phrase!r}:\n{text}"
    for bad in never:
        assert bad not in text, f"{challenge_id}/{name}: a message says {bad!r}:\n{text}"
