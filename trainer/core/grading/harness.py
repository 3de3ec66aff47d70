"""What runs inside the forked grading child: load the learner's file, run the hidden checks.

The child reports to its parent only through a pipe that the learner's code never sees
as stdout/stderr: one JSON object per line, each carrying a random nonce the parent
chose, the child's ``time.monotonic()`` (``t``), CPU time (``cpu``) and time spent waiting
for a CPU (``wait``, from ``/proc/self/schedstat``), so the parent can count the time of
the learner's own code only, and the sender's ``pid`` (a copy of the child that the learner's
code forks is not heard). Learner output goes to files with a size limit, never to the
pipe, so printing a fake verdict is just output.

Events, in order: ``loading`` (the learner's code starts running), then ``loaded`` or
``load_error``; ``collected`` (the names of the checks that will run); per check ``start``
and ``check``; ``interrupted`` (something ended pytest's run early); ``done``.

Only the checks decide a check's outcome: a ``pytest.skip()``, ``xfail()``, ``fail()`` or
``exit()`` raised from the learner's code, a KeyboardInterrupt or a SystemExit, is an
error of that check naming the learner's line (a skip raised by the checks' own code, for
an optional check, stays a skip).
"""

from __future__ import annotations

import ast
import errno
import functools
import gc
import importlib.util
import io
import json
import linecache
import os
import re
import signal
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

LEARNER_MODULE = "learner"


# pytest's options for every grading (the checks' file and folder come before and after them).
PYTEST_FLAGS = (
    "-qq", "--no-header", "--assert=plain", "--tb=no", "--import-mode=importlib",
    "-p", "no:cacheprovider", "-p", "no:doctest", "-p", "no:pastebin", "-p", "no:junitxml",
    "-p", "no:legacypath", "-p", "no:stepwise", "-p", "no:warnings",
    # not needed by any check, and half of pytest's own start-up per grading: a learner's
    # __del__ or thread that raises is not a verdict; no check asks for tmp_path or caplog
    "-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:faulthandler", "-p", "no:logging",
    "-p", "no:tmpdir", "-p", "no:recwarn", "-p", "no:setuponly", "-p", "no:setupplan", "-p", "no:python_path",
    # no check is a unittest.TestCase or uses subtests; without pytest's debugger, breakpoint() is ours
    "-p", "no:unittest", "-p", "no:subtests", "-p", "no:debugging",
    "-c", os.devnull,
    "--noconftest",  # the harness's plugin is the checks' only fixture source: no conftest.py from above
    "-o", "python_functions=test_*",
)

# pytest's configuration before it reads a grading's arguments: its plugins imported and registered,
# their options declared. The same for every grading, so the grader makes it once (``prewarm``) and each
# forked child runs pytest from its own copy: about 10 ms of a 75 ms grading.
_pristine_config: Any = None


def prewarm() -> None:
    """Import what every grading run needs, and ready pytest's configuration, so forked children start warm."""
    import pytest  # noqa: F401
    import _pytest.assertion  # noqa: F401
    import _pytest.capture  # noqa: F401
    import _pytest.config  # noqa: F401
    import _pytest.main  # noqa: F401
    import _pytest.python  # noqa: F401
    import _pytest.runner  # noqa: F401
    import _pytest.helpconfig  # noqa: F401 - these three pytest imports only once it runs
    import _pytest.skipping  # noqa: F401
    import _pytest._argcomplete  # noqa: F401

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
    global _pristine_config
    if _pristine_config is None:
        from _pytest.config import get_config

        _pristine_config = get_config(list(PYTEST_FLAGS))  # handles the "-p no:..." before it imports plugins


def run_pytest(args: list[str], plugin: Any) -> int:
    """``pytest.main(args, plugins=[plugin])``, from the configuration ``prewarm`` readied if there is one
    (used once: this runs in a forked grading child)."""
    import pytest
    from _pytest.config import Config, ExitCode, UsageError

    # Only pytest's own plugins and the harness's: whatever else is installed beside gradrill
    # (xdist, anyio...) has no say in a verdict, and loading it would cost every grading.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    config = _pristine_config
    if config is None:
        return int(pytest.main(args, plugins=[plugin]))
    # what pytest.main does after get_config (pytest 8 and 9: _pytest.config._prepareconfig and main)
    os.environ["PYTEST_VERSION"] = pytest.__version__
    config.invocation_params = Config.InvocationParams(args=tuple(args), plugins=(plugin,), dir=Path.cwd())
    try:
        config.pluginmanager.register(plugin)
        config = config.pluginmanager.hook.pytest_cmdline_parse(pluginmanager=config.pluginmanager, args=args)
        try:
            return int(config.hook.pytest_cmdline_main(config=config))
        finally:
            config._ensure_unconfigure()
    except UsageError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return int(ExitCode.USAGE_ERROR)


def run_delay(fd: int | None) -> float | None:
    """Seconds this task has spent runnable but waiting for a CPU (``/proc/<pid>/schedstat``)."""
    if fd is None:
        return None
    try:
        return int(os.pread(fd, 128, 0).split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


# Signals that end the supervisor (SIGKILL, or SIGTERM/SIGHUP, which it handles by killing the
# grading child), as bits of the pending-signal masks in /proc/<pid>/status.
_ENDING = sum(1 << (sig - 1) for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGHUP))


class Emitter:
    """Reports events to the grader. Nothing is reported once the supervisor has been sent a signal
    that ends it: the learner's ``os.kill(os.getppid(), ...)`` returns before the supervisor dies
    (and the child with it), and on a busy machine the child could finish that check and start
    the next one meanwhile, so the verdict would name a different check from run to run. The
    signal is queued before ``kill`` returns, so the next event sees it, and waits to be killed."""

    def __init__(self, fd: int, nonce: str, wait_s: float = 5.0):
        self.fd, self.nonce, self.wait_s = fd, nonce, wait_s
        self.parent = os.getppid()
        self.silent = False
        try:
            self.schedstat: int | None = os.open("/proc/self/schedstat", os.O_RDONLY)
        except OSError:
            self.schedstat = None
        try:
            self.parent_status: int | None = os.open(f"/proc/{self.parent}/status", os.O_RDONLY)
        except OSError:
            self.parent_status = None

    def supervisor_ending(self) -> bool:
        """Has the supervisor been sent a signal that ends it (or ended already)?"""
        if os.getppid() != self.parent:
            return True
        if self.parent_status is None:
            return False
        try:
            text = os.pread(self.parent_status, 4096, 0).decode("ascii", "replace")
        except OSError:
            return True  # gone
        pending = 0
        for line in text.splitlines():
            if line.startswith(("SigPnd:", "ShdPnd:")):
                pending |= int(line.split()[1], 16)
        return bool(pending & _ENDING)

    def __call__(self, event: str, **data: Any) -> None:
        if not self.silent and self.supervisor_ending():
            time.sleep(self.wait_s)  # the supervisor's end takes this process with it
            self.silent = True  # not killed after all: say nothing more rather than something out of order
        if self.silent:
            return
        line = json.dumps({"nonce": self.nonce, "event": event, "t": time.monotonic(), "cpu": time.process_time(),
                           "wait": run_delay(self.schedstat), "pid": os.getpid(), **data}) + "\n"
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


class Interrupted(Exception):
    """A KeyboardInterrupt or ``pytest.exit()`` raised while a check ran. pytest would let it
    end the whole run (so the later checks would never report); carried instead as an
    ordinary exception of that one check, described from ``original``."""

    def __init__(self, original: BaseException):
        super().__init__(f"{type(original).__name__}: {original}")
        self.original = original


@functools.cache
def _pytest_dirs() -> tuple[str, ...]:
    import _pytest
    import pluggy
    import pytest

    return tuple(os.path.dirname(m.__file__) + os.sep for m in (_pytest, pluggy, pytest))


@functools.cache
def _gradrill_dir() -> str:
    import gradrill

    return os.path.dirname(os.path.abspath(gradrill.__file__)) + os.sep


def raised_by_checks(exc: BaseException, learner_path: str, checks_path: str | None) -> bool:
    """Was ``exc`` raised by the checks' own code (checks.py, gradrill's helpers), not the learner's?

    The raising frame is the innermost one outside pytest itself (``pytest.skip()`` raises
    inside pytest, on behalf of its caller).
    """
    frames = traceback.extract_tb(exc.__traceback__)
    while frames and frames[-1].filename.startswith(_pytest_dirs()):
        frames.pop()
    if not frames:
        return False
    path = os.path.abspath(frames[-1].filename)
    if path == learner_path:
        return False
    return path == checks_path or path.startswith(_gradrill_dir())


def which_limit(output_bytes: int) -> str:
    """After a write failed with EFBIG: "output" if printing filled stdout or stderr, else "file"."""
    sizes = []
    for fd in (1, 2):
        try:
            sizes.append(os.fstat(fd).st_size)
        except OSError:
            pass
    return "output" if sizes and max(sizes) >= output_bytes else "file"


def _outcome_call(exc: BaseException) -> str | None:
    """``pytest.skip`` and friends, for a pytest outcome exception (None for anything else)."""
    from _pytest.outcomes import Exit, Failed, Skipped, XFailed

    for kind, name in ((XFailed, "pytest.xfail"), (Failed, "pytest.fail"), (Skipped, "pytest.skip"),
                       (Exit, "pytest.exit")):
        if isinstance(exc, kind):
            return name
    return None


def describe_exception(exc: BaseException, learner_path: str, memory_mb: int, output_bytes: int,
                       checks_path: str | None = None) -> tuple[str, str]:
    """(status, message) for an exception that ended a check."""
    import pytest

    if isinstance(exc, Interrupted):
        exc = exc.original
    tb = learner_traceback(exc.__traceback__, learner_path)
    where = f"\n{tb}" if tb else _check_line(exc.__traceback__)
    call = _outcome_call(exc)
    if call and not raised_by_checks(exc, learner_path, checks_path):
        text = str(getattr(exc, "msg", "") or "")
        return "error", (f"your code called {call}({text!r}): only the checks decide whether a check "
                         f"passes, fails or is skipped{where}")
    if isinstance(exc, pytest.exit.Exception):
        return "error", f"the checks called pytest.exit(): {exc.msg}{where}"
    if isinstance(exc, pytest.fail.Exception):
        return "fail", str(exc.msg)
    if isinstance(exc, pytest.skip.Exception):
        return "skip", str(exc.msg)
    if isinstance(exc, KeyboardInterrupt):
        return "error", f"your code raised KeyboardInterrupt, which would stop the checks{where}"
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
        if getattr(exc, "gradrill_limit", "output") == "file":
            return "error", (f"file size limit exceeded: your code wrote a file larger than "
                             f"{output_bytes // 1024} KiB{where}")
        return "error", f"output limit exceeded: your code printed more than {output_bytes // 1024} KiB{where}"
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return "error", f"{text}{where}"


# ---------------------------------------------------------------------------------------
# The pytest plugin


def _make_plugin(module: ModuleType, emit: Callable[..., None], learner_path: str, memory_mb: int,
                 output_bytes: int, checks_path: str | None = None):
    import pytest

    def describe(exc: BaseException) -> tuple[str, str]:
        return describe_exception(exc, learner_path, memory_mb, output_bytes, checks_path)

    def sealed_phase():
        """Around each phase of a check, innermost: keep an interruption to that check, and
        tell an over-long print from an over-long file while the check's capture is current."""
        try:
            return (yield)
        except (KeyboardInterrupt, pytest.exit.Exception) as exc:
            raise Interrupted(exc) from exc
        except OSError as exc:
            if exc.errno == errno.EFBIG:
                exc.gradrill_limit = which_limit(output_bytes)
            raise

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
            config.addinivalue_line("markers", "needs_earlier: a slow check (it trains a network) that runs only "
                                               "when every check before it passed")

        def skip_if_earlier_failed(self, item) -> None:
            """A ``needs_earlier`` check is not run after a failure: it would fail too, slowly."""
            if item.get_closest_marker("needs_earlier") is None:
                return
            failed = next((o["name"] for o in self.outcomes.values() if o["status"] in ("fail", "error")), None)
            if failed is not None:
                pytest.skip(f"not run: {failed} fails, and this check trains a whole network; it runs once "
                            "every check before it passes")

        def pytest_collectreport(self, report) -> None:
            if report.failed:
                emit("collect_error", message=str(report.longrepr)[-4000:])

        def pytest_collection_finish(self, session) -> None:
            emit("collected", names=[item.name for item in session.items])

        def pytest_keyboard_interrupt(self, excinfo) -> None:
            emit("interrupted", message=describe(excinfo.value)[1])

        def pytest_runtest_logstart(self, nodeid, location) -> None:
            emit("start", name=nodeid.split("::")[-1])

        @pytest.hookimpl(wrapper=True, trylast=True)
        def pytest_runtest_setup(self, item):
            self.skip_if_earlier_failed(item)
            return (yield from sealed_phase())

        @pytest.hookimpl(wrapper=True, trylast=True)
        def pytest_runtest_call(self, item):
            return (yield from sealed_phase())

        @pytest.hookimpl(wrapper=True, trylast=True)
        def pytest_runtest_teardown(self, item, nextitem):
            return (yield from sealed_phase())

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
                status, message = describe(call.excinfo.value)
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


@functools.lru_cache(maxsize=64)
def _check_sources(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    source = Path(path).read_text(encoding="utf-8")
    return {node.name: ast.get_source_segment(source, node) or ""
            for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}


def check_sources(path: str, limit: int = 600) -> dict[str, str]:
    """Each check function's source in ``path`` (a checks.py), cut at ``limit`` characters:
    the ``test_code`` of results.json. Cached per file version: parsing is done once."""
    try:
        st = os.stat(path)
        sources = _check_sources(path, st.st_mtime_ns, st.st_size)
    except (OSError, SyntaxError, ValueError):
        return {}
    return {name: code if len(code) <= limit else code[:limit] + "\n    ..." for name, code in sources.items()}


# ---------------------------------------------------------------------------------------
# The child's whole life


def load_learner(path: str) -> ModuleType:
    source = Path(path).read_bytes()  # as Python reads a file: a UTF-8 BOM or a coding cookie is fine
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


def subject_names(subject) -> list[str]:
    """The top-level names a challenge's subject tokens need: ``Value.tanh`` -> ``Value``."""
    return list(dict.fromkeys(re.split(r"[.(]", token, maxsplit=1)[0] for token in subject or ()))


def off_subject(module: ModuleType, subject, challenge: str | None) -> str | None:
    """One sentence if ``module`` defines none of the top-level names the challenge is about.

    Only top-level names: a file that has ``Value`` but not the method to write is a
    starter in progress and gets the checks' own failures.
    """
    names = subject_names(subject)
    if not names or any(name in vars(module) for name in names):
        return None
    what = f"no `{names[0]}`" if len(names) == 1 else "none of " + ", ".join(f"`{n}`" for n in names)
    about = f"which {challenge} is about" if challenge else "which this challenge is about"
    return f"your file defines {what}, {about}: is this the right file? (gradrill check ID FILE)"


def no_debugger(*args: Any, **kwargs: Any) -> None:
    """``breakpoint()`` in a grading: no one is there to type into the debugger."""
    raise RuntimeError("breakpoint() was called: the checks cannot stop in a debugger, remove it "
                       "(run your file yourself with `python FILE` to debug it)")


def child_main(request: dict[str, Any], emit: Emitter, output_fd: int) -> None:
    """Runs in the forked child, after limits are set and stdout/stderr point at ``output_fd``."""
    learner_path = os.path.abspath(request["learner"])
    checks_path = os.path.abspath(request["checks"])
    memory_mb, output_bytes = request["memory_mb"], request["output_bytes"]
    # The learner's folder goes last: a workspace file named like a library module
    # (trace.py, copy.py...) must not shadow the real one.
    sys.path.append(os.path.dirname(learner_path))
    sys.breakpointhook = no_debugger
    emit("loading")
    t0 = time.perf_counter()
    try:
        module = load_learner(learner_path)
        # Everything alive now (pytest, the learner's module) is long-lived: freezing it keeps
        # the collector from re-scanning it, which matters for graphs of many closures. The
        # collection runs the learner's finalizers, so it counts as the learner's time. Once
        # frozen, what the import made can no longer be listed apart: ``order`` keeps a list.
        gc.collect()
        from ...checks import order

        order.note_imported(gc.get_objects())  # the grader's own objects are frozen (sandbox._child)
        gc.freeze()
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
        reason = "memory" if isinstance(exc, MemoryError) else "import"
        if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
            reason = exc.gradrill_limit = which_limit(output_bytes)
        _, message = describe_exception(exc, learner_path, memory_mb, output_bytes)
        plain = not message.startswith(("your code", "memory limit", "output limit", "file size limit"))
        message = f"importing your file raised {message}" if plain else f"while your file was being imported: {message}"
        emit("load_error", reason=reason, message=message, output=_safe_read(output_fd))
        return
    sentence = off_subject(module, request.get("subject"), request.get("challenge"))
    if sentence:
        emit("load_error", reason="subject", message=sentence, output=_safe_read(output_fd))
        return
    emit("loaded", output=_safe_read(output_fd), duration_ms=(time.perf_counter() - t0) * 1000)
    # Training checks leave their graphs' garbage to the end of this process, within a third of the
    # learner's memory (collecting it costs as much as making it): ``gradrill.checks.nn.gc_paused``.
    from ...checks import nn

    nn.leave_garbage((memory_mb or 1024) * 1024 * 1024 // 3)
    plugin = _make_plugin(module, emit, learner_path, memory_mb, output_bytes, checks_path)
    folder = os.path.dirname(request["checks"])
    args = [
        request["checks"], *PYTEST_FLAGS,
        "--rootdir", folder,
        # pytest collects every folder from confcutdir down to the checks, listing each one's
        # entries; left to itself (with ``-c /dev/null``) that starts below /, so every grading
        # listed all of /tmp, or site-packages, and cost up to three times as much
        "--confcutdir", folder,
    ]
    if request.get("select"):
        args += ["-k", request["select"]]
    code = run_pytest(args, plugin)
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
