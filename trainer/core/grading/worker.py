"""The warm grading worker: a single-threaded process that imports pytest once and forks a
fresh child for every grading request, so the TUI gets verdicts in tens of milliseconds.

Protocol (JSON lines): the worker prints ``{"ready": true}`` once warm; then for each
request line ``{"id": N, "request": {...GradeRequest...}}`` on stdin it prints
``{"id": N, "verdict": {...}}`` on stdout. EOF on stdin ends it.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    # Our protocol owns the real stdout; anything else that prints goes to stderr.
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    from . import harness, sandbox

    harness.prewarm()
    out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            request = sandbox.GradeRequest.from_dict(message["request"])
            verdict = sandbox.run(request).to_dict()
        except Exception as exc:  # noqa: BLE001 - report, keep serving
            message = message if isinstance(message, dict) else {}
            verdict = {"version": 3, "status": "error", "reason": "internal", "tests": [],
                       "message": f"grading worker: {type(exc).__name__}: {exc}"}
        out.write(json.dumps({"id": message.get("id"), "verdict": verdict}) + "\n")


if __name__ == "__main__":
    main()
