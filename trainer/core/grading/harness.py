"""What runs inside the forked grading child: load the learner's file, run the hidden checks.

The child reports to its parent only through a pipe that the learner's code never sees
as stdout/stderr: one JSON object per line, each carrying a random nonce the parent
chose. Learner output goes to files with a size limit, never to the pipe, so printing a
fake verdict is just output.
"""

from __future__ import annotations

import errno
import gc
import importlib.util
import io
import json
import linecache
import os
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

LEARNER_MODULE = "learner"


def prewarm() -> None:
    """Import what every grading run needs, so forked children start warm."""
    import pytest  # noqa: F401
    import _pytest.assertion  # noqa: F401
    import _pytest.capture  # noqa: F401
    import _pytest.config  # noqa: F401
    import _pytest.main  # noqa: F401
    import _pytest.python  # noqa: F401
    import _pytest.runner  # noqa: F401

    import importlib
    import pkgutil

    import gradrill.checks

    # The check helpers (gradrill.checks and its modules): some compile many patterns.
    for info in pkgutil.iter_modules(gradrill.checks.__path__):
        importlib.import_module(f"gradrill.checks.{info.name}")
    try:  # draw_dot checks build graphviz.Digraph objects
        import graphviz  # noqa: F401
    except ImportError:
        pass


class Emitter:
    def __init__(self, fd: int, nonce: str):
        self.fd, self.nonce = fd, nonce

    def __call__(self, event: str, **data: Any) -> None:
        line = json.dumps({"nonce": self.nonce, "event": event, **data}) + "\n"
        payload = line.encode()
        while payload:
            written = os.write(self.fd, payload)
            payload = payload[written:]


# ---------------------------------------------------------------------------------------
# Describing what went wrong, in the learner's terms


def learner_traceback(tb, learner_path: str, limit: int = 8) -> str:
    """The traceback's frames that are in the learner's own file, formatted briefly.

    Runs of the same line (a runaway recursion) fold into one entry with a count, and at
    most ``limit`` entries are kept, the innermost ones.
    """
    entries: list[list] = []  # [lineno, name, source, times]
    for frame in traceback.extract_tb(tb):
        if os.path.abspath(frame.filename) != learner_path:
            continue
        source = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
        if entries and entries[-1][:2] == [frame.lineno, frame.name]:
            entries[-1][3] += 1
        else:
            entries.append([frame.lineno, frame.name, source, 1])
    name = Path(learner_path).name
    lines = [f"  {name}, line {n}, in {fn}\n    {src}" + (f"\n  [repeated {k - 1} more times]" if k > 1 else "")
             for n, fn, src, k in entries[-limit:]]
    if len(entries) > limit:
        lines.insert(0, f"  [{len(entries) - limit} earlier lines of your file cut]")
    return "\n".join(lines)


def _check_line(tb) -> str:
    """Where in the check an error surfaced, when no frame of the learner's file is involved."""
    frames = [f for f in traceback.extract_tb(tb) if os.path.basename(f.filename) == "checks.py"]
    if not frames or not frames[-1].line:
        return ""
    return f"\n  (raised while the check ran: {frames[-1].line.strip()})"


def describe_exception(exc: BaseException, learner_path: str, memory_mb: int, output_bytes: int) -> tuple[str, str]:
    """(status, message) for an exception that ended a check."""
    import pytest

    tb = learner_traceback(exc.__traceback__, learner_path)
    where = f"\n{tb}" if tb else _check_line(exc.__traceback__)
    if isinstance(exc, pytest.fail.Exception):
        return "fail", str(exc.msg)
    if isinstance(exc, pytest.skip.Exception):
        return "skip", str(exc.msg)
    if isinstance(exc, AssertionError):
        message = str(exc).strip()
        if not message:
            frames = traceback.extract_tb(exc.__traceback__)
            last = frames[-1] if frames else None
            message = f"check failed: {last.line}" if last and last.line else "check failed"
        return "fail", message + where
    if isinstance(exc, MemoryError):
        return "error", f"memory limit exceeded ({memory_mb} MB): is something growing without end?{where}"
    if isinstance(exc, RecursionError):
        return "error", ("RecursionError: maximum recursion depth exceeded: does a method call itself "
                         f"without end, or does a graph walk revisit nodes?{where}")
    if isinstance(exc, SystemExit):
        return "error", f"your code called sys.exit({exc.code!r}) (or raised SystemExit){where}"
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return "error", f"output limit exceeded: your code printed more than {output_bytes // 1024} KiB{where}"
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return "error", f"{text}{where}"


# ---------------------------------------------------------------------------------------
# The pytest plugin


def _make_plugin(module: ModuleType, emit: Callable[..., None], learner_path: str, memory_mb: int, output_bytes: int):
    import pytest

    class GradrillPlugin:
        def __init__(self) -> None:
            self.outcomes: dict[str, dict[str, Any]] = {}

        @pytest.fixture(scope="session")
        def learner(self) -> ModuleType:
            return module

        @pytest.fixture(scope="session")
        def learner_path(self) -> Path:
            return Path(learner_path)

        def pytest_configure(self, config) -> None:
            config.addinivalue_line("markers", "task(taskno): the task a check belongs to")

        def pytest_collectreport(self, report) -> None:
            if report.failed:
                emit("collect_error", message=str(report.longrepr)[-4000:])

        def pytest_runtest_logstart(self, nodeid, location) -> None:
            emit("start", name=nodeid.split("::")[-1])

        @pytest.hookimpl(tryfirst=True)
        def pytest_runtest_makereport(self, item, call) -> None:
            state = self.outcomes.setdefault(item.nodeid, {
                "name": item.name,
                "description": (item.function.__doc__ or "").strip().splitlines()[0] if getattr(item, "function", None) and item.function.__doc__ else "",
                "task_id": next((m.kwargs.get("taskno", m.args[0] if m.args else None)
                                 for m in item.iter_markers("task")), None),
                "status": "pass", "message": None, "duration": 0.0,
            })
            if call.when == "call":
                state["duration"] = call.duration
            if call.excinfo is not None and state["status"] == "pass":
                status, message = describe_exception(call.excinfo.value, learner_path, memory_mb, output_bytes)
                if call.when != "call" and status == "fail":
                    status = "error"
                state["status"], state["message"] = status, message

        def pytest_runtest_logreport(self, report) -> None:
            state = self.outcomes.get(report.nodeid)
            if state is None:
                return
            state.setdefault("output", "")
            out = report.capstdout + report.capstderr
            if out:
                state["output"] += out
            if report.when == "teardown":
                emit("check", name=state["name"], description=state["description"], status=state["status"],
                     message=state["message"], output=state["output"] or None, task_id=state["task_id"],
                     duration_ms=state["duration"] * 1000)

    return GradrillPlugin()


# ---------------------------------------------------------------------------------------
# The child's whole life


def load_learner(path: str) -> ModuleType:
    source = Path(path).read_text(encoding="utf-8")
    code = compile(source, path, "exec")  # SyntaxError surfaces here, before anything runs
    spec = importlib.util.spec_from_loader(LEARNER_MODULE, loader=None, origin=path)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = path
    sys.modules[LEARNER_MODULE] = module
    exec(code, module.__dict__)
    return module


def _read_and_clear(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    return b"".join(chunks).decode("utf-8", "replace")


def child_main(request: dict[str, Any], emit: Emitter, output_fd: int) -> None:
    """Runs in the forked child, after limits are set and stdout/stderr point at ``output_fd``."""
    learner_path = os.path.abspath(request["learner"])
    memory_mb, output_bytes = request["memory_mb"], request["output_bytes"]
    # The learner's folder goes last: a workspace file named like a library module
    # (trace.py, copy.py...) must not shadow the real one.
    sys.path.append(os.path.dirname(learner_path))
    emit("loading")
    t0 = time.perf_counter()
    try:
        module = load_learner(learner_path)
    except SyntaxError as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        detail = detail.replace(f'File "{learner_path}"', f'File "{Path(learner_path).name}"')
        emit("load_error", reason="syntax", message=detail, output=_safe_read(output_fd))
        return
    except SystemExit as exc:
        emit("load_error", reason="exit",
             message=f"your file called sys.exit({exc.code!r}) while it was being imported",
             output=_safe_read(output_fd))
        return
    except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
        status, message = describe_exception(exc, learner_path, memory_mb, output_bytes)
        reason = "memory" if isinstance(exc, MemoryError) else "import"
        if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
            reason = "output"
        emit("load_error", reason=reason,
             message=f"importing your file raised {message}", output=_safe_read(output_fd))
        return
    emit("loaded", output=_safe_read(output_fd), duration_ms=(time.perf_counter() - t0) * 1000)

    import pytest

    plugin = _make_plugin(module, emit, learner_path, memory_mb, output_bytes)
    args = [
        request["checks"],
        "-qq", "--no-header", "--assert=plain", "--tb=no", "--import-mode=importlib",
        "-p", "no:cacheprovider", "-p", "no:doctest", "-p", "no:pastebin", "-p", "no:junitxml",
        "-p", "no:legacypath", "-p", "no:stepwise", "-p", "no:warnings",
        "--rootdir", os.path.dirname(request["checks"]),
        "-c", os.devnull,
        "--noconftest",  # the harness's plugin is the checks' only fixture source: no conftest.py from above
        "-o", "python_functions=test_*",
    ]
    if request.get("select"):
        args += ["-k", request["select"]]
    # Everything alive now (pytest, the learner's module) is long-lived: freezing it keeps
    # the collector from re-scanning it, which matters for graphs of many closures.
    gc.collect()
    gc.freeze()
    code = pytest.main(args, plugins=[plugin])
    emit("done", exit_code=int(code))


def _safe_read(fd: int) -> str | None:
    try:
        return _read_and_clear(fd) or None
    except OSError:
        return None


def silence_std_streams(output_fd: int) -> None:
    """Point fds 0, 1, 2 and sys.std* away from the parent's: stdin empty, output to a capped file."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), line_buffering=True, errors="replace")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), line_buffering=True, errors="replace")
