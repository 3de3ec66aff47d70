"""Tried as a new user would: seed a week of practice into a scratch home, mount the
TodayPanel and the StatsScreen in a small app, and save screenshots (SVG, then PNG).

    .venv/bin/python tests/tui_practice/make_screenshots.py /tmp/practice-shots

Not a test (no ``test_`` prefix): run it by hand and look at the PNGs.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SVG2PNG = Path(__file__).resolve().parents[3] / "shared" / "tools" / "svg2png"  # ../shared beside the repo


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="gradrill-shots-"))
    os.environ["GRADRILL_HOME"] = str(home)
    for name in ("GRADRILL_DATA_DIR", "GRADRILL_CONFIG_DIR", "GRADRILL_CACHE_DIR", "GRADRILL_WORKSPACE"):
        os.environ.pop(name, None)

    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical
    from textual.widgets import Footer, Static

    from gradrill.core import demo
    from gradrill.core.catalog import load_catalog
    from gradrill.core.store import Store
    from gradrill.tui.screens.stats import StatsScreen
    from gradrill.tui.widgets.today import TodayPanel

    catalog = load_catalog(strict=False)
    store = Store(catalog=catalog)
    report = demo.seed(store, catalog)
    print(f"seeded {report.drills} drills into {home}")

    class ShotApp(App):
        CSS = """
        #left { width: 64; }
        #tree { border: round $secondary 50%; height: 1fr; padding: 0 1; }
        #detail { border: round $secondary 50%; padding: 0 1; }
        """

        def __init__(self):
            super().__init__()
            self.selected: list[str] = []

        def compose(self) -> ComposeResult:
            with Horizontal():
                with Vertical(id="left"):
                    yield TodayPanel(store, catalog)
                    yield Static("(the challenge tree goes here)", id="tree")
                yield Static("(challenge detail)", id="detail")
            yield Footer()

        def on_today_panel_selected(self, event: TodayPanel.Selected) -> None:
            self.selected.append(event.challenge_id)

    shots: list[Path] = []

    async def run() -> None:
        app = ShotApp()
        async with app.run_test(size=(130, 40)) as pilot:
            await pilot.pause()
            app.query_one(TodayPanel).focus_queue()
            await pilot.pause()
            shots.append(Path(app.save_screenshot("today.svg", str(out))))
            await pilot.press("enter")
            await pilot.pause()
            print("selected:", app.selected)
            app.push_screen(StatsScreen(store, catalog))
            await pilot.pause()
            await pilot.pause(0.2)
            shots.append(Path(app.save_screenshot("stats.svg", str(out))))
            await pilot.press("escape")
            await pilot.pause()
            print("after escape:", type(app.screen).__name__)
        narrow = ShotApp()
        async with narrow.run_test(size=(90, 30)) as pilot:
            await pilot.pause()
            narrow.push_screen(StatsScreen(store, catalog))
            await pilot.pause(0.2)
            shots.append(Path(narrow.save_screenshot("stats-narrow.svg", str(out))))

    asyncio.run(run())
    pngs = []
    for svg in shots:
        if SVG2PNG.exists():
            subprocess.run([str(SVG2PNG), str(svg)], check=True)
            pngs.append(svg.with_suffix(".png"))
    for p in pngs:
        print(p)
    return pngs


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/practice-shots"))
