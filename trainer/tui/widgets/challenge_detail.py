"""The home screen's right-hand pane: what the highlighted challenge (or chapter) is about.

The prompt preview (``PromptPreview``) draws the prompt as rich renders its Markdown, once
per challenge and width, into ready ``Strip`` lines that it keeps; moving the cursor swaps
the lines (no Markdown parsing, highlighting, wrapping or widget tree on the way), which
keeps the preview within a frame or two of the cursor."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
import threading

from textual.containers import VerticalScroll
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from ...core.catalog import Catalog, Challenge, Chapter
from ...core.store import ChallengeProgress
from ...core.text import display_path, fmt_seconds
from ..format import STATUS, status_of


def _preview_markdown(markdown: str):
    """rich's Markdown with code blocks drawn plain (a preview needs no syntax highlighter: the
    drill's own prompt pane highlights), so no lexer is loaded on the way to the first frame."""
    from rich.markdown import CodeBlock, Markdown
    from rich.padding import Padding

    class PlainCode(CodeBlock):
        def __rich_console__(self, console, options):
            yield Padding(Text(str(self.text).rstrip(), no_wrap=True, overflow="crop"), (1, 1), style="on #2b2b2b")

    class Preview(Markdown):
        elements = {**Markdown.elements, "fence": PlainCode, "code_block": PlainCode}

    return Preview(markdown)


class PromptPreview(Widget):
    """A prompt as ready-drawn lines (the line API: ``render_line`` hands out a kept ``Strip``)."""

    DEFAULT_CSS = "PromptPreview { height: auto; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[Strip] = []
        self._cache: dict[tuple[str, int], list[Strip]] = {}
        self.prompt_id: str | None = None
        self._text = ""

    def show(self, key: str | None, markdown: str) -> None:
        self.prompt_id, self._text = key, markdown
        self._draw()

    def _draw(self) -> None:
        width = self.size.width or (self.parent.scrollable_content_region.width if self.parent else 0) or 80
        if self.prompt_id is None:
            self.lines = []
        else:
            key = (self.prompt_id, width)
            if key not in self._cache:
                self._cache[key] = self._render_markdown(self._text, width)
            self.lines = self._cache[key]
        self.refresh(layout=True)

    @staticmethod
    def _render_markdown(markdown: str, width: int) -> list[Strip]:
        from rich.console import Console

        console = Console(width=width, color_system="truecolor", force_terminal=True)
        lines = console.render_lines(_preview_markdown(markdown), console.options.update(width=width), pad=False)
        return [Strip(line).simplify() for line in lines]

    def warm(self, prompts: list[tuple[str, str]]) -> None:
        """Draw these prompts ahead, in a thread (after the first paint): a cursor move then only
        swaps lines."""
        width = self.size.width
        if width:  # a daemon thread: quitting never waits for it
            threading.Thread(target=self._warm, args=(prompts, width), name="gradrill-prompts", daemon=True).start()

    def _warm(self, prompts: list[tuple[str, str]], width: int) -> None:
        for key, markdown in prompts:
            if (key, width) not in self._cache:
                self._cache[(key, width)] = self._render_markdown(markdown, width)

    def on_resize(self) -> None:
        if self.prompt_id is not None and (self.lines and self.lines[0].cell_length > self.size.width
                                           or (self.prompt_id, self.size.width) not in self._cache):
            self._draw()

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines)

    def render_line(self, y: int) -> Strip:
        if y >= len(self.lines):
            return Strip.blank(self.size.width, self.rich_style)
        return self.lines[y].crop_extend(0, self.size.width, self.rich_style).apply_style(self.rich_style)


class ChallengeDetail(VerticalScroll):
    def __init__(self, catalog: Catalog, **kwargs) -> None:
        super().__init__(**kwargs)
        self.catalog = catalog
        self.shown: Challenge | Chapter | None = None

    def compose(self):
        yield Static("", id="detail-info")
        yield Static("", id="detail-compact")
        yield PromptPreview(id="detail-prompt")

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
            action.append(" resumes this drill (the clock has been running since your first change)")
        elif status in ("passed", "gave_up"):
            action.append("enter", "bold")
            action.append(" drills it again: a fresh starter, the clock from your first change "
                          "(your old file is archived)")
        else:
            action.append("enter", "bold")
            action.append(" opens the drill: the clock starts at your first change")
        self.query_one("#detail-info", Static).update(Group(head, Text(""), table, Text(""), action))
        compact = Text(no_wrap=True, overflow="ellipsis")
        compact.append(f"{mark} {words}", style)
        compact.append(f" · {c.kind} · target {fmt_seconds(c.target_seconds)} · best ", "dim")
        compact.append(fmt_seconds(best), "green" if best is not None else "dim")
        compact.append(f" · {len(c.hints)} hints\n", "dim")
        compact.append(display_path(path) + "\n", "")
        compact.append_text(action)
        self.query_one("#detail-compact", Static).update(compact)
        self.query_one(PromptPreview).show(c.id, c.prompt)
        self.scroll_home(animate=False)
        self.shown = c

    def show_chapter(self, chapter: Chapter, progress: dict[str, ChallengeProgress]) -> None:
        items = self.catalog.in_chapter(chapter.id)
        self.border_title = chapter.title
        text = Text()
        passed = sum(1 for c in items if status_of(progress.get(c.id)) == "passed")
        text.append(f"{passed} of {len(items)} passed\n\n", "green" if passed == len(items) else "")
        text.append(chapter.summary or "", "")
        self.query_one("#detail-info", Static).update(text)
        self.query_one("#detail-compact", Static).update(text)
        self.query_one(PromptPreview).show(None, "")
        self.shown = chapter
