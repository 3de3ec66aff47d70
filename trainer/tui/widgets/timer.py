"""The drill timer: time since the drill started, beside the target time and the personal best."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ...core import clock
from ...core.text import fmt_delta, fmt_seconds


class DrillTimer(Widget):
    """``0:42 / 1:30 · best 1:12``; it stops at the end of the drill and shows the final time.

    Before the drill starts (``started_at`` None) it waits: the clock starts at the learner's
    first change (``start``). It reads ``gradrill.core.clock`` once a second, so a pinned
    clock (tests, snapshots) freezes it.
    """

    elapsed: reactive[float] = reactive(0.0, layout=True)
    stopped: reactive[float | None] = reactive(None, layout=True)  # the final time once the drill ended
    outcome: reactive[str | None] = reactive(None, layout=True)  # "pass" or "gave_up"
    best: reactive[float | None] = reactive(None, layout=True)

    def __init__(self, started_at: datetime | None, target: int, best: float | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.started_at = started_at
        self.target = target
        self.set_reactive(DrillTimer.best, best)

    def on_mount(self) -> None:
        self.tick()
        self._interval = self.set_interval(1.0, self.tick)

    @property
    def waiting(self) -> bool:
        return self.started_at is None and self.stopped is None

    def tick(self) -> None:
        if self.stopped is None and self.started_at is not None:
            self.elapsed = max(0.0, (clock.now() - self.started_at).total_seconds())

    def start(self, started_at: datetime) -> None:
        """The drill started (the learner's first change)."""
        self.started_at = started_at
        self.tick()
        self.refresh(layout=True)

    def restart(self, started_at: datetime | None, best: float | None) -> None:
        self.started_at = started_at
        self.best = best
        self.stopped, self.outcome = None, None
        self.elapsed = 0.0
        self.tick()
        self.refresh(layout=True)

    def stop(self, final: float | None, outcome: str) -> None:
        self.stopped = final if final is not None else self.elapsed
        self.outcome = outcome

    def render(self) -> Text:
        if self.waiting:
            text = Text()
            text.append("0:00", "dim")
            text.append(f" / {fmt_seconds(self.target)}", "dim")
            text.append(" · starts when you type", "dim italic")
            if self.best is not None:
                text.append(" · best ", "dim")
                text.append(fmt_seconds(self.best))
            return text
        shown = self.stopped if self.stopped is not None else self.elapsed
        over = shown > self.target
        if self.outcome == "pass":
            style = "bold green"
        elif self.outcome == "gave_up":
            style = "bold red"
        else:
            style = "bold yellow" if over else "bold"
        text = Text()
        mark = {"pass": "✓ ", "gave_up": "✗ "}.get(self.outcome or "", "")
        text.append(mark + fmt_seconds(shown), style)
        text.append(f" / {fmt_seconds(self.target)}", "dim")
        if self.best is not None:
            text.append(" · best ", "dim")
            text.append(fmt_seconds(self.best))
            if self.outcome is None and shown > self.best:
                text.append(f" ({fmt_delta(round(shown) - round(self.best))})", "dim")
        return text
