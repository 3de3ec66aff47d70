"""Shared helpers for the practice-memory tests (store, scheduling, practice, stats, export, TUI).

Nothing here touches the real home: every store lives under a tmp path, and ``home`` sets
GRADRILL_HOME (and the specific variables) to a tmp folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gradrill.core import clock
from gradrill.core.catalog import Catalog, Challenge, Chapter
from gradrill.core.results import CheckResult, Verdict
from gradrill.core.settings import Settings
from gradrill.core.store import Store

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


def make_catalog(root: Path, spec=SPEC) -> Catalog:
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


class FakeClock:
    """A clock the tests move by hand; installed with ``clock.set_clock``."""

    def __init__(self, start: datetime = T0):
        self.t = start

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw) -> datetime:
        self.t += timedelta(**kw)
        return self.t

    def set(self, moment: datetime) -> datetime:
        self.t = moment
        return self.t


@dataclass
class Learner:
    """Drives a store the way the CLI does: start, hints, runs, give up."""

    store: Store
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


SETTINGS = Settings(daily_minutes=20, new_per_day=3, streak_min_drills=3)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv("GRADRILL_HOME", str(root))
    for name in ("GRADRILL_DATA_DIR", "GRADRILL_CONFIG_DIR", "GRADRILL_CACHE_DIR", "GRADRILL_WORKSPACE",
                 "GRADRILL_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TZ", "UTC")
    if hasattr(__import__("time"), "tzset"):
        __import__("time").tzset()
    return root


@pytest.fixture
def fake_clock(monkeypatch):
    fc = FakeClock()
    clock.set_clock(fc)
    yield fc
    clock.set_clock(None)


@pytest.fixture
def catalog(tmp_path) -> Catalog:
    return make_catalog(tmp_path / "challenges")


@pytest.fixture
def store(home, catalog, fake_clock):
    s = Store(home / "data" / "progress.sqlite3", catalog=catalog)
    yield s
    s.close()


@pytest.fixture
def learner(store, fake_clock) -> Learner:
    return Learner(store, fake_clock)


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, GRADRILL_HOME=str(home), COLUMNS="120", NO_COLOR="1", TZ="UTC")
    for name in ("GRADRILL_DATA_DIR", "GRADRILL_CONFIG_DIR", "GRADRILL_CACHE_DIR", "GRADRILL_WORKSPACE"):
        env.pop(name, None)
    env.update(extra)
    return env
