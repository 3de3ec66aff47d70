"""The warm grading worker: a single-threaded process that imports pytest once and forks a
fresh supervisor and grading child for every request, so the TUI gets verdicts in tens of
milliseconds.

Protocol (JSON lines): the worker prints ``{"ready": true, "pid": N}`` once warm; then for
each request line ``{"id": N, "request": {...GradeRequest...}}`` on stdin it prints
``{"id": N, "verdict": {...}}`` on stdout. A line ``{"cancel": N}`` stops grading N at once
if it is still in flight (its verdict is then reason "cancelled"); a cancel for a grading
already over is ignored. EOF on stdin cancels the grading in flight and ends the worker.
"""

from __future__ import annotations

import json
import os
import select
import sys
from collections import deque


class Channel:
    """The worker's stdin: requests, and cancels that may arrive while a grading runs.

    It is the ``sandbox.Cancel`` of the grading in flight (``current``): ``sandbox.run``
    polls it whenever stdin is readable.
    """

    def __init__(self, fd: int = 0) -> None:
        self.fd = fd
        self.buffer = b""
        self.queue: deque[dict] = deque()
        self.closed = False
        self.current = None  # the id of the grading in flight

    def fileno(self) -> int:
        return self.fd

    def _fill(self) -> None:
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            self.closed = True
            return
        *lines, self.buffer = (self.buffer + chunk).split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict):
                self.queue.append(message)

    def next(self) -> dict | None:
        """The next request (blocking); None at end of input."""
        while True:
            while self.queue:
                message = self.queue.popleft()
                if "cancel" not in message:  # a cancel here is for a grading already over
                    return message
            if self.closed:
                return None
            self._fill()

    def poll(self) -> bool:
        """Has a cancel for the grading in flight come (or the end of input)? Never blocks."""
        if not self.closed and select.select([self.fd], [], [], 0)[0]:
            self._fill()
        cancelled = any(m.get("cancel") == self.current for m in self.queue if "cancel" in m)
        self.queue = deque(m for m in self.queue if "cancel" not in m)
        return cancelled or self.closed


def main() -> None:
    # Our protocol owns the real stdout; anything else that prints goes to stderr.
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    from . import harness, sandbox

    harness.prewarm()
    channel = Channel(0)
    out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    while (message := channel.next()) is not None:
        channel.current = message.get("id")
        try:
            request = sandbox.GradeRequest.from_dict(message["request"])
            verdict = sandbox.run(request, cancel=channel).to_dict()
        except Exception as exc:  # noqa: BLE001 - report, keep serving
            verdict = {"version": 3, "status": "error", "reason": "internal", "tests": [],
                       "message": f"grading worker: {type(exc).__name__}: {exc}"}
        channel.current = None
        out.write(json.dumps({"id": message.get("id"), "verdict": verdict}) + "\n")


if __name__ == "__main__":
    main()
