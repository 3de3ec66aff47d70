"""The supervisor: a small process between the grader and the grading child.

It exists so that nothing the learner's code does to the processes around it reaches the
grader (the CLI, or the warm worker): ``os.kill(os.getppid(), 9)`` in the learner's code
kills the supervisor, not the grader, and the grader says so.

It is a child subreaper (Linux ``PR_SET_CHILD_SUBREAPER``): every process the learner's
code starts, however it detaches (a double fork, ``setsid()``), is reparented to it when
its own parent ends, so it can find them all. When the grading child has exited (or a
SIGTERM/SIGHUP asks it to stop, or the grader dies) it kills the grading child and every
descendant, reaps them, and reports over its status pipe, one JSON object per line:

    {"child": PID}                              when the grading child is forked
    {"status": WAITSTATUS, "maxrss_kb": N, "cpu_s": S, "signal": SIG|null, "leftovers": N}

``signal`` is a SIGTERM or SIGHUP the supervisor received (from the grader cancelling, or
from the learner's code); ``leftovers`` counts the descendants it had to kill.
"""

from __future__ import annotations

import json
import os
import resource
import signal
from typing import Callable

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

_libc = None


def prctl(option: int, value: int) -> bool:
    """Linux prctl(2); False where it is not available."""
    global _libc
    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL(None, use_errno=True)
        return _libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def close_inherited_fds(keep: set[int]) -> None:
    """Close every descriptor above stderr but ``keep`` (the grader's pipes to the TUI, say)."""
    top = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    top = 65536 if top == resource.RLIM_INFINITY or top > 65536 else top
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, top)


def process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, start time in clock ticks), from /proc."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                data = f.read()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2:].split()
        table[int(name)] = (int(fields[1]), int(fields[19]))
    return table


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    try:
        table = process_table()
    except OSError:  # no /proc
        return []
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    for target in (lambda: os.killpg(pid, sig), lambda: os.kill(pid, sig)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


def reap_descendants(max_rounds: int = 1000) -> int:
    """Kill and reap every descendant of this (subreaper) process; returns how many were killed.

    Without children there are no descendants at all: any descendant's parent chain ends at
    this process, which is alive. So the usual case costs one ``waitpid``.
    """
    killed: set[int] = set()
    for _ in range(max_rounds):
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid:
            continue  # reaped one that had already exited
        for pid in descendants(os.getpid()):
            if pid not in killed:
                killed.add(pid)
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    return len(killed)


def _write(fd: int, data: dict) -> None:
    payload = (json.dumps(data) + "\n").encode()
    try:
        while payload:
            payload = payload[os.write(fd, payload):]
    except OSError:  # the grader is gone
        pass


def supervise(start_child: Callable[[], None], status_fd: int, parent: int,
              close_after_fork: tuple[int, ...] = ()) -> None:
    """Runs in the forked supervisor; the caller ``os._exit``\\ s when it returns.

    ``start_child`` runs in the grading child; ``close_after_fork`` are descriptors only the
    grading child keeps (the write end of its report pipe).
    """
    os.setpgid(0, 0)  # out of the grader's group: killpg on our group spares the grader
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # the grader died: clean up all the same
    received: list[int] = []
    child: list[int] = []

    def stop(signum, frame) -> None:
        received.append(signum)
        if child:
            kill_group(child[0])

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c reaches the CLI, which tells us
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    if os.getppid() != parent:
        received.append(signal.SIGTERM)
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGPIPE):
                signal.signal(sig, signal.SIG_DFL)
            start_child()
            code = 0
        finally:
            os._exit(code)
    child.append(pid)
    for fd in close_after_fork:
        os.close(fd)
    _write(status_fd, {"child": pid})
    if received:
        kill_group(pid)
    _, status, usage = os.wait4(pid, 0)
    leftovers = reap_descendants()
    _write(status_fd, {"status": status, "maxrss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime,
                       "signal": received[0] if received else None, "leftovers": leftovers})
