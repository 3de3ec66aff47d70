"""Comparisons, as LiveSplit makes them: PB, golds, sum of best, best possible time,
possible time save, and the colour of each split.

Segments. A split's *segment* is its time minus the previous split's. When one save fires
several splits at once (the learner wrote two splits' code before saving), those splits
share a time: as in LiveSplit after a skipped split, only the last of them has a segment,
covering the whole group, and the others have none (``merged``). A whole group's time is a
*combined* segment: it never counts as a gold, but the sum of best may go through it.

Which runs count. A run flagged for a wall clock that jumped backwards (``CLOCK_JUMP``)
counts for nothing: no PB, no gold, no best segment. A reset run's segments count (as in
LiveSplit's segment history); only a finished run can be a PB.

Colours (LiveSplit's rule): against the PB's split time, a split is *ahead* (delta < 0) or
*behind*; ahead and gaining unless the delta grew since the last split, behind and losing
unless it shrank; a segment faster than every earlier run's best is ``gold``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..store import SpeedrunRun
from .timing import CLOCK_JUMP

GOLD, AHEAD_GAINING, AHEAD_LOSING, BEHIND_GAINING, BEHIND_LOSING = (
    "gold", "ahead_gaining", "ahead_losing", "behind_gaining", "behind_losing")

Edge = tuple[int, int, int]  # (from split, to split, ms); from -1 is the start


def counts(run: SpeedrunRun) -> bool:
    return CLOCK_JUMP not in run.flags


def edges(times: Sequence[int | None]) -> list[Edge]:
    """The run's segments as edges between group ends (see the module's docstring)."""
    out: list[Edge] = []
    prev, prev_ms = -1, 0
    for i, ms in enumerate(times):
        if ms is None:
            break
        nxt = times[i + 1] if i + 1 < len(times) else None
        if nxt is not None and nxt == ms:
            continue  # fired with the next split: merged into its segment
        out.append((prev, i, ms - prev_ms))
        prev, prev_ms = i, ms
    return out


def segments(times: Sequence[int | None]) -> list[int | None]:
    """Each split's segment time (None: not reached, or merged into the next)."""
    out: list[int | None] = [None] * len(times)
    for a, b, ms in edges(times):
        out[b] = ms
    return out


def singles(times: Sequence[int | None]) -> dict[int, int]:
    """Split -> its own segment time, for the segments that cover exactly one split."""
    return {b: ms for a, b, ms in edges(times) if a == b - 1}


def shortest(edge_list: list[Edge], start: int, end: int, first_min: int = 0) -> int | None:
    """The fastest way from split ``start`` to ``end`` through known segments (a DAG in split
    order); the first segment costs at least ``first_min`` (the current segment so far)."""
    best: dict[int, int] = {start: 0}
    for a, b, ms in sorted(set(edge_list), key=lambda e: (e[0], e[1])):
        if a in best and a < b <= end:
            cost = best[a] + (max(ms, first_min) if a == start else ms)
            if b not in best or cost < best[b]:
                best[b] = cost
    return best.get(end)


def colour(delta: int | None, last_delta: int | None, gold: bool = False) -> str | None:
    if gold:
        return GOLD
    if delta is None:
        return None
    if delta < 0:
        return AHEAD_LOSING if last_delta is not None and delta > last_delta else AHEAD_GAINING
    return BEHIND_GAINING if last_delta is not None and delta < last_delta else BEHIND_LOSING


@dataclass(frozen=True)
class Row:
    """One line of the splits table."""

    position: int
    name: str
    ms: int | None  # when it fired (None: not yet)
    segment_ms: int | None  # None: not yet, or merged into the next split's segment
    merged: bool
    pb_ms: int | None  # the PB's split time
    delta_ms: int | None  # against the PB's split time (fired, or live for the current split)
    best_segment_ms: int | None
    gold: bool
    colour: str | None
    current: bool = False  # the split being worked on


@dataclass(frozen=True)
class Board:
    """Everything a splits table shows, for one category and (maybe) one run."""

    category: str
    split_names: tuple[str, ...]
    run: SpeedrunRun | None
    elapsed_ms: int | None
    rows: tuple[Row, ...]
    pb_ms: int | None
    sum_of_best_ms: int | None
    best_possible_ms: int | None
    possible_save_ms: int | None  # on the current segment (no run: PB - sum of best)
    attempts_started: int
    attempts_finished: int

    @property
    def current(self) -> int | None:
        return next((r.position for r in self.rows if r.current), None)

    @property
    def golds(self) -> int:
        return sum(r.gold for r in self.rows)


@dataclass
class History:
    """A category's runs, oldest first, and what they add up to."""

    split_names: tuple[str, ...]
    runs: list[SpeedrunRun] = field(default_factory=list)

    def _usable(self, runs: list[SpeedrunRun]) -> list[SpeedrunRun]:
        n = len(self.split_names)
        return [r for r in runs if counts(r) and tuple(r.split_names) == self.split_names and len(r.times) == n]

    def before(self, run: SpeedrunRun | None) -> "History":
        return History(self.split_names, [r for r in self.runs if run is None or r.id < run.id])

    def pb(self, exclude: SpeedrunRun | None = None) -> SpeedrunRun | None:
        done = [r for r in self._usable(self.runs) if r.finished and r.final_ms is not None
                and (exclude is None or r.id != exclude.id)]
        return min(done, key=lambda r: (r.final_ms, r.id)) if done else None

    def best_segments(self) -> list[int | None]:
        best: list[int | None] = [None] * len(self.split_names)
        for r in self._usable(self.runs):
            for i, ms in singles(r.times).items():
                if best[i] is None or ms < best[i]:
                    best[i] = ms
        return best

    def all_edges(self) -> list[Edge]:
        return [e for r in self._usable(self.runs) for e in edges(r.times)]

    def sum_of_best(self) -> int | None:
        n = len(self.split_names)
        return shortest(self.all_edges(), -1, n - 1) if n else None

    def golds(self, run: SpeedrunRun) -> list[bool]:
        """Which of ``run``'s segments beat every earlier run's best (a first run's are all gold)."""
        out = [False] * len(self.split_names)
        if not counts(run) or tuple(run.split_names) != self.split_names:
            return out
        earlier = self.before(run).best_segments()
        for i, ms in singles(run.times).items():
            out[i] = earlier[i] is None or ms < earlier[i]
        return out

    def was_pb(self, run: SpeedrunRun) -> bool:
        if not (run.finished and counts(run) and run.final_ms is not None):
            return False
        old = self.before(run).pb()
        return old is None or run.final_ms < old.final_ms

    def board(self, category: str, run: SpeedrunRun | None, elapsed_ms: int | None = None) -> Board:
        n = len(self.split_names)
        pb = self.before(run).pb() if run is not None else self.pb()  # the PB this run was racing
        pb_times = pb.times if pb else [None] * n
        pb_segments = segments(pb_times)
        best = self.best_segments()
        times = run.times if run else [None] * n
        segs = segments(times)
        golds = self.golds(run) if run else [False] * n
        current = next((i for i, ms in enumerate(times) if ms is None), None) if run and run.active else None
        rows: list[Row] = []
        last_delta: int | None = None
        for i, name in enumerate(self.split_names):
            ms = times[i]
            delta = ms - pb_times[i] if ms is not None and pb_times[i] is not None else None
            is_current = i == current
            shown_colour = None
            if ms is not None:
                shown_colour = colour(delta, last_delta, golds[i])
            elif is_current and elapsed_ms is not None and pb_times[i] is not None:
                live = elapsed_ms - pb_times[i]
                if live > 0 or (last_delta is not None and live > last_delta):
                    delta = live
                    shown_colour = colour(live, last_delta)
            merged = ms is not None and segs[i] is None
            rows.append(Row(i, name, ms, segs[i], merged, pb_times[i], delta, best[i], golds[i], shown_colour,
                            is_current))
            if ms is not None and delta is not None:
                last_delta = delta
        same = [r for r in self.runs if tuple(r.split_names) == self.split_names]
        pb_now = self.pb()
        sob = self.sum_of_best()
        if run is not None and run.active and elapsed_ms is not None:
            fired = [i for i, ms in enumerate(times) if ms is not None]
            last_end = fired[-1] if fired else -1
            last_ms = times[last_end] if fired else 0
            rest = shortest(self.all_edges(), last_end, n - 1, first_min=max(0, elapsed_ms - last_ms))
            best_possible = last_ms + rest if rest is not None else None
            possible_save = (pb_segments[current] - best[current]
                             if current is not None and pb_segments[current] is not None and best[current] is not None
                             else None)
        else:
            best_possible = run.final_ms if run is not None and run.finished else sob
            possible_save = pb_now.final_ms - sob if pb_now is not None and sob is not None else None
        return Board(category, self.split_names, run, elapsed_ms, tuple(rows),
                     pb_now.final_ms if pb_now else None, sob, best_possible, possible_save,
                     len(same), sum(1 for r in same if r.finished))
