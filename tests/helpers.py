"""Helpers shared by the whole suite: one fake clock, a small curriculum, verdicts, a learner
who drills a store, waiting on a Textual app, and the environment for a `gradrill` process.

Import them as ``from tests.helpers import ...`` (the repository root is on pytest's
``pythonpath``). The fixtures built on them (``home``, ``fake_clock``, ``catalog``,
``store``, ``learner``) live in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from gradrill.core.catalog import Catalog, Challenge, Chapter
from gradrill.core.results import CheckResult, Verdict
from gradrill.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # a Monday

# (id, chapter, order, target, prerequisites, tags): a small curriculum with a chain and related tags
SPEC = [
    ("slope", "derivatives", 10, 90, (), ("derivative",)),
    ("partials", "derivatives", 20, 120, ("slope",), ("derivative", "partials")),
    ("value-forward", "value", 10, 120, (), ("engine",)),
    ("add-backward", "value", 20, 90, ("value-forward",), ("engine", "backward")),
    ("mul-backward", "value", 30, 90, ("value-forward",), ("engine", "backward")),
    ("topo-sort", "value", 40, 150, ("add-backward",), ("graph",)),
    ("tanh-backward", "ops", 10, 120, ("mul-backward",), ("ops", "backward")),
    ("exp-backward", "ops", 20, 90, ("mul-backward",), ("ops", "backward")),
    ("neuron", "nn", 10, 180, ("tanh-backward",), ("nn",)),
    ("mlp", "nn", 20, 240, ("neuron",), ("nn",)),
]

SETTINGS = Settings(daily_minutes=20, new_per_day=3, streak_min_drills=3)


class FakeClock:
    """The one clock the tests move by hand; installed with ``clock.set_clock`` (the
    ``fake_clock`` fixture does it). ``advance(7)`` is seven seconds; ``advance(days=1)``."""

    def __init__(self, start: datetime = T0):
        self.t = start

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float = 0, **kw) -> datetime:
        self.t += timedelta(seconds=seconds, **kw)
        return self.t

    def set(self, moment: datetime) -> datetime:
        self.t = moment
        return self.t


def make_catalog(root: Path, spec=SPEC) -> Catalog:
    """A catalog in memory (nothing on disk) from ``spec``: for the practice and store tests."""
    chapters = []
    for ch in dict.fromkeys(s[1] for s in spec):
        chapters.append(Chapter(ch, ch.title(), len(chapters)))
    challenges = [Challenge(id=i, title=i.replace("-", " ").title(), chapter=ch, order=o, kind="fill-in",
                            target_seconds=t, folder=root / i, prerequisites=tuple(p), tags=tuple(tags),
                            hints=("a hint",))
                  for i, ch, o, t, p, tags in spec]
    order = {c.id: n for n, c in enumerate(chapters)}
    challenges.sort(key=lambda c: (order[c.chapter], c.order))
    return Catalog(root, chapters, challenges)


def passing(n: int = 3) -> Verdict:
    return Verdict("pass", [CheckResult(f"test_{i}", "pass") for i in range(n)])


def failing(n: int = 3) -> Verdict:
    return Verdict("fail", [CheckResult("test_0", "pass")] + [CheckResult(f"test_{i}", "fail", message="no")
                                                               for i in range(1, n)])


@dataclass
class Learner:
    """Drives a store the way the CLI does: start, hints, runs, give up."""

    store: object
    clock: FakeClock

    def drill(self, cid: str, seconds: float = 60, hints: int = 0, outcome: str = "pass", fails: int = 0):
        self.store.start_attempt(cid, restart=True)
        for _ in range(hints):
            self.clock.advance(seconds=1)
            self.store.use_hint(cid)
        for _ in range(fails):
            self.clock.advance(seconds=1)
            self.store.record_run(cid, failing(), code="wrong")
        self.clock.advance(seconds=max(0.0, seconds - hints - fails))
        if outcome == "pass":
            return self.store.record_run(cid, passing(), code=f"# {cid}\n")
        return self.store.give_up(cid, code="gave up")


# -- a `gradrill` (or any Python) process, as a learner or a second instance runs it --------------


def env_for(home: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child process: this one's, plus the repository on PYTHONPATH (so
    it can import ``tests.helpers``), a fixed width, no colour, UTC."""
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1", TZ="UTC")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    if home is not None:
        env["GRADRILL_HOME"] = str(home)
        for name in ("GRADRILL_DATA_DIR", "GRADRILL_CONFIG_DIR", "GRADRILL_CACHE_DIR", "GRADRILL_WORKSPACE"):
            env.pop(name, None)
    env.update(extra)
    return env


def python_output(code: str, env: dict[str, str]) -> str:
    """What ``python -c CODE`` prints in a child process with ``env`` (it must exit 0)."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout


def gradrill(*args: str, input: str | None = None, env: dict[str, str] | None = None,
             **popen) -> subprocess.CompletedProcess[str]:
    """``gradrill ARGS`` in a child process (the suite's environment unless ``env``; standard
    input empty unless ``input`` or ``stdin``)."""
    if input is None:
        popen.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run([sys.executable, "-m", "gradrill", *args], capture_output=True, text=True,
                          env=env or env_for(), input=input, timeout=120, **popen)


def gradrill_here(*args: str, input: str | None = None, env: dict[str, str] | None = None,
                  ) -> subprocess.CompletedProcess[str]:
    """``gradrill ARGS`` as ``gradrill()`` runs it, but by ``main()`` in this process (a child
    costs a third of a second): the same environment (``env``, else the suite's, through
    ``env_for``), standard input (``input``, else empty), captured output and exit code, and
    the app's clock left to the environment (``GRADRILL_NOW``), as a new process finds it.
    Not for what needs a process of its own: shell completion (it ends the process), signals,
    a closed standard input, the ``python -m gradrill`` entry point itself."""
    import io
    from contextlib import redirect_stderr, redirect_stdout
    from unittest import mock

    from gradrill.cli import main
    from gradrill.core import clock

    saved_clock = clock._clock
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env or env_for(), clear=True), \
            mock.patch.object(sys, "stdin", io.StringIO(input or "")), redirect_stdout(out), redirect_stderr(err):
        time.tzset()
        clock.set_clock(None)
        try:
            code = main(list(args))
        finally:
            clock.set_clock(saved_clock)
    time.tzset()  # the suite's TZ again
    return subprocess.CompletedProcess(["gradrill", *args], code, out.getvalue(), err.getvalue())


# -- Textual ---------------------------------------------------------------------------------------


async def wait_for(pilot, predicate, timeout: float = 30.0, step: float = 0.05) -> bool:
    """Let the app run until ``predicate()`` is true (False after ``timeout`` seconds: a
    generous bound on a condition, never a measure of speed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await pilot.pause(step)
    return predicate()


def solution_of(challenge_id: str, catalog_dir: Path) -> str:
    """The challenge's solution as a learner would paste it (given code expanded)."""
    from gradrill.core.catalog import load_catalog

    return load_catalog(catalog_dir, strict=False).get(challenge_id).solution
