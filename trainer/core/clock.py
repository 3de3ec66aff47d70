"""The one clock gradrill reads. Tests and demos replace it (``set_clock``) or pin it with
``GRADRILL_NOW`` (an ISO 8601 time, e.g. ``2026-11-22T09:00:00+00:00``)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Callable

_clock: Callable[[], datetime] | None = None


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    if _clock is not None:
        return _clock()
    pinned = os.environ.get("GRADRILL_NOW")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


def utc(moment: datetime) -> datetime:
    """``moment`` as timezone-aware UTC (a naive time is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def set_clock(clock: Callable[[], datetime] | None) -> None:
    global _clock
    _clock = clock


def local_today(moment: datetime | None = None):
    """The learner's calendar day (local time) for a UTC moment."""
    return (moment or now()).astimezone().date()
