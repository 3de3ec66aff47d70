"""Speedrun split stamping: how long from a save to the split on screen, and how exact its time.

For the ``full`` category's heaviest split (``two moons``: every earlier split's checks run
too, then the two-moons training), in the trainer itself (a Pilot-driven ``GradrillApp``
at 160x50, the real warm grading worker):

- each round starts a fresh run, saves the file with splits 1-9 written, waits for them,
  pastes the two-moons code and presses ctrl+s;
- latency: from the key press to the ``two moons`` row showing its time in the splits
  table (the screen's own board, refreshed by the verdict's message);
- stamp error: the split's recorded time minus the save's time, read from the file itself
  (its modification time mapped onto the run's clock: when the save hit the disk,
  independent of when the verdict came back; file times tick in a few ms);
- the same with a grader that takes 3 s longer (``--slow``): the latency grows by 3 s, the
  stamp error must not;
- baseline: the grading alone (``Speedrun.grade`` on the same content, warm worker).

Prints medians (and min/max) in ms.

    python benchmarks/speedrun.py [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.speedrun_stages


class SlowGrader:
    """The real warm grader, and then ``extra`` seconds more (a loaded machine)."""

    def __init__(self, real, extra: float):
        self.real, self.extra = real, extra

    def start(self) -> None:
        self.real.start()

    def grade(self, challenge, path, limits=None):
        verdict = self.real.grade(challenge, path, limits)
        time.sleep(self.extra)
        return verdict

    def close(self, timeout=None) -> None:
        pass


async def rounds(app_factory, n: int) -> tuple[list[float], list[int]]:
    from textual import events

    from tests.speedrun_stages import stage
    from gradrill.tui.screens.speedrun import CategoryPicker, SpeedrunScreen
    from gradrill.tui.widgets.editor import CodeEditor
    from gradrill.tui.widgets.splits import SplitsTable

    latencies, errors = [], []
    app = app_factory()
    async with app.run_test(size=(160, 50)) as pilot:
        async def until(predicate, timeout=120.0):
            deadline = time.monotonic() + timeout
            while not predicate():
                if time.monotonic() > deadline:
                    raise TimeoutError("no split")
                await pilot.pause(0.005)

        await pilot.pause(0.5)
        await pilot.press("r")
        await until(lambda: isinstance(app.screen, CategoryPicker))
        screen = app.screen_stack[-2]
        for k in range(n):
            if k:
                await pilot.press("ctrl+n")  # a new run: the finished one stays in the history
                await until(lambda: isinstance(app.screen, CategoryPicker))
            await pilot.press("down", "down", "enter")  # engine, library, full
            await until(lambda: isinstance(app.screen, SpeedrunScreen) and screen.speedrun.run is not None
                        and screen.speedrun.run.active)
            editor = screen.query_one(CodeEditor)
            app.post_message(events.Paste(stage(9)))
            await pilot.pause()
            await pilot.press("ctrl+s")
            table = screen.query_one(SplitsTable)
            await until(lambda: table.board is not None and table.board.rows[8].ms is not None)
            app.post_message(events.Paste(stage(10)[len(stage(9)):]))
            await pilot.pause()
            assert editor.text == stage(10)
            t0 = time.perf_counter()
            await pilot.press("ctrl+s")
            await until(lambda: table.board.rows[9].ms is not None)
            latencies.append((time.perf_counter() - t0) * 1000)
            mtime = datetime.fromtimestamp(os.stat(screen.speedrun.run_path()).st_mtime_ns / 1e9, timezone.utc)
            errors.append(table.board.rows[9].ms - screen.speedrun.timer.ms_at(mtime))
    return latencies, errors


def grading_only(n: int) -> list[float]:
    from tests.speedrun_stages import stage
    from gradrill.core.catalog import load_catalog
    from gradrill.core.grading import WarmGrader
    from gradrill.core.speedrun.mode import Save, Speedrun
    from gradrill.core.speedrun.categories import load_categories
    from gradrill.core.store import Store
    from gradrill.core.workspace import Workspace
    from datetime import datetime, timezone

    catalog = load_catalog()
    home = Path(os.environ["GRADRILL_HOME"])
    with Store(home / "bench.sqlite3") as store, WarmGrader() as grader:
        sr = Speedrun(store, Workspace(home / "ws"), catalog, load_categories(catalog))
        category = sr.categories.get("full")
        save = Save(0, datetime.now(timezone.utc), stage(10))
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            verdict = sr.grade(save, grader, category)
            out.append((time.perf_counter() - t0) * 1000)
            assert verdict.passed, verdict.message or [t.message for t in verdict.tests if t.status != "pass"]
        return out


def stats(values) -> dict:
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1),
            "max": round(max(values), 1), "n": len(values)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--slow", type=float, default=3.0, help="extra grading seconds for the slow run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="gradrill-bench-speedrun-"))
    os.environ["GRADRILL_HOME"] = str(scratch)
    from gradrill.core.catalog import load_catalog
    from gradrill.core.grading import WarmGrader
    from gradrill.core.store import Store
    from gradrill.core.workspace import Workspace
    from gradrill.tui.app import GradrillApp

    results = {}
    with WarmGrader() as warm:
        warm.start()
        for name, grader in (("tui", warm), (f"tui_slow_grader_+{args.slow:g}s", SlowGrader(warm, args.slow))):
            store = Store(scratch / f"{name}.sqlite3")

            def factory():
                return GradrillApp(workspace=Workspace(scratch / "workspace"), catalog=load_catalog(), store=store,
                                   grader=grader, watch=False, show_today=False)

            latencies, errors = asyncio.run(rounds(factory, args.rounds))
            store.close()
            results[name] = {"save_to_split_on_screen_ms": stats(latencies), "stamp_minus_save_ms": stats(errors)}
    results["grading_only_ms"] = stats(grading_only(args.rounds))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"full / two moons, {args.rounds} rounds (median [min, max], ms)")
    for name, r in results.items():
        if name == "grading_only_ms":
            print(f"  grading alone (warm worker)        {r['median']:8.1f}  [{r['min']:.1f}, {r['max']:.1f}]")
            continue
        lat, err = r["save_to_split_on_screen_ms"], r["stamp_minus_save_ms"]
        print(f"  {name:<34} save -> on screen {lat['median']:8.1f}  [{lat['min']:.1f}, {lat['max']:.1f}]"
              f"   stamp - save {err['median']:6.1f}  [{err['min']:.1f}, {err['max']:.1f}]")


if __name__ == "__main__":
    main()
