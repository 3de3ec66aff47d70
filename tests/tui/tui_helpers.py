"""Helpers shared by the TUI tests."""

from __future__ import annotations

import time
from pathlib import Path


async def wait_for(pilot, predicate, timeout: float = 10.0, step: float = 0.05) -> bool:
    """Let the app run until ``predicate()`` is true (False after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await pilot.pause(step)
    return predicate()


def solution_of(challenge_id: str, catalog_dir: Path) -> str:
    return (catalog_dir / challenge_id / "solution.py").read_text(encoding="utf-8")
