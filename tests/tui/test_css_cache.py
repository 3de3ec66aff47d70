"""Textual's parsed stylesheets kept between runs (``gradrill.tui.css_cache``): a start after the
first parses nothing, gets rules equal to Textual's own, and never keeps what it should not."""

from __future__ import annotations

import pickle

import pytest
from gradrill.tui import css_cache
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet, StylesheetParseError

from tests.helpers import env_for, python_output

CSS = "Static { color: $text; padding: 1 2; }\n#bar > Label:focus { background: $primary 50%; }"
THEME = {"text": "white", "primary": "#004578"}


@pytest.fixture
def cache(monkeypatch, home):
    """A fresh cache (the process's own is shared by every app it runs), Textual's parse counted."""
    css_cache.install()
    fresh = css_cache._Cache()
    monkeypatch.setattr(css_cache, "_cache", fresh)
    parsed: list[str] = []
    parse = textual_stylesheet.parse

    def counted(scope, css, *args, **kwargs):
        parsed.append(css)
        return parse(scope, css, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counted)
    fresh.parsed = parsed
    return fresh


def rules_of(css: str = CSS, variables: dict[str, str] = THEME) -> list[str]:
    sheet = Stylesheet(variables=dict(variables))
    sheet.add_source(css, read_from=("test.tcss", ""))
    sheet.parse()
    return [rule.css for rule in sheet.rules]


def a_new_process(cache) -> None:
    """What the next start sees: the file written at this one's end, read afresh."""
    cache.write()
    css_cache._cache.__init__()


def test_the_next_start_parses_nothing_and_gets_the_same_rules(cache):
    first = rules_of()
    assert cache.parsed == [CSS]
    a_new_process(cache)
    again = rules_of()
    assert again == first
    assert cache.parsed == [CSS]  # read from the file, not parsed again


def test_a_stylesheet_parsed_again_in_one_process_is_not_unpickled_again(cache):
    rules_of()
    a_new_process(cache)
    rules_of()
    rules_of()
    entries = next(iter(css_cache._cache.themes.values()))
    assert all(entry[1] is not None for entry in entries.values())
    assert cache.parsed == [CSS]


def test_another_theme_or_another_text_is_parsed_afresh(cache):
    light = rules_of()
    dark = rules_of(variables={"text": "black", "primary": "#ff0000"})
    assert dark != light  # the variables are substituted as the CSS is parsed
    changed = CSS.replace("padding: 1 2", "padding: 0")
    rules_of(changed)
    assert len(cache.parsed) == 3
    a_new_process(cache)
    rules_of(), rules_of(variables={"text": "black", "primary": "#ff0000"}), rules_of(changed)
    assert len(cache.parsed) == 3  # all three kept


def test_another_textual_starts_afresh(cache, monkeypatch):
    rules_of()
    cache.write()
    monkeypatch.setattr(css_cache, "_stamp", lambda: (("parse.py", 1, 2),))
    css_cache._cache.__init__()
    rules_of()
    assert len(cache.parsed) == 2


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(("stamp", "not a dict"))])
def test_a_damaged_file_costs_only_a_parse(cache, content):
    rules_of()
    cache.write()
    cache.path.write_bytes(content)
    css_cache._cache.__init__()
    assert rules_of()
    assert len(cache.parsed) == 2


def test_css_with_errors_is_never_kept_and_still_reported(cache):
    bad = "Static { colour: red; }"
    with pytest.raises(StylesheetParseError):
        rules_of(bad)
    assert not any(next(iter(cache.themes.values()), {}))
    assert not cache.changed


def test_the_app_keeps_its_parsed_stylesheets_as_it_closes_for_the_next_start(tmp_path):
    code = ("import asyncio; from textual.css import stylesheet as s; n = []; p = s.parse\n"
            "def counted(*a, **k):\n    n.append(1); return p(*a, **k)\n"
            "s.parse = counted\n"
            "from gradrill.tui.app import GradrillApp\n"
            "async def main():\n"
            "    app = GradrillApp(watch=False)\n"
            "    async with app.run_test(size=(120, 40)) as pilot:\n        await pilot.pause()\n"
            "asyncio.run(main()); print(len(n), flush=True)\n"
            "import os; os._exit(0)  # as gradrill ends once the trainer has closed: no atexit")
    env = env_for(tmp_path)
    assert int(python_output(code, env).split()[-1]) > 5  # the app's own stylesheet and its widgets' defaults
    assert python_output(code, env).split()[-1] == "0"  # the next start parses nothing
