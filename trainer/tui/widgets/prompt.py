"""The prompt pane: the challenge's prompt as Markdown, and the hints taken so far."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from ...core.catalog import Challenge


class HintCard(Markdown):
    """One hint, numbered."""


class PromptPane(VerticalScroll, can_focus=True):
    def __init__(self, challenge: Challenge, **kwargs) -> None:
        super().__init__(**kwargs)
        self.challenge = challenge
        self.border_title = "prompt"

    def compose(self):
        yield Markdown(self.challenge.prompt, id="prompt-markdown")
        yield Static("", id="hints-heading", classes="-hidden")

    def show_hint(self, number: int, text: str, *, scroll: bool = True) -> None:
        total = len(self.challenge.hints)
        heading = self.query_one("#hints-heading", Static)
        heading.remove_class("-hidden")
        heading.update(f"Hints taken: {number} of {total}")
        card = HintCard(text, classes="hint")
        card.border_title = f"hint {number} of {total}"
        self.mount(card)
        if scroll:
            self.call_after_refresh(self.scroll_to_widget, card, animate=False)

    def clear_hints(self) -> None:
        self.query(HintCard).remove()
        self.query_one("#hints-heading", Static).add_class("-hidden")
