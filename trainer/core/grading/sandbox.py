"""Run one grading in a forked child with time, memory and output limits.

The parent never runs learner code. It forks; the child sets its limits, moves its
stdout/stderr to a size-capped scratch file, imports the learner's file and runs the
hidden checks (see ``harness``), reporting each event over a private pipe. The parent
reads that pipe until the child finishes or the wall-clock limit passes, when it kills
the child's whole process group. Whatever happened, the parent builds a ``Verdict``.

The process that forks must be single-threaded: the CLI is, and so is the warm worker
(``worker.py``) that the TUI talks to.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import select
import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..results import ERROR, FAIL, PASS, SKIP, CheckResult, Verdict, truncate
from . import harness


@dataclass(frozen=True)
class Limits:
    timeout: float = 5.0  # wall-clock seconds for the whole run
    memory_mb: int = 1024  # address space the learner may add to the grader's own
    output_bytes: int = 1 << 20  # per output file (each check's capture, and stray output)


@dataclass(frozen=True)
class GradeRequest:
    checks: str
    learner: str
    challenge: str | None = None
    limits: Limits = Limits()
    select: str | None = None  # a pytest -k expression, to run some checks only

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "GradeRequest":
        data = dict(data)
        data["limits"] = Limits(**data.get("limits", {}))
        return cls(**data)


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _set_limits(limits: Limits) -> None:
    os.setpgid(0, 0)
    if limits.memory_mb:
        cap = _vm_bytes() + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over-long writes fail with EFBIG instead
    cpu = int(limits.timeout) + 2
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard if hard != resource.RLIM_INFINITY else cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _close_inherited_fds(keep: int) -> None:
    """Close every descriptor the forking process had (its pipes to the TUI, say) but ``keep``."""
    top = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    top = 65536 if top == resource.RLIM_INFINITY or top > 65536 else top
    os.closerange(3, keep)
    os.closerange(keep + 1, top)


def _die_with_parent() -> None:
    """Linux: if the forking process dies (a killed worker), the grading child dies too."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(request: GradeRequest, write_fd: int, nonce: str, scratch: str) -> None:
    _close_inherited_fds(write_fd)
    _die_with_parent()
    os.chdir(scratch)
    output_fd = os.open(os.path.join(scratch, "output.txt"), os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    harness.silence_std_streams(output_fd)
    _set_limits(request.limits)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    emit = harness.Emitter(write_fd, nonce)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    payload = {"checks": request.checks, "learner": request.learner, "memory_mb": request.limits.memory_mb,
               "output_bytes": request.limits.output_bytes, "select": request.select}
    try:
        harness.child_main(payload, emit, output_fd)
    except BaseException as exc:  # noqa: BLE001
        try:
            emit("internal_error", message=f"{type(exc).__name__}: {exc}")
        except BaseException:  # noqa: BLE001
            pass


def run(request: GradeRequest) -> Verdict:
    """Grade in a forked child; always returns a verdict, never raises for learner mistakes."""
    started = time.perf_counter()
    learner = Path(request.learner)
    if not learner.is_file():
        return Verdict(ERROR, reason="missing", challenge=request.challenge,
                       message=f"no file at {learner}: run `gradrill start {request.challenge or 'ID'}` first")
    harness.prewarm()
    nonce = secrets.token_hex(16)
    scratch = tempfile.mkdtemp(prefix="gradrill-")
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read_fd)
            _child(request, write_fd, nonce, scratch)
        except BaseException:  # noqa: BLE001
            code = 70
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        return _collect(request, pid, read_fd, nonce, started)
    finally:
        os.close(read_fd)
        _remove_tree(scratch)


def _collect(request: GradeRequest, pid: int, read_fd: int, nonce: str, started: float) -> Verdict:
    limits = request.limits
    deadline = started + limits.timeout
    verdict = Verdict(PASS, challenge=request.challenge)
    buffer = b""
    running: tuple[str, float] | None = None  # the check under way, and when it began
    finished = load_failed = timed_out = False
    internal: str | None = None

    def handle(event: dict) -> None:
        nonlocal running, finished, load_failed, internal
        kind = event.get("event")
        if kind == "loaded":
            verdict.output = truncate(event.get("output"))
        elif kind == "load_error":
            load_failed = True
            verdict.status, verdict.reason = ERROR, event.get("reason", "import")
            verdict.message = event.get("message")
            verdict.output = truncate(event.get("output"))
        elif kind == "start":
            running = (event["name"], time.perf_counter())
        elif kind == "check":
            running = None
            verdict.tests.append(CheckResult(
                name=event["name"], description=event.get("description") or "", status=event["status"],
                message=event.get("message"), output=truncate(event.get("output")),
                task_id=event.get("task_id"), duration_ms=event.get("duration_ms") or 0.0))
        elif kind == "collect_error":
            internal = "the hidden checks could not be collected:\n" + event.get("message", "")
        elif kind == "internal_error":
            internal = event.get("message")
        elif kind == "done":
            finished = True

    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and event.get("nonce") == nonce:
                handle(event)

    if timed_out:
        _kill_group(pid)
    status = _reap(pid)
    verdict.duration_ms = (time.perf_counter() - started) * 1000

    if load_failed:
        return verdict
    if internal and not timed_out:
        verdict.status, verdict.reason, verdict.message = ERROR, "internal", internal
        return verdict
    if timed_out or not finished:
        reason, message = _abnormal_end(timed_out, status, limits, running)
        if running:
            verdict.tests.append(CheckResult(name=running[0], status=ERROR, message=message))
        verdict.status, verdict.reason, verdict.message = ERROR, reason, message
        return verdict
    if not verdict.tests:
        verdict.status, verdict.reason = ERROR, "internal"
        verdict.message = "no checks ran: the challenge's checks.py defines no test_ functions"
        return verdict
    verdict.status = PASS if all(t.status in (PASS, SKIP) for t in verdict.tests) else FAIL
    return verdict


def _abnormal_end(timed_out: bool, status: int, limits: Limits, running) -> tuple[str, str]:
    where = f" in check '{running[0]}'" if running else " while loading your file"
    if timed_out:
        return "timeout", (f"time limit exceeded: still running after {limits.timeout:g} s{where}. "
                           "An infinite loop, or a graph walk that never ends?")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return "timeout", f"CPU time limit exceeded{where}. An infinite loop?"
        if sig == signal.SIGSEGV:
            return "crash", (f"the process crashed (segmentation fault){where}: usually a runaway "
                             "recursion after raising sys.setrecursionlimit")
        if sig == signal.SIGKILL:
            return "memory", f"the process was killed{where}: memory limit ({limits.memory_mb} MB) exceeded?"
        return "crash", f"the process was killed by signal {signal.Signals(sig).name}{where}"
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    return "exit", (f"your code ended the process (exit code {code}){where}: "
                    "os._exit(), os.kill() or similar stops the checks before they report")


def _kill_group(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


def _reap(pid: int) -> int:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return 0
    try:  # anything the learner's code left running in the group goes too
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return status


def _remove_tree(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
