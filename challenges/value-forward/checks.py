"""Hidden checks for value-forward."""

import re

from gradrill.checks import attempt, close, expect, fail, need, not_a_value, num, value
from gradrill.checks.engine import forward_hint


def make(learner, *xs):
    Value = need(learner, "Value")
    return Value, [value(Value, x) for x in xs]


def repr_of(v):
    r = type(v).__repr__(v)
    expect(isinstance(r, str), f"__repr__ returned {r!r}; expected a string like 'Value(data=2.0)': "
                               "__repr__ must `return` the string (printing it is not enough): "
                               "`return f\"Value(data={self.data})\"`")
    return r


def shows(r, want):
    """Does the repr ``r`` read "Value(data=<want>...)"? The number in any format (2.0, 2.0000, 2), extra
    fields after it (", grad=0") allowed."""
    m = re.fullmatch(r"Value\(data=([^,)]+)(,.*)?\)", r)
    if m is None:
        return False
    try:
        return close(float(m.group(1)), want)
    except ValueError:
        return False


def result(Value, out, expr, want, inputs):
    """Check that ``out`` (built by ``expr``) is a new Value holding ``want``."""
    if isinstance(out, (int, float)) and not isinstance(out, bool):
        fail(f"{expr} returned the {type(out).__name__} {num(out)} instead of a Value; expected "
             f"Value(data={num(want)}): wrap the result in a new node: `out = Value(...)`, `return out`")
    expect(isinstance(out, Value), f"{expr} returned {out!r}; expected a new Value holding {num(want)}: "
                                   "`return out` at the end")
    expect(hasattr(out, "data"), f"{expr} returned {out!r}, {not_a_value(out)}")
    for v in inputs:
        expect(out is not v, f"{expr} returned one of its inputs; expected a new Value: build "
                             "`out = Value(...)` instead of changing self and returning it")
    return getattr(out, "data", None)


def test_repr(learner):
    """repr(Value(2.0)) is 'Value(data=2.0)'"""
    Value, (a, b) = make(learner, 2.0, -3.0)
    for v, shown in [(a, "2.0"), (b, "-3.0")]:
        r = repr_of(v)
        # the lecture's "Value(data=2.0)", the library's "Value(data=2.0, grad=0)", "Value(data=2.0000)" all pass
        expect(shows(r, float(shown)),
               f"repr(Value({shown})) is {r!r}; expected 'Value(data={shown})': the repr names the field, "
               "`f\"Value(data={self.data})\"`")


def test_add_makes_a_new_value(learner):
    """a + b returns a new Value holding the sum"""
    Value, (a, b) = make(learner, 2.0, -3.0)
    out = attempt(lambda: a + b, "Value(2.0) + Value(-3.0)", forward_hint("+"))
    data = result(Value, out, "Value(2.0) + Value(-3.0)", -1.0, (a, b))
    expect(close(data, -1.0), f"(Value(2.0) + Value(-3.0)).data is {num(data)}; expected -1.0: "
                              "add the two inputs' data: self.data + other.data")


def test_add_leaves_inputs_alone(learner):
    """a + b does not change a or b"""
    Value, (a, b) = make(learner, 2.0, -3.0)
    attempt(lambda: a + b, "Value(2.0) + Value(-3.0)", forward_hint("+"))
    expect(close(a.data, 2.0) and close(b.data, -3.0),
           f"after c = a + b with a = Value(2.0), b = Value(-3.0), a.data is {num(a.data)} and b.data is "
           f"{num(b.data)}; expected 2.0 and -3.0, unchanged: does __add__ modify self (`self.data += ...`)? "
           "build and return a new Value instead")


def test_mul_makes_a_new_value(learner):
    """a * b returns a new Value holding the product"""
    Value, (a, b) = make(learner, 2.0, -3.0)
    out = attempt(lambda: a * b, "Value(2.0) * Value(-3.0)", forward_hint("*"))
    data = result(Value, out, "Value(2.0) * Value(-3.0)", -6.0, (a, b))
    if not close(data, -6.0):
        hint = ("that is the sum: does __mul__ add (`+`) instead of multiply (`*`)?" if close(data, -1.0)
                else "multiply the two inputs' data: self.data * other.data")
        fail(f"(Value(2.0) * Value(-3.0)).data is {num(data)}; expected -6.0: {hint}")
    expect(close(a.data, 2.0) and close(b.data, -3.0),
           f"after a * b, a.data is {num(a.data)} and b.data is {num(b.data)}; expected 2.0 and -3.0: "
           "__mul__ must not change its inputs")


def test_lecture_expression(learner):
    """d = a*b + c is Value(data=4.0) for a = 2, b = -3, c = 10"""
    Value, (a, b, c) = make(learner, 2.0, -3.0, 10.0)
    e = attempt(lambda: a * b, "a*b", forward_hint("*"))
    expect(isinstance(e, Value), f"a*b returned {e!r}; expected a Value, so that a*b + c works: does __mul__ end "
                                 "with `return out`?")
    d = attempt(lambda: e + c, "a*b + c", forward_hint("+"))
    expect(isinstance(d, Value), f"a*b + c returned {d!r}; expected a Value: does __add__ end with `return out`?")
    if not close(d.data, 4.0):
        hint = "a*b should be -6.0: does __mul__ add?" if close(d.data, 9.0) else "a*b is -6.0, plus 10.0"
        fail(f"(a*b + c).data is {num(d.data)} for a = 2.0, b = -3.0, c = 10.0; expected 4.0: {hint}")
    r = repr_of(d)
    expect(shows(r, 4.0),
           f"repr(a*b + c) is {r!r}; expected 'Value(data=4.0)'")
    expect((a.data, b.data, c.data) == (2.0, -3.0, 10.0),
           f"after d = a*b + c, the inputs are {(a.data, b.data, c.data)}; expected (2.0, -3.0, 10.0), "
           "unchanged: build and return a new Value instead of changing self")
