"""A bundle: the checks of several challenges run as one pytest module, split by split.

A speedrun split names existing checks (``challenge::test_name``). For one grading per
save, gradrill writes a tiny module (``gradrill.core.speedrun.bundle``) that calls
``expose(globals(), entries)``: each named check is imported from its own challenge's
``checks.py`` (never copied) and exposed under ``bundle_name(...)``, in split order.

Two rules make the bundle fast and its verdict the split rule's:

- once a check fails, every later check is skipped (``SKIPPED``): a split fires only when
  every earlier split passes, so nothing after the first failure can count;
- each check runs under its own challenge's time limit, counted in CPU time (``ITIMER_PROF``
  in the grading child, so a loaded machine does not change the verdict): an endless loop
  ends as an error naming its check instead of eating the whole bundle's time.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import signal
import sys
from contextlib import contextmanager
from typing import Any, Iterable

SKIPPED = "not run: an earlier split does not pass yet"


def bundle_name(split: int, challenge: str, check: str) -> str:
    """The name a check runs under in a bundle: ``test_s03_div_neg_sub__truediv``."""
    slug = challenge.replace("-", "_")
    return f"test_s{split:02d}_{slug}__{check.removeprefix('test_')}"


class CheckTimeLimit(Exception):
    """A check ran past its challenge's time limit."""


@contextmanager
def _time_limit(seconds: float):
    if not seconds or not hasattr(signal, "setitimer") or not hasattr(signal, "SIGPROF"):
        yield
        return

    def expired(signum, frame):
        raise CheckTimeLimit(f"time limit exceeded: still running after {seconds:g} s of CPU time. An infinite "
                             "loop, or a graph walk that never ends?")

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _module(path: str) -> Any:
    name = "gradrill_bundled_" + hashlib.sha1(path.encode()).hexdigest()[:12]
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class _Run:
    """What the bundle's checks share within one grading: the first failure, if any."""

    def __init__(self) -> None:
        self.failed: str | None = None


def _wrap(check, label: str, seconds: float, run: _Run):
    import pytest

    @functools.wraps(check)
    def bundled(*args, **kwargs):
        if run.failed is not None:
            pytest.skip(f"{SKIPPED} ({run.failed} fails)")
        ok = False
        try:
            with _time_limit(seconds):
                check(*args, **kwargs)
            ok = True
        finally:
            if not ok:
                run.failed = label
    # the bundle skips every check after a failure itself: a check's own ``needs_earlier`` skip (its
    # message not the bundle's) would read as an optional check skipped, that is, passed
    bundled.pytestmark = [m for m in getattr(check, "pytestmark", []) if m.name != "needs_earlier"]
    return bundled


def expose(namespace: dict[str, Any], entries: Iterable[tuple[str, str, str, int, float]]) -> None:
    """Put each ``(checks_path, challenge, check_name, split, seconds)`` check into ``namespace``."""
    run = _Run()
    for path, challenge, check_name, split, seconds in entries:
        check = getattr(_module(path), check_name)
        namespace[bundle_name(split, challenge, check_name)] = _wrap(check, f"{challenge}::{check_name}",
                                                                     seconds, run)
