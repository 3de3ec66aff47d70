"""SVG snapshots of Textual apps: the ``snap_compare`` fixture (tests/conftest.py).

The app runs headless at a given size (``textual._doc.take_svg_screenshot``, as Textual's
own snapshot plugin does); its screen, as SVG, is compared with
``__snapshots__/<test module>/<test name>.svg`` beside the test. After a deliberate change:
``python -m pytest tests/tui tests/tui_practice --snapshot-update``, then look at the SVGs
(``git diff``; ../shared/tools/svg2png or any browser draws them).

A screen drawn by another Textual or Rich release differs in details, so snapshots are
compared only under the versions CI pins in ``constraints.txt`` (the versions the README installs); under any other
versions the snapshot tests are skipped (saying why), so a new release cannot fail them by
itself and the suite still proves the lowest and newest declared versions.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

CONSTRAINTS = Path(__file__).resolve().parents[1] / "constraints.txt"
PINNED = ("textual", "rich")


def addoption(parser: pytest.Parser) -> None:
    parser.addoption("--snapshot-update", action="store_true", default=False,
                     help="write the Textual snapshots (tests/**/__snapshots__) instead of comparing them")


def normalize(svg: str) -> str:
    """Drop the random id Rich puts in every exported SVG's class names."""
    return re.sub(r"\bterminal-\d+-([\w-]+)", r"terminal-\1", svg)


def pins(path: Path = CONSTRAINTS) -> dict[str, str]:
    found = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", line.strip())
            if m:
                found[m.group(1).lower().replace("_", "-")] = m.group(2)
    return found


def version_mismatch() -> str | None:
    """Why snapshots cannot be compared here (None: the pinned Textual and Rich are installed)."""
    pinned = pins()
    for name in PINNED:
        try:
            have = version(name)
        except PackageNotFoundError:
            have = "none"
        want = pinned.get(name)
        if want is None:
            return f"{CONSTRAINTS.name} pins no {name}"
        if have != want:
            return f"snapshots are drawn with {name} {want} (constraints.txt); this is {name} {have}"
    return None


def snapshot_path(node) -> Path:
    return node.path.parent / "__snapshots__" / node.path.stem / f"{node.name}.svg"


def comparer(request, tmp_path_factory):
    update = request.config.getoption("--snapshot-update")
    if not update:
        why = version_mismatch()
        if why:
            pytest.skip(why)

    def compare(app, press=(), terminal_size: tuple[int, int] = (80, 24), run_before=None) -> bool:
        from textual._doc import take_svg_screenshot

        actual = normalize(take_svg_screenshot(app=app, press=press, terminal_size=terminal_size,
                                               run_before=run_before))
        path = snapshot_path(request.node)
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return True
        if not path.is_file():
            pytest.fail(f"no snapshot at {path}: write it with --snapshot-update, then look at it")
        if normalize(path.read_text(encoding="utf-8")) == actual:
            return True
        out = tmp_path_factory.mktemp("snapshots") / path.name
        out.write_text(actual, encoding="utf-8")
        pytest.fail(f"the screen differs from its snapshot:\n  expected {path}\n  drawn    {out}\n"
                    f"(after a deliberate change: --snapshot-update)", pytrace=False)

    return compare
