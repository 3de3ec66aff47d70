"""Seed simulated practice into a scratch home, to try gradrill as a learner who has used it
for a while (and for screenshots)::

    GRADRILL_HOME=/tmp/demo-home python -m gradrill.core.demo --days 7

Each simulated day opens the daily queue at a local morning hour and works through it: most
drills pass (some with hints, some slow, some fast), a few are given up, one day is skipped,
and today is left half done. The same ``--seed`` gives the same history.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from .. import locations
from . import clock, practice
from .catalog import Catalog, load_catalog
from .results import CheckResult, Verdict
from .settings import Settings
from .store import Store


def _verdict(passed: bool) -> Verdict:
    tests = [CheckResult("test_shape", "pass"), CheckResult("test_gradients", "pass" if passed else "fail",
                                                                message=None if passed else "wrong gradient")]
    return Verdict("pass" if passed else "fail", tests)


@dataclass
class SeedReport:
    days: int
    drills: int
    skipped: list[str]


def seed(store: Store, catalog: Catalog, days: int = 7, end: datetime | None = None, rng_seed: int = 7,
         skip: tuple[int, ...] = (2,), today_fraction: float = 0.5,
         settings: Settings | None = None) -> SeedReport:
    """Simulate ``days`` days of practice ending today (``end``, default now). ``skip``: day
    numbers (0 = the first) with no practice. Today only ``today_fraction`` of the queue is done."""
    rng = random.Random(rng_seed)
    settings = settings or Settings()
    end = end or clock.now()
    today = clock.local_today(end)
    tz = end.astimezone().tzinfo
    moment = [end]
    previous = clock._clock
    clock.set_clock(lambda: moment[0])
    drills = 0
    skipped = []
    try:
        for n in range(days):
            day = today - timedelta(days=days - 1 - n)
            if n in skip:
                skipped.append(day.isoformat())
                continue
            start = datetime.combine(day, time(8 + rng.randrange(0, 10), rng.randrange(0, 60)), tz)
            if day == today:  # today's practice happened in the last hour (never in the future)
                start = max(datetime.combine(day, time(0, 1), tz), end.astimezone(tz) - timedelta(minutes=45))
            moment[0] = start.astimezone(timezone.utc)
            t = practice.today(store, catalog, now=moment[0], settings=settings)
            items = list(t.items)
            if day == today:
                items = items[:max(1, int(len(items) * today_fraction))]
            for item in items:
                c = item.challenge
                if c is None or item.done:
                    continue
                if day == today and moment[0] >= end - timedelta(minutes=5):
                    break
                factor = rng.uniform(0.4, 1.5) if item.kind == "review" else rng.uniform(0.8, 2.2)
                seconds = c.target_seconds * factor
                roll = rng.random()
                hints = 0 if item.kind == "review" and roll < 0.8 else rng.choice([0, 0, 1, 2])
                store.start_attempt(c.id, restart=True, now=moment[0])
                for _ in range(min(hints, len(c.hints))):
                    moment[0] += timedelta(seconds=seconds / 4)
                    store.use_hint(c.id, now=moment[0])
                if rng.random() < 0.35:  # a failing check first
                    moment[0] += timedelta(seconds=seconds / 3)
                    store.record_run(c.id, _verdict(False), code="# not yet\n", now=moment[0])
                moment[0] = moment[0] + timedelta(seconds=seconds * rng.uniform(0.3, 0.6))
                if roll < 0.1:
                    store.give_up(c.id, code="# stuck\n", now=moment[0])
                else:
                    store.record_run(c.id, _verdict(True), code=f"# {c.id}: solved\n", now=moment[0])
                drills += 1
                moment[0] += timedelta(seconds=rng.randrange(20, 90))
    finally:
        clock.set_clock(previous)
    return SeedReport(days, drills, skipped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gradrill.core.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip", type=int, nargs="*", default=[2], help="day numbers to skip (0 = first)")
    parser.add_argument("--db", type=Path, help="the database (default: the home's)")
    args = parser.parse_args(argv)
    store = Store(args.db or locations.database_path())
    catalog = load_catalog(strict=False)
    report = seed(store, catalog, days=args.days, rng_seed=args.seed, skip=tuple(args.skip))
    print(f"seeded {report.drills} drills over {report.days} days (skipped {', '.join(report.skipped) or 'none'}) "
          f"into {store.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
