"""What the trainer costs while it only ticks: the CPU a screen uses when nothing happens but
its clock, beside the learner's gradings on the same cores.

- **speedrun**: the speedrun screen with a run on (its board and big clock are asked ten
  times a second);
- **spinner**: a drill screen while the checks run (the spinner turns ten times a second;
  no grading is started, so only the screen is measured);
- **baseline**: a bare Textual app showing a ``Digits`` clock updated ten times a second.

Each is measured in its own process: CPU time over ``--seconds`` of a headless app left
alone, in percent of one CPU; medians of ``--rounds``, and the ratio to the baseline.

    python benchmarks/ticking.py [--rounds 3] [--seconds 4]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

MEASURE = r'''
import asyncio, json, os, sys, time

async def idle(pilot, seconds):
    await pilot.pause(0.5)
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    return 100 * (time.process_time() - cpu) / (time.perf_counter() - wall)

async def wait(pilot, predicate):
    for _ in range(400):
        if predicate():
            return
        await pilot.pause(0.05)
    raise SystemExit("the screen did not come up")

async def baseline(seconds):
    from textual.app import App
    from textual.widgets import Digits

    class Clock(App):
        def compose(self):
            yield Digits("0:00.0")

        def on_mount(self):
            self.t = 0
            self.set_interval(0.1, self.tick)

        def tick(self):
            self.t += 1
            self.query_one(Digits).update(f"{self.t // 600}:{self.t // 10 % 60:02}.{self.t % 10}")

    app = Clock()
    async with app.run_test(size=(160, 50)) as pilot:
        return await idle(pilot, seconds)

async def speedrun(seconds):
    from gradrill.tui.app import GradrillApp
    from gradrill.tui.screens.speedrun import SpeedrunScreen

    app = GradrillApp(watch=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(0.5)
        await pilot.press("r")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait(pilot, lambda: isinstance(app.screen, SpeedrunScreen) and app.screen.speedrun.run)
        result = await idle(pilot, seconds)
    app.grader.close(timeout=1)
    return result

async def spinner(seconds):
    from gradrill.tui.app import GradrillApp
    from gradrill.tui.screens.challenge import ChallengeScreen
    from gradrill.tui.widgets.results import ResultsPanel

    app = GradrillApp(watch=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(0.5)
        app.open_challenge("add-backward")
        await wait(pilot, lambda: isinstance(app.screen, ChallengeScreen) and app.screen.query(ResultsPanel))
        app.screen.query_one(ResultsPanel).show_running()
        result = await idle(pilot, seconds)
    app.grader.close(timeout=1)
    return result

which, seconds = sys.argv[1], float(sys.argv[2])
print(json.dumps(asyncio.run(globals()[which](seconds))))
'''


def measure(which: str, seconds: float) -> float:
    """One measure in a new process, on a scratch home of its own (never the learner's)."""
    with tempfile.TemporaryDirectory(prefix="gradrill-ticking-") as home:
        env = dict(os.environ, GRADRILL_HOME=home, HOME=home)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        out = subprocess.run([sys.executable, "-c", MEASURE, which, str(seconds)], env=env,
                             capture_output=True, text=True, timeout=120 + seconds)
    if out.returncode != 0:
        raise SystemExit(f"{which}: the measure failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args(argv)
    results: dict[str, list[float]] = {"baseline": [], "speedrun": [], "spinner": []}
    for _ in range(args.rounds):  # interleaved, so a change in the machine's load hits all three
        for which in results:
            results[which].append(measure(which, args.seconds))
    base = statistics.median(results["baseline"])
    for which, values in results.items():
        median = statistics.median(values)
        ratio = f", {median / base:.1f}x the baseline" if which != "baseline" and base > 0 else ""
        print(f"{which:9s} {median:5.1f}% of a CPU while ticking (median of {len(values)}{ratio})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
