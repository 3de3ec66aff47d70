"""The app's side of the engine process (``runner``): start it, ask it things, kill it.

``EngineProcess.start()`` must run on a long-lived thread (the app's main thread): the
child asks the kernel to kill it when the thread that started it ends (PR_SET_PDEATHSIG),
so starting it from a short-lived worker thread would kill it at once. ``request`` may then
be called from any one thread at a time; it waits at most ``timeout`` seconds for the
answer, after which it kills the child's whole process group and raises ``EngineTimeout``.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time

START_TIMEOUT = 10.0


class EngineError(Exception):
    """The engine said no, in words for the learner. ``kind``: "engine", "diverged", "request", "dead"."""

    def __init__(self, message: str, kind: str = "engine"):
        super().__init__(message)
        self.kind = kind


class Superseded(EngineError):
    """The engine this work was for was replaced meanwhile (a new dataset, engine or network):
    nothing to report, nothing to keep."""

    def __init__(self) -> None:
        super().__init__("superseded by a newer engine", "superseded")


class EngineTimeout(EngineError):
    def __init__(self, message: str):
        super().__init__(message, "timeout")


class EngineProcess:
    def __init__(self, memory_mb: int = 1024, module: str = "gradrill.core.lab.runner"):
        self.memory_mb = memory_mb
        self.module = module
        self.proc: subprocess.Popen | None = None
        self._buffer = b""
        self._next_id = 0
        self._lock = threading.Lock()
        self._ready = False

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        """Spawn the child (quick); it finishes starting while the caller goes on."""
        cmd = [sys.executable, "-m", self.module, str(os.getpid()), str(self.memory_mb)]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                start_new_session=True, env=env, close_fds=True)
        # A request still in flight on the old process (killed just before: a new dataset or
        # engine) ends with it; only then does the new process take its place.
        with self._lock:
            self.proc = proc
            self._buffer = b""
            self._ready = False

    def request(self, cmd: str, timeout: float, **fields) -> dict:
        """Send one request and wait for its answer; raises ``EngineError`` / ``EngineTimeout``.
        Everything here concerns the process the request was sent to: if it dies, it is that
        one that is reported and killed, never a newer one started meanwhile."""
        with self._lock:
            proc = self.proc
            if proc is None:
                raise EngineError("the engine is not running", "dead")
            deadline = time.monotonic() + timeout
            if not self._ready:
                self._read_until(proc, lambda m: m.get("ready"), time.monotonic() + START_TIMEOUT,
                                 f"the engine process did not start within {START_TIMEOUT:g} s")
                self._ready = True
            self._next_id += 1
            ident = self._next_id
            line = json.dumps({"id": ident, "cmd": cmd, **fields}) + "\n"
            try:
                proc.stdin.write(line.encode())
                proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                raise self._died(proc) from None
            reply = self._read_until(proc, lambda m: m.get("id") == ident, deadline, None, cmd, timeout)
            if not reply.get("ok"):
                raise EngineError(reply.get("error") or "the engine failed", reply.get("kind", "engine"))
            return reply

    def _read_until(self, proc: subprocess.Popen, wanted, deadline: float, late: str | None, cmd: str = "",
                    timeout: float = 0.0) -> dict:
        try:
            fd = proc.stdout.fileno()
        except (OSError, ValueError):  # closed: the process was killed meanwhile
            raise self._died(proc) from None
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if isinstance(message, dict) and wanted(message):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._kill(proc)
                if late:
                    raise EngineTimeout(late)
                what = {"step": "one step", "init": "loading and building the network",
                        "graph": "one forward pass"}.get(cmd, cmd)
                raise EngineTimeout(f"your engine took more than {timeout:g} s for {what}: an endless loop? "
                                    f"The engine was stopped.")
            try:
                ready, _, _ = select.select([fd], [], [], remaining)
                if not ready:
                    continue
                chunk = os.read(fd, 1 << 16)
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                raise self._died(proc)
            self._buffer += chunk

    def _died(self, proc: subprocess.Popen) -> EngineError:
        code = None
        try:
            code = proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self._kill(proc)
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            why = "killed by SIGKILL: out of memory?" if name == "SIGKILL" else f"killed by {name}"
            return EngineError(f"the engine process died ({why})", "dead")
        return EngineError(f"the engine process ended (exit code {code}): os._exit() or sys.exit() in your file?",
                           "dead")

    def kill(self) -> None:
        """Kill the current process, from any thread. A request in flight on it sees it die and
        returns first; only then are its pipes closed: closed under that request, their
        descriptors could be reused at once by the next process's pipes, which the request
        would then read (and wait on, and eat the new process's "ready" from)."""
        proc = self.proc
        if proc is None:
            return
        self._signal(proc)
        with self._lock:
            self._kill(proc)

    @staticmethod
    def _signal(proc: subprocess.Popen) -> None:
        if proc.returncode is not None:  # reaped: its group id may belong to someone else now
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _kill(self, proc: subprocess.Popen | None) -> None:
        """Kill ``proc`` and its group; forget it if it is still the current process. The caller
        holds the lock (or no request can be in flight on ``proc``)."""
        if proc is None:
            return
        self._signal(proc)
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if self.proc is proc:
            self.proc = None

    def close(self) -> None:
        """Ask the child to quit, then make sure it is gone."""
        proc = self.proc
        if proc is None:
            return
        try:
            proc.stdin.write(b'{"cmd": "quit"}\n')
            proc.stdin.flush()
            proc.wait(timeout=0.5)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()
