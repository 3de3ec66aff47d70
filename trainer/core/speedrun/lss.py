"""LiveSplit's splits file (``.lss``): a category's runs, so a runner can open them in LiveSplit.

The XML follows LiveSplit's own (``Run version="1.7.0"``): ``AttemptHistory`` (one
``Attempt`` per run, with its real time when finished), and per split a ``Segment`` with
the PB's split time (``SplitTimes``), the best segment (``BestSegmentTime``) and every
run's segment (``SegmentHistory``; a split fired together with the next has an empty
time, as LiveSplit writes a skipped split). Times are ``hh:mm:ss.fffffff``; dates are
``MM/dd/yyyy HH:mm:ss`` in UTC. Runs flagged for a clock jump are left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from .categories import Category
from .compare import History, counts, segments


def fmt_time(ms: int) -> str:
    ms = max(0, int(ms))
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}0000"


def parse_time(text: str) -> int:
    """``hh:mm:ss.fffffff`` back to milliseconds (for tests and round trips)."""
    hms, _, frac = text.partition(".")
    h, m, s = (int(x) for x in hms.split(":"))
    return ((h * 60 + m) * 60 + s) * 1000 + int((frac + "000")[:3] or 0)


def _date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%m/%d/%Y %H:%M:%S")


def _real_time(parent: ET.Element, ms: int | None) -> None:
    if ms is not None:
        ET.SubElement(parent, "RealTime").text = fmt_time(ms)


def to_lss(category: Category, history: History, game: str = "gradrill: micrograd from memory") -> str:
    runs = [r for r in history.runs if counts(r) and tuple(r.split_names) == category.split_names]
    root = ET.Element("Run", version="1.7.0")
    ET.SubElement(root, "GameIcon")
    ET.SubElement(root, "GameName").text = game
    ET.SubElement(root, "CategoryName").text = category.title
    ET.SubElement(root, "LayoutPath")
    meta = ET.SubElement(root, "Metadata")
    ET.SubElement(meta, "Run", id="")
    ET.SubElement(meta, "Platform", usesEmulator="False")
    ET.SubElement(meta, "Region")
    ET.SubElement(meta, "Variables")
    ET.SubElement(root, "Offset").text = "00:00:00"
    ET.SubElement(root, "AttemptCount").text = str(len(runs))
    attempts = ET.SubElement(root, "AttemptHistory")
    ids = {r.id: n for n, r in enumerate(runs, 1)}
    for run in runs:
        attrs = {"id": str(ids[run.id]), "started": _date(run.started_at), "isStartedSynced": "True"}
        if run.ended_at is not None:
            attrs |= {"ended": _date(run.ended_at), "isEndedSynced": "True"}
        attempt = ET.SubElement(attempts, "Attempt", attrs)
        _real_time(attempt, run.final_ms if run.finished else None)
    pb = history.pb()
    best = history.best_segments()
    run_segments = {run.id: segments(run.times) for run in runs}
    segs = ET.SubElement(root, "Segments")
    for i, name in enumerate(category.split_names):
        seg = ET.SubElement(segs, "Segment")
        ET.SubElement(seg, "Name").text = name
        ET.SubElement(seg, "Icon")
        split_times = ET.SubElement(seg, "SplitTimes")
        pb_time = ET.SubElement(split_times, "SplitTime", name="Personal Best")
        _real_time(pb_time, pb.times[i] if pb else None)
        _real_time(ET.SubElement(seg, "BestSegmentTime"), best[i])
        hist = ET.SubElement(seg, "SegmentHistory")
        for run in runs:
            if run.times[i] is None:
                continue  # not reached in that attempt
            _real_time(ET.SubElement(hist, "Time", id=str(ids[run.id])), run_segments[run.id][i])
    ET.SubElement(root, "AutoSplitterSettings")
    ET.indent(root, "  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
