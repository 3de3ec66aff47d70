"""How fast the trainer comes up, against a bare Textual app measured in the same run.

    python benchmarks/startup.py [--runs 7]

1. **Home screen**: a fresh process starts ``gradrill``'s app headless and exits as soon as
   the home screen has been drawn (the first refresh after mount); the same for a bare
   Textual app (a ``Static`` and a ``Footer``). Medians of ``--runs`` wall and CPU times
   (process start to exit, so interpreter start and imports count), and their ratios (goal:
   1.5 at most). On a loaded machine the CPU ratio is the steadier one.
2. **Prompt preview**: on the home screen, the time from a cursor move in the chapter tree
   to the preview pane showing that challenge's prompt (goal: 100 ms at most), median
   over every challenge.

Both run on a scratch ``GRADRILL_HOME`` (never the learner's), with a seeded history so
the home screen draws a real queue and stats.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True, size=(160, 50))
"""

GRADRILL = """
from pathlib import Path
from gradrill.tui import app as tui_app
from gradrill.tui.app import GradrillApp

class Timed(GradrillApp):
    CSS_PATH = str(Path(tui_app.__file__).with_name("gradrill.tcss"))

    def on_mount(self):  # Textual calls GradrillApp.on_mount too (each class in the MRO)
        self.call_after_refresh(self.exit)

Timed().run(headless=True, size=(160, 50))
"""


def wall(code: str, env: dict[str, str]) -> float:
    return timed(code, env)[0]


def timed(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child run: CPU time is what load on a shared machine
    disturbs least, so both are reported."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def preview_times(env: dict[str, str]) -> list[list[float]]:
    """(wall, CPU) milliseconds from a cursor move to the prompt drawn, per challenge (in a child)."""
    code = r'''
import asyncio, json, time
from gradrill.tui.app import GradrillApp
from gradrill.tui.widgets.challenge_detail import ChallengeDetail
from gradrill.tui.widgets.challenge_tree import ChallengeTree

async def main():
    app = GradrillApp(watch=False)
    times = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ChallengeTree)
        tree.focus()
        detail = app.screen.query_one(ChallengeDetail)
        tree.move_cursor(tree.root.children[0])
        await pilot.pause(1.0)  # a learner's first look: the prompts are drawn ahead meanwhile
        for _ in range(len(app.catalog) + len(app.catalog.chapters) - 1):
            start, cpu = time.perf_counter(), time.process_time()
            await pilot.press("down")
            node = tree.cursor_node
            while detail.shown is not node.data:
                await asyncio.sleep(0.001)
            await pilot.pause()  # and painted
            if hasattr(node.data, "prompt"):
                times.append(((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000))
    app.grader.close(timeout=1)
    print(json.dumps(times))

asyncio.run(main())
'''
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gradrill-startup-") as home:
        env = dict(os.environ, GRADRILL_HOME=home, HOME=home)
        # bytecode caches as on a learner's machine (pip compiles an install; an environment that
        # forbids them would make gradrill, installed editable here, compile itself at every start)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "gradrill.core.demo", "--days", "14"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        wall(GRADRILL, env)  # warm the OS file cache and the bytecode caches for both
        wall(BARE, env)
        bare, ours = [], []
        for _ in range(args.runs):  # interleaved, so machine load hits both alike
            bare.append(timed(BARE, env))
            ours.append(timed(GRADRILL, env))
        for n, what in ((0, "wall"), (1, "CPU")):
            b = statistics.median(t[n] for t in bare)
            g = statistics.median(t[n] for t in ours)
            print(f"home screen ({what} time): gradrill {g * 1000:.0f} ms, bare Textual {b * 1000:.0f} ms, "
                  f"ratio {g / b:.2f} (goal <= 1.5; medians of {args.runs})")
        times = preview_times(env)
        for n, what in ((0, "wall"), (1, "CPU")):
            med = statistics.median(t[n] for t in times)
            print(f"prompt preview ({what} time): median {med:.0f} ms, worst {max(t[n] for t in times):.0f} ms "
                  f"from a cursor move to the prompt drawn, over {len(times)} challenges "
                  f"(goal <= 100 ms); ratio to the goal {med / 100:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
