"""Grading: run a challenge's hidden checks against a learner's file, safely and fast.

- ``grade(challenge, path)``: one verdict, forking from this (single-threaded) process.
- ``WarmGrader``: a persistent worker process for repeated gradings (the TUI, watch mode).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from ..catalog import Challenge
from ..results import ERROR, Verdict
from .sandbox import GradeRequest, Limits


def request_for(challenge: Challenge, path: os.PathLike[str] | str, limits: Limits | None = None,
                select: str | None = None) -> GradeRequest:
    limits = limits or Limits(timeout=challenge.timeout_seconds)
    return GradeRequest(checks=str(challenge.checks_path), learner=str(Path(path).resolve()),
                        challenge=challenge.id, limits=limits, select=select)


def grade(challenge: Challenge, path: os.PathLike[str] | str, limits: Limits | None = None) -> Verdict:
    """Grade ``path`` against ``challenge``'s hidden checks in a forked child."""
    from . import sandbox

    return sandbox.run(request_for(challenge, path, limits))


class WarmGrader:
    """A long-lived worker process (``python -m gradrill.core.grading.worker``).

    Thread-safe: one grading at a time. If the worker dies it is restarted on the next call.
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._next_id = 0

    def start(self) -> None:
        with self._lock:
            self._ensure()

    def _ensure(self) -> subprocess.Popen[str]:
        if self._proc is None or self._proc.poll() is not None:
            env = dict(os.environ, PYTHONUNBUFFERED="1")
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "gradrill.core.grading.worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, env=env, start_new_session=True,
            )
            ready = self._proc.stdout.readline()
            if not ready:
                raise RuntimeError("the grading worker failed to start")
        return self._proc

    def grade(self, challenge: Challenge, path: os.PathLike[str] | str, limits: Limits | None = None) -> Verdict:
        request = request_for(challenge, path, limits)
        with self._lock:
            try:
                proc = self._ensure()
                self._next_id += 1
                proc.stdin.write(json.dumps({"id": self._next_id, "request": request.to_dict()}) + "\n")
                proc.stdin.flush()
                answer = self._read_answer(proc, request.limits.timeout + 10)
            except (OSError, RuntimeError, ValueError) as exc:
                self._kill()
                return Verdict(ERROR, reason="internal", challenge=challenge.id,
                               message=f"the grading worker failed ({exc}); it will restart on the next check")
        return Verdict.from_dict(answer["verdict"])

    def _read_answer(self, proc: subprocess.Popen[str], timeout: float) -> dict:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if not result or not result[0]:
            raise RuntimeError("no answer from the grading worker")
        return json.loads(result[0])

    def _kill(self) -> None:
        if self._proc is not None:
            try:
                self._proc.kill()
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self._proc = None

    def close(self, timeout: float | None = None) -> None:
        """Stop the worker: politely once any grading under way ends, or after ``timeout`` by force."""
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            self.kill()
            return
        try:
            if self._proc is not None:
                try:
                    self._proc.stdin.close()
                    self._proc.wait(timeout=2)
                except (OSError, subprocess.TimeoutExpired):
                    pass
                self._kill()
        finally:
            self._lock.release()

    def kill(self) -> None:
        """Kill the worker now, even mid-grading (that grading returns an error verdict)."""
        proc = self._proc
        if proc is not None:
            try:
                os.killpg(proc.pid, 9)
            except (ProcessLookupError, PermissionError):
                pass

    def __enter__(self) -> "WarmGrader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
