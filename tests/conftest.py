"""Suite-wide fixtures: no test touches the real home directory, every test runs in UTC, and
the shared fixtures (``home``, ``fake_clock``, ``catalog``, ``store``, ``learner``, the
anyio backend and ``snap_compare``) live here, once.

Every gradrill path comes from ``gradrill.locations``, which honours GRADRILL_HOME; HOME
itself is moved too, so anything that slips past ``locations`` lands in a tmp dir.
"""

from __future__ import annotations

import gc

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

from gradrill.core import clock
from gradrill.core.catalog import Catalog
from gradrill.core.store import Store
from tests import snapshots
from tests.helpers import FakeClock, Learner, make_catalog

REDIRECTED = ("GRADRILL_DATA_DIR", "GRADRILL_CONFIG_DIR", "GRADRILL_CACHE_DIR", "GRADRILL_WORKSPACE",
              "GRADRILL_CHALLENGES", "GRADRILL_NOW", "EDITOR", "VISUAL")

# The suite starts hundreds of interpreters (the CLI, graders, the warm worker): let them keep
# compiled modules in __pycache__, as a learner's Python does, even where this environment
# says not to (PYTHONDONTWRITEBYTECODE=1 here doubles the start-up of each).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

# Collecting the tests imports their modules, and some load the catalog at import time (which
# caches it under gradrill's cache folder): point gradrill and HOME at a scratch folder before
# anything is imported, not only inside each test (``scratch_home`` below, per test).
_COLLECTION_HOME = tempfile.mkdtemp(prefix="gradrill-tests-")
os.environ["HOME"] = _COLLECTION_HOME
os.environ["GRADRILL_HOME"] = os.path.join(_COLLECTION_HOME, "gradrill")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_COLLECTION_HOME, ignore_errors=True)


# Local days are UTC days in every test (and in the processes they start), whatever this machine says.
os.environ["TZ"] = "UTC"
time.tzset()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (the default, pyproject.toml): one worker per CPU, and one more. The TUI tests
    spend a third of their time idle (Pilot waits for the app to settle after each key), and
    the extra worker fills that time. Here (2 cores), four runs each: 3 workers 162-201 s, 2
    workers 180-221 s; 4 workers were slower again (193-199 s)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return cpus + 1


def pytest_addoption(parser: pytest.Parser) -> None:
    snapshots.addoption(parser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test of the trainer (tests/tui*) runs without the cyclic collector: a Textual app makes
    cycles by the thousand and the collector kept stopping to scan them (the test's garbage goes
    at its end, below). Tests that train networks in this process keep it: they need it."""
    paused = item.path.parent.name.startswith("tui") and gc.isenabled()
    if paused:
        gc.disable()
    try:
        return (yield)
    finally:
        if paused:
            gc.enable()


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After each test (its fixtures torn down too): collect its garbage, then freeze what is left
    (modules, caches, session fixtures). Later collections never scan those again, so a test
    pays for its own objects only, not for everything the worker has loaded and kept: the
    workers' collections took 15% of the TUI tests' time, most of it full collections that
    walked hundreds of thousands of objects kept since the start."""
    try:
        return (yield)
    finally:
        gc.collect()
        gc.freeze()


@pytest.fixture(autouse=True)
def scratch_home(tmp_path_factory, monkeypatch) -> Path:
    """A fresh HOME (and GRADRILL_HOME = HOME/gradrill) for every test; yields GRADRILL_HOME."""
    time.tzset()  # a test that moved TZ has had it put back by monkeypatch: apply it
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GRADRILL_HOME", str(home / "gradrill"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in REDIRECTED:
        monkeypatch.delenv(name, raising=False)
    yield home / "gradrill"
    clock.set_clock(None)


@pytest.fixture
def home(scratch_home) -> Path:
    """This test's GRADRILL_HOME (data, config, cache and workspace below it); HOME is its parent."""
    return scratch_home


@pytest.fixture
def fake_clock():
    """The app's clock, pinned to ``T0`` and moved only by the test (``advance``, ``set``)."""
    fake = FakeClock()
    clock.set_clock(fake)
    yield fake
    clock.set_clock(None)


@pytest.fixture
def catalog(tmp_path) -> Catalog:
    """A small curriculum in memory (``tests.helpers.SPEC``)."""
    return make_catalog(tmp_path / "challenges")


@pytest.fixture
def store(home, catalog, fake_clock):
    s = Store(home / "data" / "progress.sqlite3", catalog=catalog)
    yield s
    s.close()


@pytest.fixture
def learner(store, fake_clock) -> Learner:
    return Learner(store, fake_clock)


@pytest.fixture(scope="session")
def anyio_backend():
    return "asyncio"


@pytest.fixture
def snap_compare(request, tmp_path_factory):
    """``assert snap_compare(app, terminal_size=(80, 24), run_before=..., press=...)``: the app's
    screen as SVG, against ``__snapshots__/<module>/<test>.svg`` (see tests/snapshots.py)."""
    return snapshots.comparer(request, tmp_path_factory)
