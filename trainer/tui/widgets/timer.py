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

    It reads ``gradrill.core.clock`` once a second, so a pinned clock (tests, snapshots)
    freezes it.
    """

    elapsed: reactive[float] = reactive(0.0, layout=True)
    stopped: reactive[float | None] = reactive(None, layout=True)  # the final time once the drill ended
    outcome: reactive[str | None] = reactive(None, layout=True)  # "pass" or "gave_up"
    best: reactive[float | None] = reactive(None, layout=True)

    def __init__(self, started_at: datetime, target: int, best: float | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.started_at = started_at
        self.target = target
        self.set_reactive(DrillTimer.best, best)

    def on_mount(self) -> None:
        self.tick()
        self._interval = self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        if self.stopped is None:
            self.elapsed = max(0.0, (clock.now() - self.started_at).total_seconds())

    def restart(self, started_at: datetime, best: float | None) -> None:
        self.started_at = started_at
        self.best = best
        self.stopped, self.outcome = None, None
        self.tick()

    def stop(self, final: float | None, outcome: str) -> None:
        self.stopped = final if final is not None else self.elapsed
        self.outcome = outcome

    def render(self) -> Text:
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
