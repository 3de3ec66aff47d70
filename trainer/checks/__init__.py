"""Helpers for writing hidden checks (``challenges/*/checks.py``): ``gradrill.checks``.

Every check receives the learner's module as the ``learner`` fixture. A failure message
says what was expected, what came back, and the likely mistake::

    a.grad is 1.0 after (a + a).backward(); expected 2.0: is `_backward` assigning with `=`
    instead of accumulating with `+=`?

The helpers accept micrograd in both its forms: the library's (``relu``, ``Module``,
``nonlin``, no ``label``) and the lecture's (``label``, ``tanh``, ``exp``).

- ``in_both_orders``: a check decorated with it runs twice, every node's children met in one order, then in
  the other (``order``: the order is the same in every run, never the memory addresses');
- this package: the basics (``need``, ``value``, ``expect_close``, ``numgrad``, ``nodes_of``...),
  running learner code (``attempt``, ``is_value``, ``expect_number``) and the likely cause of an
  exception (``likely_cause``, ``where``);
- ``gradrill.checks.engine``: the lecture's graphs, topological orders, graphviz source;
- ``gradrill.checks.ops``: operations and their gradients against finite differences;
- ``gradrill.checks.nn``: neurons, layers, networks, losses and training runs.
"""

from .basics import (
    close, expect, expect_close, fail, has_label, need, need_method, nodes_of, num, numgrad, topo_ok, value,
)
from .causes import NONE_RETURNED, WRAP, learner_frames, likely_cause, mixing_cause, recursion_cause, where
from .order import in_both_orders, settle
from .running import attempt, data_of, expect_number, fmt, is_value, not_a_value

__all__ = [
    "close", "expect", "expect_close", "fail", "has_label", "need", "need_method", "nodes_of", "num",
    "numgrad", "topo_ok", "value", "NONE_RETURNED", "WRAP", "learner_frames", "likely_cause",
    "mixing_cause", "recursion_cause", "where", "attempt", "data_of", "expect_number", "fmt", "is_value", "not_a_value",
    "in_both_orders", "settle",
]
