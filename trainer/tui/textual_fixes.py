"""A cost of Textual's that gradrill does not pay (a small patch, applied on import, that
leaves Textual's behaviour as it was and does nothing on a Textual laid out otherwise).

The highlight query: Textual compiles a language's tree-sitter query for every editor it
makes (70 ms for Python), though a query is meant to be prepared once and reused.
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


_prepare_each_query_once()
