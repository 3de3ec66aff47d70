"""Grade files again and again, each run in a fresh interpreter: a helper for the determinism tests.

    python tests/repeat_grading.py CASES.json GARBAGE

CASES.json lists [challenge_id, path] pairs. Before grading, the process allocates GARBAGE
objects of assorted sizes (and keeps them), so every grading child forks from a heap laid
out differently and the learner's Values get other addresses; the caller varies
PYTHONHASHSEED too. Prints one JSON line: for each case, [status, failing checks, messages]
(memory addresses in messages blanked; a run out of time is "timeout", with no checks or messages:
how long a grading takes on a busy machine is the grader's business, not the checks').
"""

from __future__ import annotations

import json
import re
import sys


def main() -> None:
    cases = json.loads(open(sys.argv[1]).read())
    garbage = [bytearray(16 * (k % 13 + 1)) for k in range(int(sys.argv[2]))]  # noqa: F841 - kept alive
    from gradrill.core import grading
    from gradrill.core.catalog import load_catalog
    from gradrill.core.grading.sandbox import Limits

    catalog = load_catalog(strict=False)
    out = []
    for challenge_id, path in cases:
        challenge = catalog.get(challenge_id)
        v = grading.grade(challenge, path, Limits(timeout=challenge.timeout_seconds * 6))
        failing = sorted(t.name for t in v.tests if t.status != "pass")
        text = "\n".join([v.message or ""] + [t.message or "" for t in v.tests if t.status != "pass"])
        status = "timeout" if v.reason == "timeout" else v.status  # a busy machine's, not the checks'
        out.append([status, failing if status != "timeout" else [], re.sub(r"0x[0-9a-f]+", "0x…", text)
                    if status != "timeout" else ""])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
