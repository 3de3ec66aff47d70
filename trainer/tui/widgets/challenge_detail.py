"""The home screen's right-hand pane: what the highlighted challenge (or chapter) is about."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from ...core.catalog import Catalog, Challenge, Chapter
from ...core.store import ChallengeProgress
from ...core.text import display_path, fmt_seconds
from ..format import STATUS, status_of


class ChallengeDetail(VerticalScroll):
    def __init__(self, catalog: Catalog, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalog = catalog

    def compose(self):
        yield Static("", id="detail-info")
        yield Static("", id="detail-compact")
        yield Markdown("", id="detail-prompt")

    def show_challenge(self, c: Challenge, progress: ChallengeProgress | None, path: Path) -> None:
        status = status_of(progress)
        mark, words, style = STATUS[status]
        chapter = self.catalog.chapter(c.chapter)
        self.border_title = c.title
        head = Text()
        head.append(f"{mark} {words}", style)
        head.append(f"  ·  {c.kind}  ·  {chapter.title}", "dim")
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", no_wrap=True)
        table.add_column()
        table.add_row("target", fmt_seconds(c.target_seconds))
        best = progress.best_s if progress else None
        table.add_row("your best", Text(fmt_seconds(best), "green" if best is not None else "dim"))
        if progress:
            table.add_row("attempts", f"{progress.attempts} ({progress.passes} passed)")
        table.add_row("hints", str(len(c.hints)))
        table.add_row("your file", Text(display_path(path), overflow="fold"))
        if c.prerequisites:
            table.add_row("after", ", ".join(c.prerequisites))
        action = Text()
        if status == "progress":
            action.append("enter", "bold")
            action.append(" resumes this drill (the clock has been running since you started it)")
        elif status in ("passed", "gave_up"):
            action.append("enter", "bold")
            action.append(" drills it again: a fresh starter, the clock from zero "
                          "(your old file is archived)")
        else:
            action.append("enter", "bold")
            action.append(" starts the drill: the clock starts now")
        self.query_one("#detail-info", Static).update(Group(head, Text(""), table, Text(""), action))
        compact = Text(no_wrap=True, overflow="ellipsis")
        compact.append(f"{mark} {words}", style)
        compact.append(f" · {c.kind} · target {fmt_seconds(c.target_seconds)} · best ", "dim")
        compact.append(fmt_seconds(best), "green" if best is not None else "dim")
        compact.append(f" · {len(c.hints)} hints\n", "dim")
        compact.append(display_path(path) + "\n", "")
        compact.append_text(action)
        self.query_one("#detail-compact", Static).update(compact)
        self.query_one("#detail-prompt", Markdown).update(c.prompt)

    def show_chapter(self, chapter: Chapter, progress: dict[str, ChallengeProgress]) -> None:
        items = self.catalog.in_chapter(chapter.id)
        self.border_title = chapter.title
        text = Text()
        passed = sum(1 for c in items if status_of(progress.get(c.id)) == "passed")
        text.append(f"{passed} of {len(items)} passed\n\n", "green" if passed == len(items) else "")
        text.append(chapter.summary or "", "")
        self.query_one("#detail-info", Static).update(text)
        self.query_one("#detail-compact", Static).update(text)
        self.query_one("#detail-prompt", Markdown).update("")
