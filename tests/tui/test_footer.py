"""The footer (Textual's, with gradrill's fixes in tui/textual_fixes.py) mounts new keys only
when the keys to show change: a move of the focus that keeps the same bindings keeps its keys."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.binding import Binding
from textual.widgets import Button, Footer
from textual.widgets._footer import FooterKey

import gradrill.tui.textual_fixes  # noqa: F401 - the fixes, as the trainer applies them

from tests.helpers import wait_for

pytestmark = pytest.mark.anyio


class Quiet(Button):
    pass


class Loud(Button):
    BINDINGS = [Binding("f6", "shout", "Shout")]
    allowed = True

    def action_shout(self) -> None:
        pass

    def check_action(self, action: str, parameters) -> bool | None:
        return None if action == "shout" and not self.allowed else True


class Keys(App):
    BINDINGS = [Binding("f5", "nothing", "Nothing")]

    def compose(self):
        yield Quiet("one", id="one")
        yield Quiet("two", id="two")
        yield Loud("three", id="three")
        yield Footer()

    def action_nothing(self) -> None:
        pass


def shown(app) -> list[tuple[str, bool]]:
    return [(key.key, key.has_class("-disabled")) for key in app.screen.query(FooterKey)]


async def test_the_footer_keeps_its_keys_while_they_stay_the_same_and_shows_new_ones():
    app = Keys()
    async with app.run_test() as pilot:
        app.query_one("#one").focus()
        assert await wait_for(pilot, lambda: ("f5", False) in shown(app))
        keys = list(app.screen.query(FooterKey))
        app.query_one("#two").focus()  # the same bindings
        await pilot.pause()
        await pilot.pause()
        assert list(app.screen.query(FooterKey)) == keys  # the very same widgets: no recomposition
        app.query_one("#three").focus()  # one more binding
        assert await wait_for(pilot, lambda: ("f6", False) in shown(app))
        app.query_one("#three", Loud).allowed = False  # the same keys, one of them disabled now
        app.refresh_bindings()
        assert await wait_for(pilot, lambda: ("f6", True) in shown(app))
        app.query_one("#one").focus()
        assert await wait_for(pilot, lambda: "f6" not in [key for key, _ in shown(app)])
