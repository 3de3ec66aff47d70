"""Textual's parsed stylesheets, kept between runs (and between the apps of one process).

Textual parses every stylesheet it meets (gradrill's ``.tcss`` files and each widget's
``DEFAULT_CSS``) at every start: tokenizing, substituting the theme's variables, building
rule sets. For the home screen that is 4% of the work from launch to the first frame (58 of
1,479 million instructions, counted with cachegrind), and every screen opened later parses its
own. Textual keeps what it parsed only for the life of one stylesheet; this keeps it on disk.

A parse's result depends on the CSS text, where it was read from, its place among the
sources, and the theme's variables; all of them are the key, compared exactly. The file is
also stamped with Textual's CSS code (the size and time of each of its modules), so another
Textual release starts afresh. A source with errors is never kept (Textual reports it as
before). A cache that cannot be read or written is ignored: it costs only speed (written as
the catalog's cache is: ``catalog_cache.write_pickle``).

``install()`` patches ``Stylesheet._parse_rules`` once (it does nothing on a Textual whose
method has another shape); ``write()`` keeps what was parsed afresh (the app calls it as it
closes: ``gradrill`` ends its process at once after that, without running ``atexit``, which
covers any other way out).
"""

from __future__ import annotations

import atexit
import os
import pickle
from pathlib import Path
from typing import Any

from ..core import catalog_cache

_FILE = "textual-css.pickle"
_THEMES_KEPT = 4  # variable sets (one a theme) kept in the file: the most recently used
_PARAMETERS = ("self", "css", "read_from", "is_default_rules", "tie_breaker", "scope")


class _Cache:
    """Parsed rules by theme (the variables), then by source; each entry kept pickled until
    it is asked for, so opening the file costs little however many screens it holds."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.themes: dict[tuple, dict[tuple, Any]] | None = None  # None: not read yet
        self.changed = False

    def read(self) -> None:
        from .. import locations

        self.themes = {}
        try:
            self.path = locations.cache_dir() / _FILE
            with self.path.open("rb") as f:
                stamp, themes = pickle.load(f)
        except Exception:  # noqa: BLE001 - missing, partial or unreadable: parse afresh
            return
        if stamp == _stamp() and isinstance(themes, dict):
            self.themes = themes

    def theme(self, variables: tuple) -> dict[tuple, Any]:
        if self.themes is None:
            self.read()
        assert self.themes is not None
        entries = self.themes.pop(variables, None)
        if entries is None:
            entries = {}
        self.themes[variables] = entries  # the most recently used last
        return entries

    def write(self) -> None:
        if not self.changed or self.path is None or self.themes is None:
            return
        self.changed = False
        themes = dict(list(self.themes.items())[-_THEMES_KEPT:])
        kept = {variables: {key: [entry[0], None] for key, entry in entries.items()}
                for variables, entries in themes.items()}
        catalog_cache.write_pickle(self.path, (_stamp(), kept))


_cache = _Cache()


def _stamp() -> tuple:
    """Textual's CSS code as installed: each module's name, size and time."""
    from textual import css

    folder = Path(css.__file__).parent
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                            for e in os.scandir(folder) if e.name.endswith(".py")))
    except OSError:
        return ()


def _variables(sheet) -> tuple:
    """The theme's variables as a key (worked out again only when the stylesheet's change)."""
    variables = sheet._variables
    known = getattr(sheet, "_gradrill_variables", None)
    if known is None or known[0] is not variables:
        known = (variables, tuple(sorted(variables.items())))
        sheet._gradrill_variables = known
    return known[1]


def write() -> None:
    """Keep what this process parsed afresh (nothing to do if it parsed nothing)."""
    _cache.write()


def install() -> None:
    """Keep Textual's parsed stylesheets (once per process; nothing on another Textual)."""
    try:
        from textual.css.stylesheet import Stylesheet
    except ImportError:
        return
    parse = Stylesheet._parse_rules
    if getattr(parse, "gradrill_kept", False):
        return
    code = getattr(parse, "__code__", None)
    if code is None or code.co_varnames[: len(_PARAMETERS)] != _PARAMETERS:
        return  # another Textual: its own parsing, untouched

    def parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        try:
            entries = _cache.theme(_variables(self))
        except Exception:  # noqa: BLE001 - no cache: Textual's own parse
            return parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        entry = entries.get(key)  # [the rules pickled, the rules once read in this process]
        if entry is not None and entry[1] is None:
            try:
                entry[1] = pickle.loads(entry[0])
            except Exception:  # noqa: BLE001 - an entry that cannot be read: parse it again
                entry = None
        if entry is not None:
            return entry[1]
        rules = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        if not any(rule.errors for rule in rules):
            try:
                entries[key] = [pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL), rules]
                _cache.changed = True
            except Exception:  # noqa: BLE001 - rules that do not pickle are parsed each time
                pass
        return rules

    parse_rules.gradrill_kept = True
    Stylesheet._parse_rules = parse_rules
    atexit.register(write)
