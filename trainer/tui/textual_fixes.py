"""A cost of Textual's that gradrill does not pay (a small patch, applied on import, that
leaves Textual's behaviour as it was and does nothing on a Textual laid out otherwise).

- The highlight query: Textual compiles a language's tree-sitter query for every editor it
  makes (70 ms for Python), though a query is meant to be prepared once and reused. This one
  is applied by the editor's module (``prepare_each_query_once``): the home screen has no
  editor, and need not import tree-sitter to start.
- The footer's keys: each ``FooterKey`` starts compact (``compact = reactive(True)``) and is
  then bound to its footer's ``compact`` (False unless asked for), so every key of every
  footer is restyled twice when it mounts: once to add ``-compact``, once to take it away.
  The footer recomposes whenever the focus moves, so that was a good part of each key press.
  A bound key now starts as its footer is, so it mounts with the classes it ends with (the
  command palette's key, which is not bound, keeps its compact default).
- The footer's recompositions: it throws its keys away and mounts new ones whenever the
  bindings may have changed (every move of the focus, every screen shown), most often to
  show the very same keys. It now recomposes only when the keys it would show differ from
  the keys it shows.
"""

from __future__ import annotations


def prepare_each_query_once() -> None:
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


def _footer_recomposes_only_for_new_keys() -> None:
    try:
        from textual.widgets._footer import Footer
    except ImportError:
        return
    recompose = Footer.recompose
    if getattr(recompose, "gradrill_once", False):
        return
    compose = Footer.compose

    def keys_shown(footer) -> tuple:
        """What the footer's compose draws from: the shown bindings, the palette's, compactness."""
        bindings = footer.screen.active_bindings
        keys = tuple((binding, enabled, tooltip) for _, binding, enabled, tooltip in bindings.values() if binding.show)
        palette = None
        if footer.show_command_palette and footer.app.ENABLE_COMMAND_PALETTE:
            palette = bindings.get(footer.app.COMMAND_PALETTE_BINDING)
        return keys, palette[1:] if palette else None, footer.compact

    def compose_and_remember(self):
        self._gradrill_keys = keys_shown(self) if getattr(self, "_bindings_ready", True) else None
        yield from compose(self)

    async def recompose_for_new_keys(self) -> None:
        if (self.is_attached and getattr(self, "_bindings_ready", True)
                and getattr(self, "_gradrill_keys", None) == keys_shown(self)):
            return  # the same keys: nothing to throw away and mount again
        await recompose(self)

    compose_and_remember.gradrill_once = recompose_for_new_keys.gradrill_once = True
    Footer.compose = compose_and_remember
    Footer.recompose = recompose_for_new_keys


_footer_keys_start_as_their_footer()
_footer_recomposes_only_for_new_keys()
