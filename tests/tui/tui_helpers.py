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
    """The challenge's solution as a learner would paste it (given code expanded)."""
    from gradrill.core.catalog import load_catalog

    return load_catalog(catalog_dir, strict=False).get(challenge_id).solution
