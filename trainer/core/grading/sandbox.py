"""Run one grading in a sealed process tree, with time, memory and output limits.

    grader (the CLI, or the warm worker)   never runs learner code; reads the reports
      supervisor (``supervisor.py``)       a child subreaper: kills and reaps every
        grading child (``harness.py``)     descendant before it reports and exits
          whatever the learner's code starts

The grading child sets its limits, moves its stdout/stderr to a size-capped scratch file,
imports the learner's file and runs the hidden checks, reporting each event over a private
pipe (see ``harness``). The supervisor waits for it, kills whatever the learner's code
left running, and reports the child's exit status and peak memory over a second pipe. The
grader stops reading when the supervisor has reported, never on end-of-file (which a
process the learner started could hold back). Whatever happened, the grader builds a
``Verdict``.

Time: the learner's limit (``Limits.timeout``) counts the learner's own code only (from
the child's ``loading`` event to ``loaded``, and from each check's ``start`` to its
``check``), and counts its CPU time: a busy machine slows a correct file down but does not
make it fail. Code that waits rather than computes meets a second limit, twice as long, on
its wall-clock time less the time it waited for a CPU. gradrill's own work (forking,
pytest collecting the checks, the gaps between checks) has its own, generous wall-clock
limit (``Limits.grader_timeout``): meeting it is reason "overloaded", never the learner's
infinite loop. The CPU-time rlimit is a backstop well above all of them.

Nothing the learner's code does reaches the grader: killing its parent kills the
supervisor, and the verdict says so (reason "signal", naming the signal); the grader is a
child subreaper too, and kills the orphans. A ``Cancel`` (the warm worker's stdin) can stop
a grading in flight: its tree is killed at once, and the verdict is reason "cancelled".

The process that forks must be single-threaded: the CLI is, and so is the warm worker
(``worker.py``) that the TUI talks to.
"""

from __future__ import annotations

import gc
import json
import math
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
from typing import Protocol

from ..results import ERROR, FAIL, PASS, SKIP, CheckResult, Verdict, truncate
from . import harness, supervisor

GRACE = 5.0  # seconds the supervisor gets to clean up and report once told to stop
STALLED = 2  # the learner's code may wait (sleep, block) this many times its time limit
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CRASH_SIGNALS = {signal.SIGSEGV: "segmentation fault", signal.SIGBUS: "bus error", signal.SIGABRT: "abort",
                 signal.SIGILL: "illegal instruction", signal.SIGFPE: "arithmetic fault"}


@dataclass(frozen=True)
class Limits:
    timeout: float = 5.0  # seconds of the learner's own code (importing it, the checks), in CPU time
    memory_mb: int = 1024  # address space the learner may add to the grader's own
    output_bytes: int = 1 << 20  # per output file (each check's capture, stray output, any file written)
    grader_timeout: float = 60.0  # wall-clock seconds of gradrill's own work in one grading


@dataclass(frozen=True)
class GradeRequest:
    checks: str
    learner: str
    challenge: str | None = None
    limits: Limits = Limits()
    select: str | None = None  # a pytest -k expression, to run some checks only
    subject: tuple[str, ...] = ()  # the challenge's subject: a file defining none of it gets one sentence

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "GradeRequest":
        data = dict(data)
        data["limits"] = Limits(**data.get("limits", {}))
        data["subject"] = tuple(data.get("subject") or ())
        return cls(**data)


class Cancel(Protocol):
    """What ``run`` watches for a request to stop the grading in flight (the warm worker's stdin)."""

    def fileno(self) -> int:
        """A descriptor that becomes readable when a cancel may have arrived."""

    def poll(self) -> bool:
        """Called once at the start and whenever ``fileno()`` is readable: True cancels the grading."""


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
    # A backstop: the wall clock of the learner's code stops an endless loop long before, and
    # a correct file never comes near it, however busy the machine.
    cpu = math.ceil(limits.timeout * 2) + 5
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard if hard != resource.RLIM_INFINITY else cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(request: GradeRequest, write_fd: int, nonce: str, scratch: str) -> None:
    # Everything inherited from the grader is frozen first: the collector then never walks it
    # (a collection, or ``gc.get_objects()``, would touch every page of a large parent's heap
    # and copy it), and what is not frozen is what the grading itself made.
    gc.freeze()
    supervisor.close_inherited_fds({write_fd})
    supervisor.prctl(supervisor.PR_SET_PDEATHSIG, signal.SIGKILL)  # dies with the supervisor
    os.chdir(scratch)
    output_fd = os.open(os.path.join(scratch, "output.txt"), os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    harness.silence_std_streams(output_fd)
    _set_limits(request.limits)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    emit = harness.Emitter(write_fd, nonce)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    payload = {"checks": request.checks, "learner": request.learner, "memory_mb": request.limits.memory_mb,
               "output_bytes": request.limits.output_bytes, "select": request.select,
               "subject": list(request.subject), "challenge": request.challenge}
    try:
        harness.child_main(payload, emit, output_fd)
    except BaseException as exc:  # noqa: BLE001
        try:
            emit("internal_error", message=f"{type(exc).__name__}: {exc}")
        except BaseException:  # noqa: BLE001
            pass


_subreaper_tried = False


def _become_subreaper() -> None:
    """The grader adopts the orphans if the learner's code kills the supervisor (once per process)."""
    global _subreaper_tried
    if not _subreaper_tried:
        _subreaper_tried = True
        supervisor.prctl(supervisor.PR_SET_CHILD_SUBREAPER, 1)


def run(request: GradeRequest, cancel: Cancel | None = None) -> Verdict:
    """Grade in a sealed process tree; always returns a verdict, never raises for learner mistakes."""
    started = time.monotonic()
    learner = Path(request.learner)
    if not learner.is_file():
        return Verdict(ERROR, reason="missing", challenge=request.challenge,
                       message=f"no file at {learner}: run `gradrill start {request.challenge or 'ID'}` first")
    harness.prewarm()
    _become_subreaper()
    nonce = secrets.token_hex(16)
    scratch = tempfile.mkdtemp(prefix="gradrill-")
    report_r, report_w = os.pipe()
    status_r, status_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the supervisor
        code = 70
        try:
            os.close(report_r)
            os.close(status_r)
            supervisor.close_inherited_fds({report_w, status_w})
            supervisor.supervise(lambda: _child(request, report_w, nonce, scratch), status_w, parent,
                                 close_after_fork=(report_w,))
            code = 0
        finally:
            os._exit(code)
    os.close(report_w)
    os.close(status_w)
    grading = _Grading(request, pid, report_r, status_r, nonce, started, cancel)
    try:
        grading.collect()
    finally:
        grading.finish()
        os.close(report_r)
        os.close(status_r)
        _remove_tree(scratch)
    return grading.verdict_()



def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


class _LearnerClock:
    """The learner's code's time, over all its phases (its import, each check)."""

    def __init__(self) -> None:
        self.cpu = self.own = self.wall = 0.0  # used in the phases that ended
        self.cpu_start: float | None = None  # the child's CPU time when this phase began
        self.cpu_seen: float | None = None  # ... when last read
        self.seen_at = 0.0  # ... at this time
        self.wait_start: float | None = None  # its time spent waiting for a CPU, when this phase began
        self.wait_seen: float | None = None  # ... when last read

    def start(self, t: float, cpu: float | None, wait: float | None) -> None:
        self.cpu_start = self.cpu_seen = cpu
        self.wait_start = self.wait_seen = wait
        self.seen_at = t

    def seen(self, cpu: float | None, wait: float | None, at: float) -> None:
        if cpu is not None:
            self.cpu_seen, self.seen_at = cpu, at
        if wait is not None:
            self.wait_seen = wait

    def _phase(self, elapsed: float, now: float | None = None) -> tuple[float | None, float]:
        """(CPU time, wall-clock time less CPU wait) of the phase under way. With ``now``, the
        CPU time assumes the worst since it was last read: one second a second."""
        cpu = None
        if self.cpu_start is not None and self.cpu_seen is not None:
            cpu = max(0.0, self.cpu_seen - self.cpu_start) + (max(0.0, now - self.seen_at) if now else 0.0)
        waited = 0.0
        if self.wait_start is not None and self.wait_seen is not None:
            waited = max(0.0, self.wait_seen - self.wait_start)
        return cpu, max(0.0, elapsed - waited)

    def stop(self, t: float, cpu: float | None, wait: float | None, phase_start: float) -> None:
        self.seen(cpu, wait, t)
        phase_cpu, own = self._phase(t - phase_start)
        self.cpu += own if phase_cpu is None else phase_cpu
        self.own += own
        self.wall += t - phase_start

    def left(self, elapsed: float, now: float, limits: Limits) -> tuple[float, str]:
        """The tightest budget: (seconds left, which). The learner's code cannot use more than
        a second of any budget a second, so it cannot run out before that many seconds pass."""
        cpu, own = self._phase(elapsed, now)
        return min((limits.timeout - self.cpu - (own if cpu is None else cpu), "cpu"),
                   (STALLED * limits.timeout - self.own - own, "stalled"),
                   (limits.timeout + limits.grader_timeout - self.wall - elapsed, "overloaded"))


def _cpu_seconds(pid: int) -> float | None:
    """CPU time ``pid`` has used, all its threads (from /proc, in clock ticks)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        fields = data[data.rfind(b")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


def _run_delay(pid: int) -> float | None:
    """Seconds ``pid`` has spent runnable but waiting for a CPU."""
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def _start_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        return int(data[data.rfind(b")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


class _Grading:
    """The grader's side of one grading: reads both pipes, keeps the two clocks, stops the run
    when a limit is met or a cancel comes, and builds the verdict."""

    def __init__(self, request: GradeRequest, supervisor_pid: int, report_fd: int, status_fd: int, nonce: str,
                 started: float, cancel: Cancel | None) -> None:
        self.request, self.limits = request, request.limits
        self.supervisor = supervisor_pid
        self.supervisor_start = _start_ticks(supervisor_pid)
        self.report_fd, self.status_fd = report_fd, status_fd
        self.nonce, self.started, self.cancel = nonce, started, cancel
        self.buffers = {report_fd: b"", status_fd: b""}
        self.open = {report_fd, status_fd}  # pipes not at end-of-file
        self.verdict = Verdict(PASS, challenge=request.challenge)
        self.child: int | None = None  # the grading child's pid
        self.final: dict | None = None  # the supervisor's last report
        self.supervisor_status: int | None = None
        self.stopped: str | None = None  # why the grader stopped the run: "timeout", "overloaded", "cancelled"
        self.stop_phase: str | None = None  # ... and whose clock was running then
        # what the grading child reported
        self.loaded = self.load_failed = self.finished = False
        self.running: str | None = None  # the check under way
        self.collected: list[str] | None = None
        self.exit_code: int | None = None
        self.internal: str | None = None
        self.interrupted: str | None = None
        # the clocks: the learner's code (see _budget), and gradrill's own work
        self.phase = "grader"
        self.phase_start = started
        self.grader_used = 0.0
        self.learner = _LearnerClock()
        self.expired: str | None = None  # which of the learner's limits was met: "cpu", "stalled", "overloaded"

    # -- clocks --------------------------------------------------------------------------
    #
    # While the learner's code runs (its import, each check) three budgets count down:
    # - its CPU time (the child's, all threads) against ``timeout``: a busy machine, or one
    #   whose hypervisor steals time, slows the learner's code down but does not use up its
    #   time, and an endless loop meets it exactly as on an idle machine;
    # - its wall-clock time minus the time it waited for a CPU, against ``STALLED * timeout``:
    #   code that sleeps or waits (on a lock, on a process it started) uses no CPU;
    # - plain wall-clock time against ``timeout + grader_timeout``: a machine so busy that
    #   the learner's code cannot get its time is "overloaded", not the learner's fault.
    # gradrill's own work is plain wall-clock time against ``grader_timeout``.

    def _enter(self, phase: str, event: dict) -> None:
        now = time.monotonic()
        t = event.get("t")
        t = now if not isinstance(t, (int, float)) else min(max(t, self.phase_start), now)
        if phase == self.phase:
            return
        if self.phase == "learner":
            self.learner.stop(t, _number(event.get("cpu")), _number(event.get("wait")), self.phase_start)
        else:
            self.grader_used += t - self.phase_start
            self.learner.start(t, _number(event.get("cpu")), _number(event.get("wait")))
        self.phase, self.phase_start = phase, t

    def _budget(self) -> tuple[float, str]:
        """Seconds left on the clock that runs now, and which limit that is."""
        now = time.monotonic()
        elapsed = now - self.phase_start
        if self.phase == "learner":
            return self.learner.left(elapsed, now, self.limits)
        return self.limits.grader_timeout - self.grader_used - elapsed, "overloaded"

    def _refresh(self) -> None:
        """Read the learner clock's CPU time and CPU wait afresh from /proc."""
        if self.phase == "learner" and self.child:
            self.learner.seen(_cpu_seconds(self.child), _run_delay(self.child), time.monotonic())

    # -- reading -------------------------------------------------------------------------

    def collect(self) -> None:
        if self.cancel is not None and self.cancel.poll():
            self._stop("cancelled")
        while not self.stopped and self.final is None and self.status_fd in self.open:
            wait, why = self._budget()
            if wait <= 0:
                self._drain()  # a busy grader may have read late: what the child already sent counts
                self._refresh()  # the learner's code may have used less than wall-clock time
                wait, why = self._budget()
                if self.final is None and self.status_fd in self.open and wait <= 0:
                    self.expired = why
                    self._stop("overloaded" if why == "overloaded" else "timeout")
                continue
            fds = list(self.open) + ([self.cancel.fileno()] if self.cancel is not None else [])
            ready, _, _ = select.select(fds, [], [], wait)
            for fd in ready:
                if fd in self.open:
                    self._read(fd)
            if self.cancel is not None and self.cancel.fileno() in ready and self.cancel.poll():
                self._stop("cancelled")

    def _read(self, fd: int) -> None:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            self.open.discard(fd)
            return
        *lines, self.buffers[fd] = (self.buffers[fd] + chunk).split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if fd == self.status_fd:
                self._status(message)
            elif message.get("nonce") == self.nonce:
                if self.child is None and message.get("event") == "loading":
                    self.child = message.get("pid")  # before the supervisor's word on it, if that is late
                if message.get("pid") == self.child:  # not a copy the learner's code forked
                    self._event(message)

    def _drain(self) -> None:
        while self.open:
            ready, _, _ = select.select(list(self.open), [], [], 0)
            if not ready:
                return
            for fd in ready:
                self._read(fd)

    def _status(self, message: dict) -> None:
        if "child" in message:
            self.child = message["child"]  # the supervisor knows best
        elif "status" in message:
            self.final = message

    def _event(self, event: dict) -> None:
        kind, v = event.get("event"), self.verdict
        if kind == "loading":
            self._enter("learner", event)
        elif kind == "loaded":
            self._enter("grader", event)
            self.loaded = True
            v.output = truncate(event.get("output"))
        elif kind == "load_error":
            self._enter("grader", event)
            self.load_failed = True
            v.status, v.reason = ERROR, event.get("reason", "import")
            v.message = event.get("message")
            v.output = truncate(event.get("output"))
        elif kind == "collected":
            self.collected = [str(n) for n in event.get("names") or []]
        elif kind == "start":
            self._enter("learner", event)
            self.running = event.get("name")
        elif kind == "check":
            self._enter("grader", event)
            self.running = None
            v.tests.append(CheckResult(
                name=event["name"], description=event.get("description") or "", status=event["status"],
                message=event.get("message"), output=truncate(event.get("output")),
                task_id=event.get("task_id"), duration_ms=event.get("duration_ms") or 0.0))
        elif kind == "collect_error":
            self.internal = "the hidden checks could not be collected:\n" + event.get("message", "")
        elif kind == "internal_error":
            self.internal = event.get("message")
        elif kind == "interrupted":
            self.interrupted = event.get("message")
        elif kind == "done":
            self._enter("grader", event)
            self.finished = True
            self.exit_code = event.get("exit_code")
            self._signal_supervisor(signal.SIGCONT)  # in case the learner's code stopped it

    # -- stopping ------------------------------------------------------------------------

    def _signal_supervisor(self, sig: int) -> None:
        try:
            os.kill(self.supervisor, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def _stop(self, why: str) -> None:
        """Stop the run now: kill the grading child's group, and have the supervisor clean up."""
        self.stopped, self.stop_phase = why, self.phase
        if self.child:
            supervisor.kill_group(self.child)
        self._signal_supervisor(signal.SIGTERM)
        self._signal_supervisor(signal.SIGCONT)

    def finish(self) -> None:
        """Wait (briefly) for the supervisor's report, reap it, and any orphan the grader adopted."""
        if self.final is None and self.status_fd in self.open and not self.stopped and self.supervisor_status is None:
            self._stop("aborted")  # collect() raised (ctrl+c in the CLI): no verdict is built
        end = time.monotonic() + GRACE
        while self.final is None and self.status_fd in self.open:
            wait = end - time.monotonic()
            if wait <= 0:
                break
            ready, _, _ = select.select(list(self.open), [], [], wait)
            for fd in ready:
                self._read(fd)
        if self.final is None:
            self._signal_supervisor(signal.SIGKILL)
        try:
            _, self.supervisor_status = os.waitpid(self.supervisor, 0)
        except ChildProcessError:
            pass
        self._drain()  # what the grading child wrote before it ended
        if self.final is None:
            self._sweep_orphans()

    def _sweep_orphans(self) -> None:
        """The supervisor died before cleaning up: its descendants were reparented to this
        (subreaper) process. Kill and reap every child of ours born since the supervisor."""
        if self.supervisor_start is None:
            return
        me = os.getpid()
        for _ in range(100):
            try:
                table = supervisor.process_table()
            except OSError:
                return
            orphans = [pid for pid, (ppid, start) in table.items() if ppid == me and start >= self.supervisor_start]
            if not orphans:
                return
            for pid in orphans:
                supervisor.kill_group(pid)
            for pid in orphans:
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass

    # -- the verdict -----------------------------------------------------------------------

    def _where(self) -> str:
        if self.running:
            return f" in check '{self.running}'"
        if not self.loaded and not self.load_failed:
            return " while loading your file"
        if self.verdict.tests:
            return f" after check '{self.verdict.tests[-1].name}'"
        return " before the first check"

    def _error(self, reason: str, message: str, *, mark_running: bool = True) -> Verdict:
        v = self.verdict
        if mark_running and self.running:
            v.tests.append(CheckResult(name=self.running, status=ERROR, message=message))
        v.status, v.reason, v.message = ERROR, reason, message
        return v

    def verdict_(self) -> Verdict:
        v, limits = self.verdict, self.limits
        v.duration_ms = (time.monotonic() - self.started) * 1000
        sources = harness.check_sources(self.request.checks)
        for t in v.tests:
            t.test_code = sources.get(t.name.split("[")[0])
        if self.stopped == "cancelled":
            return Verdict(ERROR, reason="cancelled", challenge=self.request.challenge, duration_ms=v.duration_ms,
                           message="cancelled: a newer check replaced this one")
        if self.load_failed:
            return v
        where = self._where()
        if self.stopped == "timeout" and self.expired == "stalled":
            return self._error("timeout", f"time limit exceeded: your code was still running after "
                                          f"{STALLED * limits.timeout:g} s{where}, mostly waiting (for a sleep, "
                                          "a lock, a process it started?)")
        if self.stopped == "timeout":
            return self._error("timeout", f"time limit exceeded: your code was still running after "
                                          f"{limits.timeout:g} s{where}. An infinite loop, or a graph walk "
                                          "that never ends?")
        if self.stopped == "overloaded":
            if self.stop_phase == "learner":
                cause = (f"the machine is too busy: in {limits.timeout + limits.grader_timeout:g} s your code got "
                         f"less than its {limits.timeout:g} s of time{where}")
            else:
                cause = (f"gradrill's own work took more than {limits.grader_timeout:g} s{where}: "
                         "the machine is too busy")
            return self._error("overloaded", f"{cause}; nothing is known to be wrong with your file, check again",
                               mark_running=False)
        if self.final is None:
            status = self.supervisor_status or 0
            if os.WIFSIGNALED(status):
                name = signal.Signals(os.WTERMSIG(status)).name
                return self._error("signal", f"your code killed the grading process (signal {name}){where}: "
                                             "os.kill(os.getppid(), ...) stops the checks")
            return self._error("internal", "the grading supervisor ended without a report", mark_running=False)
        if self.final.get("signal"):
            name = signal.Signals(self.final["signal"]).name
            return self._error("signal", f"your code sent {name} to the grading process{where}, "
                                         "which stops the checks")
        if self.internal:
            return self._error("internal", self.internal, mark_running=False)
        if not self.finished:
            return self._error(*abnormal_end(self.final, limits, where))
        if self.exit_code in (3, 4):
            what = "failed while running" if self.exit_code == 3 else f"could not run ({self.request.checks})"
            return self._error("internal", f"pytest {what} the checks", mark_running=False)
        reported = {t.name for t in v.tests}
        missing = [n for n in self.collected or [] if n not in reported]
        if missing or self.exit_code == 2:
            first = f"before check '{missing[0]}' ({len(missing)} of {len(self.collected)} never ran)" \
                if missing else "early"
            cause = self.interrupted or "something in your file interrupted them"
            message = f"the checks stopped {first}: {cause}"
            if missing:
                v.tests.append(CheckResult(name=missing[0], status=ERROR, message=message))
            return self._error("interrupted", message, mark_running=False)
        if not v.tests:
            what = (f"no check matches {self.request.select!r}" if self.request.select
                    else "the challenge's checks.py defines no test_ functions")
            return self._error("internal", f"no checks ran: {what}", mark_running=False)
        v.status = PASS if all(t.status in (PASS, SKIP) for t in v.tests) else FAIL
        return v


def abnormal_end(final: dict, limits: Limits, where: str) -> tuple[str, str]:
    """(reason, message) for a grading child that ended before its checks did, from the
    supervisor's report: its wait status and peak memory name the resource it met."""
    status = final.get("status", 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name
        if sig == signal.SIGXCPU:
            return "cpu", f"CPU time limit exceeded{where}: an infinite loop?"
        if sig in CRASH_SIGNALS:
            hint = ": usually a runaway recursion after raising sys.setrecursionlimit" if sig == signal.SIGSEGV else ""
            return "crash", f"the process crashed ({CRASH_SIGNALS[sig]}){where}{hint}"
        peak_mb = (final.get("maxrss_kb") or 0) / 1024
        if sig == signal.SIGKILL and limits.memory_mb and peak_mb >= limits.memory_mb / 2:
            return "memory", (f"the process was killed{where} after growing to {peak_mb:.0f} MB: "
                              f"memory limit ({limits.memory_mb} MB) exceeded")
        return "signal", (f"the process was killed by {name}{where}, at {peak_mb:.0f} MB "
                          "(by your code, os.kill()?, or by the system)")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    return "exit", (f"your code ended the process (exit code {code}){where}: "
                    "os._exit(), os.kill() or similar stops the checks before they report")


def _remove_tree(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
