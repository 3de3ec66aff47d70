"""A speedrun from start to finish, without any UI: the run, its file, its clock, its splits.

The CLI and the TUI each own one ``Speedrun``. The flow of one save::

    save = speedrun.stamp_now(text)      # the trainer's editor wrote the file: now, on the run's clock
    save = speedrun.stamp_file()         # or: the file as it is on disk, at its modification time
    verdict = speedrun.grade(save, grader)   # slow: a thread in the TUI (no store access)
    outcome = speedrun.record(save, verdict)  # the splits this save fired, stamped with the save's time

Splits are stamped with the time of the *save*, never the time the verdict came back, and
each save's content is graded as it was (a copy), so grading latency and out-of-order
verdicts never cost the runner: a split keeps the earliest save that passed it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .. import grading
from ..catalog import Catalog
from ..results import ERROR, Verdict
from ..store import RunActive, SpeedrunRun, Store
from ..workspace import Workspace, atomic_write
from .bundle import SplitResult, bundle_for, split_results
from .categories import Categories, Category
from .compare import Board, History
from .timing import CLOCK_JUMP, Clocks, RunTimer

FOLDER = "speedrun"  # inside the workspace: one blank file per run
EARLY = timedelta(seconds=2)  # file times lag the clock by up to a tick: older than this is before the run


class RunProblem(Exception):
    """Something about the run or its file that the runner must hear about (one line)."""


@dataclass(frozen=True)
class Save:
    """One save of the run's file: when (on the run's clock and on the wall) and what."""

    ms: int
    wall: datetime
    code: str
    run_id: int | None = None  # the run it belongs to (a verdict arriving after a reset is dropped)


@dataclass(frozen=True)
class Outcome:
    """What one save's verdict did to the run."""

    run: SpeedrunRun
    save: Save
    verdict: Verdict
    results: list[SplitResult]
    changed: list[int]  # splits whose time this save set (or moved earlier)
    finished_now: bool

    @property
    def next_failure(self):
        """The first failing check of the first split this save did not pass."""
        return next((r for r in self.results if not r.passed), None)


class Speedrun:
    def __init__(self, store: Store, workspace: Workspace, catalog: Catalog, categories: Categories,
                 clocks: Clocks | None = None, cache: Path | None = None) -> None:
        self.store = store
        self.workspace = workspace
        self.catalog = catalog
        self.categories = categories
        self.clocks = clocks or Clocks()
        self.cache = cache
        self.run: SpeedrunRun | None = None
        self.timer: RunTimer | None = None

    # -- the run -----------------------------------------------------------------------

    def resume(self) -> SpeedrunRun | None:
        """Pick up the run under way, if any (its clock kept running: RTA)."""
        run = self.store.speedrun_active()
        if run is None:
            self.run, self.timer = None, None
            return None
        if self.run is None or self.run.id != run.id or self.timer is None:
            self.timer = RunTimer(run.started_at, self.clocks, floor_ms=run.last_ms)
            if self.timer.jumped and CLOCK_JUMP not in run.flags:
                run = self.store.speedrun_flag(run.id, CLOCK_JUMP)
        self.run = run
        return run

    def refresh(self) -> SpeedrunRun | None:
        """The run as stored now (another process may have fired a split)."""
        if self.run is not None:
            self.run = self.store.speedrun_run(self.run.id) or self.run
        return self.run

    def category(self, category_id: str | None = None) -> Category:
        wanted = category_id or (self.run.category if self.run else None)
        if wanted is None:
            raise RunProblem("no speedrun under way: start one with `gradrill speedrun start CATEGORY`")
        return self.categories.get(wanted)

    def run_path(self, run: SpeedrunRun | None = None) -> Path:
        run = run or self.run
        return Path(run.file)

    def start(self, category_id: str) -> SpeedrunRun:
        """A new run: a blank file, the clock from zero. ``RunActive`` if one is under way."""
        category = self.categories.get(category_id)
        active = self.store.speedrun_active()
        if active is not None:
            raise RunActive(f"run #{active.number} of {active.category} is under way: finish it or reset it first "
                            "(gradrill speedrun reset)")
        number = self.store.speedrun_next_number(category.id)
        path = self.workspace.root / FOLDER / f"{category.id}-{number}.py"
        if path.exists():
            self.workspace.archive(path)  # a file from an earlier database: kept, never lost
        started_at, mono = self.clocks.wall(), self.clocks.monotonic()
        atomic_write(path, "")
        run = self.store.speedrun_start(category.id, category.split_names, str(path), started_at, mono, number)
        self.run = run
        self.timer = RunTimer(started_at, self.clocks, fresh_at=mono)
        return run

    def reset(self) -> SpeedrunRun:
        """End the run under way as an attempt with the splits it reached."""
        run = self.run or self.store.speedrun_active()
        if run is None:
            raise RunProblem("no speedrun under way")
        run = self.store.speedrun_reset(run.id, self.clocks.wall())
        self.run, self.timer = None, None
        return run

    def elapsed_ms(self) -> int | None:
        if self.run is None:
            return None
        if not self.run.active:
            return self.run.final_ms if self.run.finished else self.run.last_ms
        return self.timer.elapsed_ms() if self.timer is not None else None

    def show(self, run: SpeedrunRun) -> None:
        """Look at a past run (its splits table), without touching the run under way."""
        if run.active:
            self.resume()
        else:
            self.run, self.timer = run, None

    # -- saves -------------------------------------------------------------------------

    def _need_active(self) -> tuple[SpeedrunRun, RunTimer]:
        if self.run is None or self.timer is None or not self.run.active:
            raise RunProblem("no speedrun under way: start one with `gradrill speedrun start CATEGORY`")
        return self.run, self.timer

    def stamp_now(self, code: str) -> Save:
        """The trainer's editor is writing the file: the save is now."""
        run, timer = self._need_active()
        return Save(max(timer.elapsed_ms(), run.last_ms), self.clocks.wall(), code, run.id)

    def stamp_file(self, path: Path | None = None) -> Save:
        """The file as it is on disk, stamped at its modification time (see ``timing``)."""
        run, timer = self._need_active()
        path = Path(path) if path else self.run_path()
        code, mtime = read_run_file(path)
        if mtime < run.started_at - EARLY:
            raise RunProblem(f"{path} was last changed before this run started: a run's splits come from code "
                             "written during the run")
        return Save(timer.ms_at(mtime, floor_ms=run.last_ms), mtime, code, run.id)

    def grade(self, save: Save, grader=None, category: Category | None = None, name: str | None = None) -> Verdict:
        """Grade what the save wrote (a copy, under the run file's ``name``): ``grader`` is a
        ``WarmGrader`` (the trainer), or None to fork from this process (the CLI). Touches
        no state: the trainer calls it from a thread."""
        category = category or self.category()
        bundle = bundle_for(category, self.catalog, self.cache)
        scratch = Path(tempfile.mkdtemp(prefix="gradrill-speedrun-"))
        try:
            snapshot = scratch / (name or (self.run_path().name if self.run else f"{category.id}.py"))
            snapshot.write_text(save.code, encoding="utf-8")
            try:
                if grader is not None:
                    return grader.grade(bundle, snapshot)
                return grading.grade(bundle, snapshot)
            except Exception as exc:  # noqa: BLE001 - a verdict, never a crash
                return Verdict(ERROR, reason="internal", challenge=bundle.id,
                               message=f"grading failed: {type(exc).__name__}: {exc}")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def record(self, save: Save, verdict: Verdict) -> Outcome | None:
        """Fire the splits this save passed, at the save's time (one transaction). None when
        the save's run is no longer the current one (reset while its verdict was coming)."""
        run = self.run
        if run is None or (save.run_id is not None and save.run_id != run.id):
            return None
        category = self.category(run.category)
        if category.split_names != run.split_names:
            raise RunProblem(f"the category {category.id} changed since this run started: reset the run")
        results = split_results(category, verdict)
        passed = [i for i, r in enumerate(results) if r.passed]
        was_finished = run.finished
        changed: list[int] = []
        if passed:
            run, changed = self.store.speedrun_fire(run.id, passed, save.ms, save.wall, save.code)
            self.run = run
        return Outcome(run, save, verdict, results, changed, run.finished and not was_finished)

    # -- comparisons ---------------------------------------------------------------------

    def history(self, category_id: str) -> History:
        category = self.categories.get(category_id)
        return History(category.split_names, self.store.speedrun_runs(category.id))

    def board(self, category_id: str | None = None) -> Board:
        """The splits table: the run under way (or the category's PB, with no run)."""
        category = self.category(category_id)
        run = self.run if self.run is not None and self.run.category == category.id else None
        return self.history(category.id).board(category.id, run, self.elapsed_ms() if run else None)


def read_run_file(path: Path) -> tuple[str, datetime]:
    """The run file's text and modification time, or a one-line ``RunProblem``."""
    try:
        before = os.stat(path)
        if not path.is_file():
            raise RunProblem(f"{path} is not a file any more (replaced by a folder?): the run needs its file back")
        data = path.read_bytes()
        after = os.stat(path)
    except FileNotFoundError:
        raise RunProblem(f"the run's file {path} is gone: write it again (the trainer's ctrl+s does) "
                         "or reset the run") from None
    except OSError as exc:
        raise RunProblem(f"cannot read the run's file {path}: {exc.strerror or exc}") from None
    if after.st_mtime_ns != before.st_mtime_ns:  # written while we read: take the newer one
        return read_run_file(path)
    try:
        code = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RunProblem(f"{path} is not UTF-8 text any more (replaced by another file?)") from None
    return code, datetime.fromtimestamp(after.st_mtime_ns / 1e9, timezone.utc)


def load(store: Store, workspace: Workspace, catalog: Catalog, clocks: Clocks | None = None) -> Speedrun:
    """The speedrun mode over the shipped categories, with the run under way picked up."""
    from .categories import load_categories

    speedrun = Speedrun(store, workspace, catalog, load_categories(catalog), clocks)
    speedrun.resume()
    return speedrun


__all__ = ["Speedrun", "Save", "Outcome", "RunProblem", "RunActive", "read_run_file", "load"]
