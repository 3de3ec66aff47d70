"""The chapters and their challenges, with status marks, personal bests and target times."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...core.catalog import Catalog, Challenge, Chapter
from ...core.store import ChallengeProgress
from ...core.text import fmt_seconds
from ..format import STATUS, status_of

TIMES_WIDTH = 12  # " 1:12  1:30" right-aligned columns: best, target


class ChallengeTree(Tree[Challenge | Chapter]):
    """Enter (or a click) on a challenge posts ``Tree.NodeSelected``; the home screen opens it."""

    BINDINGS = [Binding("enter", "select_cursor", "Drill")]

    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "
    _pass_styles: dict | None = None  # the styles worked out in the drawing pass under way

    def __init__(self, catalog: Catalog, **kwargs) -> None:
        # labels are Text, never markup: a str label is parsed as markup, and its first parse loads rich's
        # table of emoji codes (5 ms of start-up)
        super().__init__(Text("challenges"), **kwargs)
        self.catalog = catalog
        self.show_root = False
        self.guide_depth = 3
        self.progress: dict[str, ChallengeProgress] = {}
        self._resized_width = 0  # the width at the last resize (0: none yet; the first layout is drawn at its width)

    # Textual's Tree works out its own style (walking every ancestor) and three of its component
    # styles again for every line it draws, cached or not: a quarter of the cost of drawing the
    # tree (its 39 lines: 10.4 ms, 7.8 ms once a pass). Within one pass of drawing they cannot
    # change, so each is worked out once a pass.

    def render_lines(self, crop):
        self._pass_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._pass_styles = None

    @property
    def rich_style(self) -> Style:
        memo = self._pass_styles
        if memo is None:
            return super().rich_style
        if "rich_style" not in memo:
            memo["rich_style"] = super().rich_style
        return memo["rich_style"]

    def get_component_styles(self, *names: str):
        memo = self._pass_styles
        if memo is None:
            return super().get_component_styles(*names)
        if names not in memo:
            memo[names] = super().get_component_styles(*names)
        return memo[names]

    def populate(self, progress: dict[str, ChallengeProgress]) -> None:
        """(Re)build the tree, keeping the cursor on the same challenge."""
        self.progress = progress
        current = self.cursor_node.data if self.cursor_node else None
        collapsed = {n.data.id for n in self.root.children if not n.is_expanded and isinstance(n.data, Chapter)}
        self.clear()
        target_line = None
        for chapter in self.catalog.chapters:
            items = self.catalog.in_chapter(chapter.id)
            if not items:
                continue
            node = self.root.add(self._chapter_label(chapter, items), data=chapter,
                                 expand=chapter.id not in collapsed)
            for c in items:
                leaf = node.add_leaf(self._challenge_title(c), data=c)
                if isinstance(current, Challenge) and current.id == c.id:
                    target_line = leaf
            if isinstance(current, Chapter) and current.id == chapter.id:
                target_line = node
        if target_line is not None:
            self._move_to(target_line)

    def select_challenge(self, challenge_id: str) -> None:
        for chapter_node in self.root.children:
            for leaf in chapter_node.children:
                if isinstance(leaf.data, Challenge) and leaf.data.id == challenge_id:
                    chapter_node.expand()
                    self._move_to(leaf)
                    return

    def _move_to(self, node: TreeNode) -> None:
        """The cursor on ``node`` once the tree is laid out (the first frame comes first: the
        highlighted challenge's prompt is drawn after it)."""
        self.call_after_refresh(self.move_cursor, node)

    def first_unfinished(self, after: str | None = None) -> Challenge | None:
        """The first challenge not passed yet (after ``after``, if given, wrapping round)."""
        items = list(self.catalog)
        if after is not None:
            ids = [c.id for c in items]
            if after in ids:
                i = ids.index(after) + 1
                items = items[i:] + items[:i]
        for c in items:
            if status_of(self.progress.get(c.id)) != "passed":
                return c
        return None

    # -- labels -----------------------------------------------------------------------
    # A challenge's node holds its mark and title; the row as drawn (the title cut or padded to
    # the tree's width, then best and target times) is made when it is drawn, so a new width
    # needs no relabelling of every node.

    def _row_width(self) -> int:
        # the row runs on into the right padding, so the times line up against the border
        return self.outer_size.width - (1 if self.show_vertical_scrollbar else 0)

    def _title_width(self) -> int:
        # room left for the title once the guides, the mark and the times are drawn
        return max(12, (self._row_width() or 60) - self.guide_depth - 2 - 2 - TIMES_WIDTH - 1)

    def _chapter_label(self, chapter: Chapter, items: list[Challenge]) -> Text:
        passed = sum(1 for c in items if status_of(self.progress.get(c.id)) == "passed")
        text = Text(chapter.title, "bold")
        text.append(f"  {passed}/{len(items)}", "green" if passed == len(items) else "dim")
        return text

    def _challenge_title(self, c: Challenge) -> Text:
        mark, _, style = STATUS[status_of(self.progress.get(c.id))]
        return Text.assemble((mark + " ", style), c.title)

    def _challenge_label(self, c: Challenge) -> Text:
        p = self.progress.get(c.id)
        mark, _, style = STATUS[status_of(p)]
        width = self._title_width()
        title = c.title if len(c.title) <= width else c.title[: width - 1] + "…"
        text = Text()
        text.append(mark + " ", style)
        text.append(title.ljust(width))
        best = p.best_s if p else None
        text.append(f"{fmt_seconds(best):>5}", "green" if best is not None else "dim")
        over = best is not None and best > c.target_seconds
        text.append(f" {fmt_seconds(c.target_seconds):>5}", "yellow" if over else "dim")
        return text

    def get_label_width(self, node: TreeNode) -> int:
        """A challenge row's width without drawing it (Textual's Tree measures every row each
        time it rebuilds its lines): the mark, the title cut or padded to its room, the times."""
        if not isinstance(node.data, Challenge):
            return super().get_label_width(node)
        mark = STATUS[status_of(self.progress.get(node.data.id))][0]
        title, width = node.data.title, self._title_width()
        shown = cell_len(title) + width - len(title) if len(title) <= width else cell_len(title[: width - 1]) + 1
        return cell_len(mark) + 1 + shown + 5 + 6

    def render_label(self, node: TreeNode, base_style: Style, style: Style) -> Text:
        if not isinstance(node.data, Challenge):
            return super().render_label(node, base_style, style)
        label = self._challenge_label(node.data)
        label.stylize(style)
        return label

    def _on_resize(self, event: events.Resize) -> None:
        # Textual's Tree lays out and draws every row again at each resize; a resize that
        # leaves the rows' width as it was (a change of height, the screen's own resize just
        # after the first frame) needs neither
        self._line_cache.grow(event.size.height)
        if self._resized_width and event.size.width != self._resized_width:
            self._invalidate()  # rows made at another width: make them again
        self._resized_width = event.size.width
        event.prevent_default()  # not Tree._on_resize

    def challenge_at_cursor(self) -> Challenge | None:
        node: TreeNode | None = self.cursor_node
        return node.data if node is not None and isinstance(node.data, Challenge) else None
