"""A run's clock: real time from the start (RTA), to the millisecond.

Within one process the clock is monotonic (``time.monotonic``: a wall clock changed by
hand or by NTP does not move it). The run's start is stored as wall time (UTC) and the
monotonic reading; a process that picks the run up again (a restart after ``kill -9``, or
each ``gradrill speedrun`` command) anchors on wall time: elapsed = wall now - wall start,
then monotonic from there. A wall clock found *behind* the run's last split (it jumped
backwards) cannot give a negative split: the clock resumes from that split and the run is
flagged (``CLOCK_JUMP``).

A save is stamped on this clock when the file is written (the trainer's editor) or, for a
file written by another program, at its modification time mapped onto the clock
(``ms_at``): elapsed now minus how long ago the file was written, never before the last
split and never after now.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from .. import clock as wall_clock

CLOCK_JUMP = "clock_jump"


@dataclass
class Clocks:
    """The two clocks a run reads; tests pass fakes."""

    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], datetime] = wall_clock.now


class RunTimer:
    """Elapsed milliseconds of one run, as seen from this process."""

    def __init__(self, started_at: datetime, clocks: Clocks | None = None, floor_ms: int = 0,
                 fresh_at: float | None = None) -> None:
        """``fresh_at``: the run started in this process at that monotonic reading. Otherwise
        the run is picked up: anchored on wall time, never below ``floor_ms`` (its last split)."""
        self.clocks = clocks or Clocks()
        self.started_at = started_at
        self.jumped = False
        self._mono = self.clocks.monotonic() if fresh_at is None else fresh_at
        if fresh_at is not None:
            self._offset = 0.0
        else:
            wall_ms = (self.clocks.wall() - started_at) / timedelta(milliseconds=1)
            self.jumped = wall_ms < floor_ms
            self._offset = max(wall_ms, float(floor_ms))

    def elapsed_ms(self) -> int:
        return int(self._offset + (self.clocks.monotonic() - self._mono) * 1000.0)

    def ms_at(self, moment: datetime, floor_ms: int = 0) -> int:
        """``moment`` (a wall time, e.g. a file's modification time) on this run's clock."""
        now_ms = self.elapsed_ms()
        ago = (self.clocks.wall() - moment) / timedelta(milliseconds=1)
        return int(min(now_ms, max(floor_ms, now_ms - max(0.0, ago))))
