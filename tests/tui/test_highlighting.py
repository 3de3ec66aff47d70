"""The editor highlights Python with only the Python grammar installed (tree-sitter and
tree-sitter-python are dependencies of their own; textual[syntax] would bring 15 grammars)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from gradrill.tui.widgets.editor import CodeEditor

pytestmark = pytest.mark.anyio


class EditorApp(App):
    def compose(self) -> ComposeResult:
        yield CodeEditor.for_file("def f(x):\n    return x + 1\n", "f.py")


async def test_the_editor_highlights_python():
    app = EditorApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        editor = app.query_one(CodeEditor)
        assert editor.language == "python"
        assert type(editor.document).__name__ == "SyntaxAwareDocument"  # a tree-sitter parse, not plain text
        names = {name for _, _, name in editor._highlights[0]}
        assert any(name.startswith("keyword") for name in names), names  # `def` is a keyword
