"""How fast is the training lab? Steps a second, boundary redraws, key presses while training.

Measures, in one run:

- steps/s on the LLM101n 3-class data (80 points, MLP(2, [8, 3]) tanh, softmax
  cross-entropy, AdamW lr 0.1):
    baseline   the reference engine trained in this process the plain way (gc on,
               ``reference.train.classifier_step``), no UI;
    engine     the lab's engine process (gc paused, collected every 5 steps), no UI, for the
               reference engine and a learner-style file (tests/fixtures/final_canonical.py);
    ui live    the lab screen playing at full speed in a headless Textual app at 160x50,
               redrawing the boundary as it goes, for both engines;
- the decision boundary at 160x50: ``draw.boundary_rows`` (``FloatNet.grid`` over the plot's
  pixels, as pixel codes: what the drawing process does; ``grid_ms`` is the grid alone) plus
  turning the codes into cells with the points and the cursor over them (``LabPlot``: the UI
  thread's share), against the baseline of ``FloatNet.forward`` called at every pixel;
- key presses while playing: from a key's arrival to its action running, while the lab
  trains at full speed, against the same while paused.

Prints medians (ms) and ratios against each baseline.

    python benchmarks/lab.py [--seconds 6] [--steps 40] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEARNER = ROOT / "tests" / "fixtures" / "final_canonical.py"


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


# -- steps a second, no UI ----------------------------------------------------------------


def baseline_steps(steps: int) -> float:
    from gradrill.core.lab.datasets import load
    from gradrill.reference.nn import MLP
    from gradrill.reference.optim import AdamW
    from gradrill.reference.train import classifier_step

    ds = load("yinyang")
    random.seed(0)
    model = MLP(2, [8, 3], act="tanh", linear_out=True)
    opt = AdamW(model.parameters(), lr=0.1, betas=(0.9, 0.95), weight_decay=1e-4)
    gc.enable()
    classifier_step(model, ds.X, ds.y, opt)  # warm-up
    t0 = time.perf_counter()
    for _ in range(steps):
        classifier_step(model, ds.X, ds.y, opt)
    return steps / (time.perf_counter() - t0)


def engine_steps(engine: str, steps: int) -> float:
    from gradrill.core.lab import LabConfig, LabSession

    s = LabSession(LabConfig(engine=engine))
    s.start_engine()
    try:
        s.init()
        s.step()  # warm-up
        t0 = time.perf_counter()
        for _ in range(steps):
            s.step()
        return steps / (time.perf_counter() - t0)
    finally:
        s.close()


# -- the boundary ----------------------------------------------------------------------------


def boundary(runs: int) -> dict:
    from textual.app import App

    from gradrill.core.lab import LabConfig, LabSession, draw
    from gradrill.tui.screens.lab import LabScreen
    from gradrill.tui.widgets.lab_plot import LabPlot

    s = LabSession(LabConfig())
    s.start_engine()
    try:
        s.init()
        for _ in range(60):  # a trained-looking boundary, not the random one
            s.step()
        net = s.net
    finally:
        s.close()
    result: dict = {}

    class Bench(App):
        CSS_PATH = str(ROOT / "trainer" / "tui" / "gradrill.tcss")

    async def measure() -> None:
        app = Bench()
        async with app.run_test(size=(160, 50)) as pilot:
            lab = LabScreen()
            await app.push_screen(lab)
            await pilot.pause(0.5)
            plot = lab.query_one(LabPlot)
            axes = plot.axes()
            xs, ys = axes.xs(), axes.ys()
            grid_ms, cells_ms, ui_ms, naive_ms = [], [], [], []
            for _ in range(runs):
                t0 = time.perf_counter()
                grid = net.grid(xs, ys)  # in the drawing process
                t1 = time.perf_counter()
                rows = draw.boundary_rows(net, xs, ys, axes.bounds, 3)  # the same, with the pixel codes
                t2 = time.perf_counter()
                plot.show_codes(rows, axes)  # the UI thread: cells, points and cursor
                plot._render_all()
                t3 = time.perf_counter()
                grid_ms.append((t1 - t0) * 1000)
                cells_ms.append((t2 - t1) * 1000)
                ui_ms.append((t3 - t2) * 1000)
            assert len(grid) == len(rows)
            for _ in range(max(3, runs // 5)):
                t0 = time.perf_counter()
                [[net.predict([x, y]) for x in xs] for y in ys]
                naive_ms.append((time.perf_counter() - t0) * 1000)
            result.update(plot_cells=f"{axes.cols}x{axes.rows}", pixels=len(xs) * len(ys),
                          grid_ms=round(median(grid_ms), 1), pixel_codes_ms=round(median(cells_ms), 1),
                          ui_thread_ms=round(median(ui_ms), 1),
                          redraw_ms=round(median([b + c for b, c in zip(cells_ms, ui_ms)]), 1),
                          baseline_forward_every_pixel_ms=round(median(naive_ms), 1))
            lab.session.close()

    asyncio.run(measure())
    result["redraw_vs_baseline"] = round(result["redraw_ms"] / result["baseline_forward_every_pixel_ms"], 3)
    return result


# -- the UI live -----------------------------------------------------------------------------


def ui_live(engine: str, seconds: float, presses: int) -> dict:
    from textual.app import App

    from gradrill.core.lab import LabConfig
    from gradrill.tui.screens.lab import LabScreen

    class Bench(App):
        CSS_PATH = str(ROOT / "trainer" / "tui" / "gradrill.tcss")

    out: dict = {}

    async def latencies(pilot, lab, n: int) -> list[float]:
        samples = []
        seen: list[float] = []
        original = lab.action_choose_class

        def spy(k: int) -> None:
            seen.append(time.perf_counter())
            original(k)

        lab.action_choose_class = spy
        for i in range(n):
            seen.clear()
            t0 = time.perf_counter()
            await pilot.press("2" if i % 2 else "1")
            while not seen:
                await asyncio.sleep(0.001)
            samples.append((seen[0] - t0) * 1000)
            await asyncio.sleep(0.05)
        lab.action_choose_class = original
        return samples

    async def measure() -> None:
        app = Bench()
        async with app.run_test(size=(160, 50)) as pilot:
            lab = LabScreen(LabConfig(engine=engine))
            await app.push_screen(lab)
            while lab.session.net is None:
                await asyncio.sleep(0.05)
            idle = await latencies(pilot, lab, presses)
            await pilot.press("space")
            await asyncio.sleep(1.0)  # settle
            t0, start = time.perf_counter(), lab.session.t
            busy = await latencies(pilot, lab, presses)
            while time.perf_counter() - t0 < seconds:
                await asyncio.sleep(0.05)
            steps = lab.session.t - start
            elapsed = time.perf_counter() - t0
            await pilot.press("space")
            out.update(steps_per_s=round(steps / elapsed, 1), draws=lab._drawn_t >= 0,
                       key_idle_ms=round(median(idle), 1), key_playing_ms=round(median(busy), 1),
                       key_playing_max_ms=round(max(busy), 1))

    asyncio.run(measure())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="seconds of play with the UI live, per engine")
    parser.add_argument("--steps", type=int, default=40, help="steps timed without the UI")
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    report: dict = {}
    base = baseline_steps(args.steps)
    report["steps_per_s"] = {"baseline_in_process_gc_on": round(base, 1)}
    for name, engine in (("reference", "reference"), ("learner_file", str(LEARNER))):
        rate = engine_steps(engine, args.steps)
        report["steps_per_s"][f"engine_{name}"] = round(rate, 1)
        report["steps_per_s"][f"engine_{name}_vs_baseline"] = round(rate / base, 2)
    report["boundary_160x50"] = boundary(runs=15)
    for name, engine in (("reference", "reference"), ("learner_file", str(LEARNER))):
        live = ui_live(engine, args.seconds, args.presses)
        live["steps_vs_baseline"] = round(live["steps_per_s"] / base, 2)
        live["key_playing_vs_idle"] = round(live["key_playing_ms"] / max(live["key_idle_ms"], 1e-3), 2)
        report[f"ui_live_{name}"] = live
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for section, values in report.items():
            print(section)
            for key, value in values.items():
                print(f"  {key:36} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
