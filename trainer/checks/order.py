"""The order in which a learner's code meets a node's children: fixed, and tried both ways.

micrograd keeps a node's children in a set (``self._prev = set(_children)``), and a set of
Values iterates in an order that follows their hashes: for a class that does not define
``__hash__``, their memory addresses. So a walk over ``_prev`` (``build_topo``) visits
children in an order that changes from run to run, and a mistake that shows only in some
orders (``=`` instead of ``+=`` in a closure, a breadth-first "topological" order) would
pass one run and fail the next.

``settle(learner)`` gives the learner's ``Value`` a hash that numbers Values in the order
they are first hashed (a set is built from the children when a result is built, so: in
the order the graph is built), which is the same in every run; ``need`` calls it, so every
check that fetches something from the learner's file runs with it. ``in_both_orders``
runs a check twice: with that numbering, then with every node's children met in the
reverse order (hash ``~n``: a set's slots are mirrored), so a mistake that depends on the
order fails whichever way it leans. One file, one verdict.

The first ``settle`` also seeds Python's ``random`` (a network's starting weights), once per grading.

Equality stays identity; a class that defines ``__hash__`` or ``__eq__`` (or has no
``__dict__``) is left alone.
"""

from __future__ import annotations

import functools
import gc
import itertools
import random
from typing import Any, Callable

__all__ = ["settle", "in_both_orders", "reversed_children", "ORDER_ATTR"]

ORDER_ATTR = "_gradrill_order"  # where a Value keeps its number (hidden from messages that list attributes)

_counter = itertools.count(1)
_mirrored = False
_settled: set[int] = set()
_imported: list[Any] | None = None  # what the learner's import made, if the grader listed it


def note_imported(objects: list[Any]) -> None:
    """The grader lists what the learner's import made, before it freezes that with its own objects and the
    two can no longer be told apart (``gc.get_objects()`` then lists neither)."""
    global _imported
    _imported = objects


def _hash(self: Any) -> int:
    d = self.__dict__
    h = d.get(ORDER_ATTR)
    if h is None:
        n = next(_counter)
        h = d[ORDER_ATTR] = ~n if _mirrored else n
    return h


def _plain_hash(self: Any) -> int:
    """``_hash`` for a class with Python's own attribute access (no ``__getattr__``, ``__getattribute__``
    or ``__setattr__`` of its own): the same numbers, kept under ``ORDER_ATTR`` and read as a plain
    attribute, which costs half as much (a training check hashes each Value four or five times: a set
    of children, a visited set)."""
    try:
        return self._gradrill_order
    except AttributeError:
        n = next(_counter)
        h = self._gradrill_order = ~n if _mirrored else n
        return h


def settle(learner: Any) -> None:
    """Give ``learner.Value`` the deterministic hash (once), and restart the numbering."""
    global _counter
    _counter = itertools.count(1)
    cls = getattr(learner, "Value", None)
    if not isinstance(cls, type) or id(cls) in _settled:
        return
    _settled.add(id(cls))
    random.seed(20240607)  # the learner's random draws too: the same numbers in every run
    if cls.__hash__ is not object.__hash__ or cls.__eq__ is not object.__eq__:
        return  # the learner's own hash or equality: theirs to keep
    # Values made before now (at import) keep the hash they may already be stored under.
    objects = _imported if _imported is not None else gc.get_objects()
    for obj in objects:
        if type(obj) is cls or isinstance(obj, cls):
            d = getattr(obj, "__dict__", None)
            if isinstance(d, dict):
                d.setdefault(ORDER_ATTR, object.__hash__(obj))
    try:
        probe = cls.__new__(cls)
        probe.__dict__  # noqa: B018 - a Value with __slots__ only keeps the id hash
    except Exception:  # noqa: BLE001
        return
    plain = (cls.__getattribute__ is object.__getattribute__ and cls.__setattr__ is object.__setattr__
             and not hasattr(cls, "__getattr__") and not hasattr(cls, ORDER_ATTR))
    cls.__hash__ = _plain_hash if plain else _hash


class reversed_children:
    """Within: new Values are numbered so that every set of them iterates in the mirrored order."""

    def __enter__(self) -> None:
        global _mirrored, _counter
        _mirrored, _counter = True, itertools.count(1)

    def __exit__(self, *exc: Any) -> None:
        global _mirrored
        _mirrored = False


def in_both_orders(check: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a check whose graphs the learner's code walks: it runs with every node's children met in one
    order, then in the reverse order, and must pass both times."""
    @functools.wraps(check)
    def both(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        with reversed_children():
            return check(*args, **kwargs)
    return both
