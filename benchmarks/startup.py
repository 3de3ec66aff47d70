"""How fast the trainer comes up, against a bare Textual app measured in the same run.

    python benchmarks/startup.py [--runs 7]

1. **Home screen**: a fresh process starts ``gradrill``'s app headless and reports as soon
   as the home screen has been drawn (the first refresh after mount); the same for a bare
   Textual app (a ``Static`` and a ``Footer``). Medians of ``--runs`` wall and CPU times
   from the process's launch to that first frame (interpreter start and imports count; the
   teardown at exit does not), and their ratios (goal: 1.5 at most). On a loaded machine
   the CPU ratio is the steadier one. Also the median of the paired ratios (each gradrill
   run against the bare run just before it), which a change in the machine's load during
   the run moves least.
2. **Prompt preview**: on the home screen, the time from a cursor move in the chapter tree
   (the key as the terminal sends it) to the preview drawing that challenge's prompt (goal:
   100 ms at most), median over the challenges met on the way down the tree.

Both run on a scratch ``GRADRILL_HOME`` (never the learner's), with a seeded history so
the home screen draws a real queue and stats.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Both children report the moment the first frame is drawn: the wall clock (against the
# launch time the parent passes) and the CPU time the process has used until then. What
# happens after (the interpreter tearing its objects down at exit) is not start-up.
DRAWN = """
import json, os, sys, time

def drawn(app):
    print(json.dumps([time.time() - float(os.environ["GRADRILL_BENCH_LAUNCH"]), time.process_time()]), flush=True)
    app.exit()
"""

BARE = DRAWN + """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(drawn, self)

Bare().run(headless=True, size=(160, 50))
"""

GRADRILL = DRAWN + """
from pathlib import Path
from gradrill.tui import app as tui_app
from gradrill.tui.app import GradrillApp

class Timed(GradrillApp):
    CSS_PATH = str(Path(tui_app.__file__).with_name("gradrill.tcss"))

    def on_mount(self):  # Textual calls GradrillApp.on_mount too (each class in the MRO)
        self.call_after_refresh(drawn, self)

Timed().run(headless=True, size=(160, 50))
"""


def wall(code: str, env: dict[str, str]) -> float:
    return timed(code, env)[0]


def timed(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from a child's launch to its first frame drawn: CPU time is
    what load on a shared machine disturbs least, so both are reported."""
    launch = time.time()
    out = subprocess.run([sys.executable, "-c", code], env=dict(env, GRADRILL_BENCH_LAUNCH=repr(launch)),
                         check=True, capture_output=True, text=True)
    import json

    wall_s, cpu_s = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("[")))
    return wall_s, cpu_s


def preview_times(env: dict[str, str]) -> list[list[float]]:
    """(wall, CPU) milliseconds from a cursor move to the prompt drawn, per challenge (in a child).

    The key goes in as the terminal would send it (an event posted to the app, not a Pilot
    press: a Pilot waits for the whole process to look idle, in 20 ms sleeps, which measures the
    Pilot); the clock stops when the preview hands the new prompt's first line to the
    compositor, that is, when the frame that shows it is being drawn."""
    code = r'''
import asyncio, json, time
from textual import events
from gradrill.tui.app import GradrillApp
from gradrill.tui.widgets.challenge_detail import ChallengeDetail, PromptPreview
from gradrill.tui.widgets.challenge_tree import ChallengeTree

drawn = {}
original = PromptPreview.render_line

def render_line(self, y):
    if self.prompt_id is not None and self.prompt_id not in drawn and self.lines:
        drawn[self.prompt_id] = (time.perf_counter(), time.process_time())
    return original(self, y)

PromptPreview.render_line = render_line

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
            drawn.clear()
            start, cpu = time.perf_counter(), time.process_time()
            app.post_message(events.Key("down", None))
            deadline = start + 5
            while time.perf_counter() < deadline:
                node = tree.cursor_node
                if node is not None and hasattr(node.data, "prompt") and node.data.id in drawn:
                    break
                if node is not None and not hasattr(node.data, "prompt") and detail.shown is node.data:
                    break  # a chapter: no prompt to draw
                await asyncio.sleep(0.0005)
            node = tree.cursor_node
            if hasattr(node.data, "prompt"):
                wall, cpu_at = drawn[node.data.id]
                times.append(((wall - start) * 1000, (cpu_at - cpu) * 1000))
            await pilot.pause(0.05)
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
            paired = statistics.median(o[n] / r[n] for o, r in zip(ours, bare))
            print(f"home screen ({what} time): gradrill {g * 1000:.0f} ms, bare Textual {b * 1000:.0f} ms, "
                  f"ratio {g / b:.2f} (goal <= 1.5; medians of {args.runs}); median of the {args.runs} paired "
                  f"ratios {paired:.2f}")
        times = preview_times(env)
        for n, what in ((0, "wall"), (1, "CPU")):
            med = statistics.median(t[n] for t in times)
            print(f"prompt preview ({what} time): median {med:.0f} ms, worst {max(t[n] for t in times):.0f} ms "
                  f"from a cursor move to the prompt drawn, over {len(times)} challenges "
                  f"(goal <= 100 ms); ratio to the goal {med / 100:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
