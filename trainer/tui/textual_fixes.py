"""A cost of Textual's that gradrill does not pay (a small patch, applied on import, that
leaves Textual's behaviour as it was and does nothing on a Textual laid out otherwise).

- The highlight query: Textual compiles a language's tree-sitter query for every editor it
  makes (70 ms for Python), though a query is meant to be prepared once and reused.
- The footer's keys: each ``FooterKey`` starts compact (``compact = reactive(True)``) and is
  then bound to its footer's ``compact`` (False unless asked for), so every key of every
  footer is restyled twice when it mounts: once to add ``-compact``, once to take it away.
  The footer recomposes whenever the focus moves, so that was a good part of each key press.
  A bound key now starts as its footer is, so it mounts with the classes it ends with (the
  command palette's key, which is not bound, keeps its compact default).
"""

from __future__ import annotations


def _prepare_each_query_once() -> None:
    try:
        from textual.document._syntax_aware_document import SyntaxAwareDocument
    except ImportError:  # no tree-sitter (plain textual), or another layout: nothing to keep
        return
    prepare = SyntaxAwareDocument.prepare_query
    if getattr(prepare, "gradrill_once", False):
        return
    prepared: dict = {}

    def prepare_once(self, query: str):
        try:
            key = (self.language, query)
            hash(key)
        except (AttributeError, TypeError):
            return prepare(self, query)
        if key not in prepared:
            prepared[key] = prepare(self, query)
        return prepared[key]

    prepare_once.gradrill_once = True
    SyntaxAwareDocument.prepare_query = prepare_once


def _footer_keys_start_as_their_footer() -> None:
    try:
        from textual.widgets._footer import Footer, FooterKey
    except ImportError:
        return
    compose = Footer.compose
    if getattr(compose, "gradrill_once", False) or not hasattr(FooterKey, "set_reactive"):
        return

    def compose_keys_as_they_end(self):
        for widget in compose(self):
            bound = getattr(widget, "_reactive_connect", None) or {}
            if isinstance(widget, FooterKey) and "compact" in bound:
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    compose_keys_as_they_end.gradrill_once = True
    Footer.compose = compose_keys_as_they_end


_prepare_each_query_once()
_footer_keys_start_as_their_footer()
