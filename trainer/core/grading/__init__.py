"""Grading: run a challenge's hidden checks against a learner's file, safely and fast.

- ``grade(challenge, path)``: one verdict, forking from this (single-threaded) process.
- ``WarmGrader``: a persistent worker process for repeated gradings (the TUI, watch mode).

How a grading is sealed (a supervisor process that kills every process the learner starts,
a clock that counts only the learner's own code, resource verdicts that name the resource)
is described in ``sandbox``. Reasons a verdict can be "error" for are ``results.REASONS``.

Cancelling (the TUI): ``WarmGrader.cancel()`` stops the grading in flight at once. Its
process tree is killed, the worker stays warm, and the ``grade()`` call blocked on it
returns a verdict with reason "cancelled", which callers ignore (it is neither a pass nor
a fail of the learner's file, and must not be recorded). ``cancel()`` never blocks, is
safe from any thread, returns whether a grading was in flight, and cannot cancel a later
grading by mistake (it names the one in flight). So, in the TUI:

- before starting a new grading (a save, a key), call ``grader.cancel()``: the previous
  grading's thread returns at once and the new ``grade()`` gets the worker right away;
- when closing, ``grader.close()`` cancels the grading in flight itself before it stops the
  worker, so it returns within tens of milliseconds even during an endless loop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..catalog import Challenge
from ..results import ERROR, Verdict
from .sandbox import GradeRequest, Limits


def request_for(challenge: Challenge, path: os.PathLike[str] | str, limits: Limits | None = None,
                select: str | None = None) -> GradeRequest:
    limits = limits or Limits(timeout=challenge.timeout_seconds)
    return GradeRequest(checks=str(Path(challenge.checks_path).resolve()), learner=str(Path(path).resolve()),
                        challenge=challenge.id, limits=limits, select=select, subject=tuple(challenge.subject))


def grade(challenge: Challenge, path: os.PathLike[str] | str, limits: Limits | None = None) -> Verdict:
    """Grade ``path`` against ``challenge``'s hidden checks in a forked child."""
    from . import sandbox

    return sandbox.run(request_for(challenge, path, limits))


class WarmGrader:
    """A long-lived worker process (``python -m gradrill.core.grading.worker``).

    Thread-safe: one grading at a time (``grade`` blocks until it ends); ``cancel`` stops
    the one in flight from any thread. If the worker dies it is restarted on the next call.
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()  # one grading at a time
        self._write_lock = threading.Lock()  # requests and cancels share the worker's stdin
        self._next_id = 0
        self._current: int | None = None  # the id of the grading in flight

    def start(self) -> None:
        with self._lock:
            self._ensure()

    @property
    def pid(self) -> int | None:
        """The worker's process id, while it runs."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    @property
    def grading(self) -> bool:
        """Is a grading in flight?"""
        return self._current is not None

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
        """The verdict for ``path``; reason "cancelled" if ``cancel()`` stopped it (ignore that one)."""
        request = request_for(challenge, path, limits)
        with self._lock:
            try:
                proc = self._ensure()
                self._next_id += 1
                ident = self._current = self._next_id
                self._send({"id": ident, "request": request.to_dict()})
                wait = request.limits.timeout + request.limits.grader_timeout + 15
                answer = self._read_answer(proc, ident, wait)
            except (OSError, RuntimeError, ValueError) as exc:
                self._kill()
                return Verdict(ERROR, reason="internal", challenge=challenge.id,
                               message=f"the grading worker failed ({exc}); it will restart on the next check")
            finally:
                self._current = None
        return Verdict.from_dict(answer["verdict"])

    def cancel(self) -> bool:
        """Stop the grading in flight now, if any: True if there was one. Never blocks on it."""
        ident = self._current
        if ident is None:
            return False
        try:
            self._send({"cancel": ident})
        except (OSError, ValueError):
            return False
        return True

    def _send(self, message: dict) -> None:
        with self._write_lock:
            proc = self._proc
            if proc is None or proc.stdin is None:
                raise OSError("the grading worker is not running")
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()

    def _read_answer(self, proc: subprocess.Popen[str], ident: int, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while True:
            result: list[str] = []
            reader = threading.Thread(target=lambda into=result: into.append(proc.stdout.readline()), daemon=True)
            reader.start()
            reader.join(max(0.0, end - time.monotonic()))
            if not result or not result[0]:
                raise RuntimeError("no answer from the grading worker")
            answer = json.loads(result[0])
            if answer.get("id") == ident:
                return answer

    def _kill(self) -> None:
        if self._proc is not None:
            try:
                self._proc.kill()
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self._proc = None

    def close(self, timeout: float | None = None) -> None:
        """Stop the worker: cancel any grading in flight, then end the (idle) worker; by force
        if it is still busy after ``timeout`` seconds."""
        self.cancel()
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            self.kill()
            return
        try:
            # Idle now: every grading's processes are gone with its verdict, so ending the
            # worker at once loses nothing (and skips its interpreter's slow teardown).
            if self._proc is not None:
                try:
                    with self._write_lock:
                        self._proc.stdin.close()
                except OSError:
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
