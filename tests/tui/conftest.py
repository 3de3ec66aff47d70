"""Fixtures for the TUI tests: a small fixed catalog on disk, one warm grader, the app.

The private home (``home``) and the pinned clock (``fake_clock``) are the suite's, from
tests/conftest.py. The catalog is a copy of ``challenges/add-backward`` plus ``fixtures/expr-graph`` (a
challenge with a graph), under a chapters.toml of our own, so other challenges coming
and going never change these tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gradrill.core.catalog import load_catalog
from gradrill.core.grading import WarmGrader
from gradrill.core.store import Store
from gradrill.core.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def catalog_dir(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "challenges"
    root.mkdir()
    shutil.copy(FIXTURES / "chapters.toml", root / "chapters.toml")
    shutil.copytree(ROOT / "challenges" / "add-backward", root / "add-backward",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(FIXTURES / "expr-graph", root / "expr-graph", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("GRADRILL_CHALLENGES", str(root))
    return root


@pytest.fixture(scope="session")
def grader():
    """One warm grading worker for the whole TUI suite (starting one costs a fraction of a second)."""
    warm = WarmGrader()
    warm.start()
    yield warm
    warm.close()


class SteadyGrader:
    """Grades for real, but reports a fixed duration, so snapshots do not depend on timing."""

    def __init__(self, real: WarmGrader):
        self.real = real

    def start(self) -> None:
        self.real.start()

    def grade(self, challenge, path, limits=None):
        verdict = self.real.grade(challenge, path, limits)
        verdict.duration_ms = 42.0
        return verdict

    def close(self) -> None:
        pass


@pytest.fixture
def make_app(home, catalog_dir, fake_clock, grader):
    """``make_app(watch=False, ...)``: a GradrillApp on the fixture catalog and a private home."""
    from gradrill.tui.app import GradrillApp

    stores = []

    def factory(watch: bool = False, steady: bool = False, own_grader=None, show_today: bool = False,
                **kwargs) -> GradrillApp:
        store = Store(home / "data" / "progress.sqlite3")
        stores.append(store)
        chosen = own_grader or (SteadyGrader(grader) if steady else grader)
        return GradrillApp(workspace=Workspace(home / "workspace"), catalog=load_catalog(catalog_dir),
                           store=store, grader=chosen, watch=watch, show_today=show_today, **kwargs)

    yield factory
    for store in stores:
        store.close()
