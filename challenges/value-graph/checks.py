"""Hidden checks for value-graph."""

import pytest

from gradrill.checks import attempt, close, expect, fail, has_label, need, value
from gradrill.checks.engine import forward_hint


def make(learner, *xs):
    Value = need(learner, "Value")
    return Value, [value(Value, x) for x in xs]


def has_only(v):
    """" (it has: data, prev, _op)": the attributes the learner did store, to spot a misspelt name."""
    names = sorted(n for n in vars(v) if n != "_gradrill_order") if hasattr(v, "__dict__") else []
    return f" (it has: {', '.join(names)})" if names else ""


def add(a, b, expr="a + b"):
    return attempt(lambda: a + b, expr, forward_hint("+"))


def mul(a, b, expr="a*b"):
    return attempt(lambda: a * b, expr, forward_hint("*"))


def prev_of(v, expr):
    if not hasattr(v, "_prev"):
        fail(f"{expr} has no `_prev`{has_only(v)}; expected the set of its children: in __init__, "
             "`self._prev = set(_children)` (the name starts with an underscore)")
    prev = v._prev
    if not isinstance(prev, (set, frozenset)):
        fail(f"{expr}._prev is a {type(prev).__name__} {prev!r}; expected a set: store "
             "`self._prev = set(_children)`, so that a node used twice is one child")
    return prev


def op_of(v, expr):
    if not hasattr(v, "_op"):
        fail(f"{expr} has no `_op`{has_only(v)}; expected the op that made it: in __init__, `self._op = _op`")
    return v._op


def check_children(node, expr, want, names):
    prev = prev_of(node, expr)
    if prev == set(want) and all(any(p is w for w in want) for p in prev):
        return
    shown = "{" + ", ".join(names) + "}"
    if any(isinstance(p, (int, float)) for p in prev):
        fail(f"{expr}._prev is {prev!r}; expected {shown}, the Value objects themselves: pass "
             "`(self, other)` as the children, not their data")
    if not prev:
        fail(f"{expr}._prev is empty; expected {shown}: build the result with "
             "`Value(..., (self, other), ...)` so it remembers its children")
    fail(f"{expr}._prev is {prev!r}; expected {shown}: pass `(self, other)` as the children")


@pytest.mark.task(taskno=1)
def test_leaf(learner):
    """a leaf has no children and the op ''"""
    Value, (a,) = make(learner, 2.0)
    prev = prev_of(a, "Value(2.0)")
    expect(len(prev) == 0, f"Value(2.0)._prev is {prev!r}; expected an empty set: the default is `_children=()`")
    op = op_of(a, "Value(2.0)")
    expect(op == "", f"Value(2.0)._op is {op!r}; expected '': the default is `_op=''`")


@pytest.mark.task(taskno=1)
def test_add_records_children_and_op(learner):
    """c = a + b has c._prev == {a, b} and c._op == '+'"""
    Value, (a, b) = make(learner, 2.0, -3.0)
    c = add(a, b)
    expect(close(getattr(c, "data", None), -1.0), f"(a + b).data is {getattr(c, 'data', None)!r} for a = 2.0, b = -3.0; "
           "expected -1.0: keep the sum, `Value(self.data + other.data, (self, other), '+')`")
    check_children(c, "(a + b)", [a, b], ["a", "b"])
    op = op_of(c, "(a + b)")
    expect(op == "+", f"(a + b)._op is {op!r}; expected '+'" + (
        ": the ops are swapped: __add__ passes '+', __mul__ passes '*'" if op == "*" else
        ": __add__ builds `Value(self.data + other.data, (self, other), '+')`"))


@pytest.mark.task(taskno=1)
def test_mul_records_children_and_op(learner):
    """e = a*b has e._prev == {a, b} and e._op == '*'"""
    Value, (a, b) = make(learner, 2.0, -3.0)
    e = mul(a, b)
    expect(close(getattr(e, "data", None), -6.0), f"(a*b).data is {getattr(e, 'data', None)!r} for a = 2.0, b = -3.0; "
           "expected -6.0: keep the product, `Value(self.data * other.data, (self, other), '*')`")
    check_children(e, "(a*b)", [a, b], ["a", "b"])
    op = op_of(e, "(a*b)")
    expect(op == "*", f"(a*b)._op is {op!r}; expected '*'" + (
        ": the ops are swapped: __add__ passes '+', __mul__ passes '*'" if op == "+" else
        ": __mul__ builds `Value(self.data * other.data, (self, other), '*')`"))


@pytest.mark.task(taskno=1)
def test_nested_expression(learner):
    """in d = a*b + c, d's children are the node e = a*b and c"""
    Value, (a, b, c) = make(learner, 2.0, -3.0, 10.0)
    e = mul(a, b)
    d = add(e, c, "a*b + c")
    check_children(d, "(a*b + c)", [e, c], ["e", "c"])
    check_children(e, "(a*b)", [a, b], ["a", "b"])
    expect((op_of(d, "(a*b + c)"), op_of(e, "(a*b)")) == ("+", "*"),
           f"d = a*b + c has d._op {d._op!r} and e = a*b has e._op {e._op!r}; expected '+' and '*'")


@pytest.mark.task(taskno=1)
def test_same_node_twice(learner):
    """a + a has one child: a"""
    Value, (a,) = make(learner, 3.0)
    b = add(a, a, "a + a")
    prev = prev_of(b, "(a + a)")
    expect(len(prev) == 1 and next(iter(prev)) is a,
           f"(a + a)._prev is {prev!r}; expected {{a}}, one child: store the children as `set(_children)`")


def need_label_param(Value):
    if not has_label(Value):
        fail("Value's constructor takes no `label`; expected `def __init__(self, data, _children=(), _op='', "
             "label='')`")


@pytest.mark.task(taskno=2)
def test_label(learner):
    """Value(2.0, label='a').label is 'a'"""
    Value = need(learner, "Value")
    need_label_param(Value)
    a = value(Value, 2.0, label="a")
    if not hasattr(a, "label"):
        fail(f"Value(2.0, label='a') has no `label`{has_only(a)}; expected 'a': is the label ignored? store it "
             "in __init__: `self.label = label`")
    got = a.label
    expect(got == "a", f"Value(2.0, label='a').label is {got!r}; expected 'a': is the label ignored? "
                       "store it in __init__: `self.label = label`")


@pytest.mark.task(taskno=2)
def test_label_defaults_to_empty(learner):
    """a Value made without a label, and the result of an op, have label ''; it can be set later"""
    Value = need(learner, "Value")
    need_label_param(Value)
    a, b = value(Value, 2.0, label="a"), value(Value, -3.0, label="b")
    for v, expr in [(Value(2.0), "Value(2.0)"), (mul(a, b), "(a*b)")]:
        if not hasattr(v, "label"):
            fail(f"{expr} has no `label`{has_only(v)}; expected '': is the label ignored? the default is "
                 "`label=''`, stored with `self.label = label`")
        got = v.label
        expect(got == "", f"{expr}.label is {got!r}; expected '': is the label ignored? the default is "
                          "`label=''`, stored with `self.label = label`")
    e = a * b
    e.label = "e"
    expect(e.label == "e", f"after e.label = 'e', e.label is {e.label!r}; expected 'e'")
