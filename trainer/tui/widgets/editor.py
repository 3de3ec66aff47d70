"""The in-app editor: a Python ``TextArea`` that knows what was last saved to disk."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from .. import textual_fixes

textual_fixes.prepare_each_query_once()


class CodeEditor(TextArea):
    """``CodeEditor.for_file(text, name)``: syntax highlighting, line numbers, 4-space indents.

    ``saved_text`` is the text last loaded from or written to the file; ``modified`` says
    whether the editor differs from it. The border shows the file name and that state.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.saved_text = self.text
        self.file_name = ""

    @classmethod
    def for_file(cls, text: str, file_name: str, **kwargs) -> "CodeEditor":
        editor = cls.code_editor(text, language="python", soft_wrap=False, **kwargs)
        editor.indent_width = 4
        editor.saved_text = text
        editor.file_name = file_name
        editor.border_title = file_name
        editor.border_subtitle = "saved"
        return editor

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            return  # not "focus the next widget": the screen's escape (back) takes it, in one press
        if event.key == "enter" and not self.read_only:
            event.stop()
            event.prevent_default()
            self._restart_blink()
            start, end = self.selection
            self._replace_via_keyboard("\n" + self._indent_after(min(start, end)), start, end)
            return
        await super()._on_key(event)

    def _indent_after(self, location: tuple[int, int]) -> str:
        """Enter keeps the line's indentation, and adds a level after a ``:`` (``def``, ``if``, ...)."""
        row, col = location
        before = self.document.get_line(row)[:col]
        indent = before[:len(before) - len(before.lstrip(" \t"))]
        code = before.split("#", 1)[0].rstrip()
        if code.endswith(":"):
            indent += " " * self.indent_width
        return indent

    @property
    def modified(self) -> bool:
        return self.text != self.saved_text

    def mark_saved(self, text: str | None = None) -> None:
        self.saved_text = self.text if text is None else text
        self._update_state()

    def load(self, text: str) -> None:
        """Replace the text with the file's (keeping the cursor where it can) and mark it saved."""
        row, col = self.cursor_location
        self.saved_text = text
        self.load_text(text)
        last = max(0, self.document.line_count - 1)
        row = min(row, last)
        self.cursor_location = (row, min(col, len(self.document.get_line(row))))
        self._update_state()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._update_state()

    def _update_state(self) -> None:
        self.border_subtitle = "modified: ctrl+s saves" if self.modified else "saved"
        self.set_class(self.modified, "-modified")
