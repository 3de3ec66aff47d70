"""The likely mistake behind an exception raised by the learner's code, and where in their file it
was raised: one general diagnosis shared by every challenge's checks (chapter helpers add their own
cases in front of it through ``attempt``'s ``hint``)."""

from __future__ import annotations

import difflib
import os
import re
import sys
import traceback

__all__ = ["learner_frames", "where", "likely_cause", "mixing_cause", "recursion_cause", "WRAP", "NONE_RETURNED"]


def learner_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    """The frames of ``exc``'s traceback that are in the learner's file."""
    module = sys.modules.get("learner")
    path = getattr(module, "__file__", None)
    if not path:
        return []
    path = os.path.abspath(path)
    return [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == path]


def where(exc: BaseException) -> str:
    """`` (line N: `source`)`` for the innermost frame of the learner's file, if any, after the frame that
    called it (``line M: `...` -> line N: `...```), so an error inside an op called by a closure shows both."""
    frames = learner_frames(exc)
    if not frames:
        return ""
    shown = [f"line {f.lineno}: `{(f.line or '').strip()}`" for f in frames[-2:]]
    if len(shown) == 2 and shown[0] == shown[1]:
        shown = shown[1:]
    return " (" + " -> ".join(shown) + ")"


# ---------------------------------------------------------------------------------------
# The likely mistake behind an exception raised by the learner's code (any challenge)

WRAP = "other = other if isinstance(other, Value) else Value(other)"

# operator symbol -> (method, reflected method), for naming what a TypeError says is missing
_METHODS = {"+": ("__add__", "__radd__"), "-": ("__sub__", "__rsub__"), "*": ("__mul__", "__rmul__"),
            "/": ("__truediv__", "__rtruediv__"), "**": ("__pow__", "")}

# the attributes a learner's class is expected to have, when the object itself is not at hand
_KNOWN_ATTRS = {"Neuron": ["w", "b"], "Layer": ["neurons"], "MLP": ["layers"],
                "Value": ["data", "grad", "_prev", "_backward"]}

NONE_RETURNED = "a method returned None: does every method `return` the Value (or list) it builds?"


def _learner_lines(exc: BaseException) -> list[str]:
    return [(f.line or "").strip() for f in learner_frames(exc)]


def recursion_cause(exc: BaseException) -> str:
    """A RecursionError: a reflected (dunder) method that asks Python for itself again, or a named function
    that calls itself without end; "" when no frame of the learner's file shows which."""
    frames = learner_frames(exc)
    name = frames[-1].name if frames else ""
    if name.startswith("__") and name.endswith("__"):
        line = f"`{(frames[-1].line or '').strip()}`"
        return (f"{name} calls itself: with other a plain number, {line} asks Python for Value.{name} again, "
                "without end: build the result with a Value first: `self + other` in __radd__, `self * other` "
                "in __rmul__, `other + (-self)` in __rsub__, `other * self**-1` in __rtruediv__ (-self and "
                "self**-1 are Values)")
    if name:
        return (f"`{name}` calls itself without end: does it stop (a `visited` set in the topological "
                "sort), and does each call get a smaller problem?")
    return ""


def mixing_cause(exc: BaseException) -> str:
    """The likely mistake behind an error raised where plain numbers and Values meet (a missing reflected
    method, a missing __pow__/__truediv__/__neg__, an unwrapped number); "" if the error is not one."""
    text = str(exc)
    if isinstance(exc, RecursionError):
        return recursion_cause(exc)
    if isinstance(exc, AttributeError) and ("'float' object has no attribute 'data'" in text
                                            or "'int' object has no attribute 'data'" in text):
        return (f"a plain number reached a Value operation that reads `other.data` (__add__, __mul__; inputs are "
                f"often plain numbers): wrap it first, `{WRAP}`")
    if isinstance(exc, TypeError) and "bad operand type for unary -" in text and "Value" in text:
        return "Value has no __neg__, which `-a` needs: define `__neg__(self)`, e.g. `return self * -1`"
    if isinstance(exc, AssertionError) and "int/float powers" in text:
        return "a Value's power must be a plain number (`v**2`), not a Value"
    if not (isinstance(exc, TypeError) and "unsupported operand" in text):
        return ""
    m = re.search(r"for (\S+?)(?: or pow\(\))?: '(\w+)' and '(\w+)'", text)
    if not m:
        return ""
    sym, left, right = m.groups()
    if "NoneType" in (left, right):
        return NONE_RETURNED
    if left == "Value" and right == "Value" and sym == "**":
        return ("a Value's power must be a plain number (`v**2`), not a Value (and `v**2` needs "
                "`__pow__(self, other)`)")
    if left == "Value" and right in ("Value", "int", "float") and sym in _METHODS:
        method = _METHODS[sym][0]
        return f"Value has no {method}, which `a {sym} b` needs: define `{method}(self, other)`"
    if right != "Value":
        return ""
    if sym == "+" and left == "int" and any("sum(" in line for line in _learner_lines(exc)):
        return ("sum() starts from 0, and `0 + Value` needs Value.__radd__: define `__radd__(self, other)`, "
                "`return self + other` (or start the sum from a Value: `sum((wi*xi for ...), self.b)`)")
    if sym == "**":
        return ("a Value's power must be a plain number (`v**2`), not a Value: a number raised to a Value needs "
                "exp and log, which micrograd does not define")
    reflected = _METHODS.get(sym, ("", ""))[1]
    return ((f"`{left} {sym} Value` needs Value.{reflected}: " if reflected else "")
            + "Python found no way to combine a plain number with a Value: define the reflected methods "
            "(__radd__ for 2 + a, __rmul__ for 2 * a, __rsub__ for 1 - a, __rtruediv__ for 2 / a), each "
            "returning a Value built with the Value first")


def _attribute_cause(exc: AttributeError) -> str:
    """A misspelt attribute, or one its class never sets: name the class, a close match, and (for the
    learner's Value, Neuron, Layer, MLP) the attributes the object does have."""
    text = str(exc)
    name = getattr(exc, "name", None) or text.rsplit("attribute", 1)[-1].strip(" '\"")
    owner = text.split("'")[1] if text.count("'") >= 4 else "the object"
    obj = getattr(exc, "obj", None)
    suggestion = ""
    if obj is not None:
        try:
            candidates = [a for a in dir(obj) if not (a.startswith("__") and a.endswith("__"))
                          and a != "_gradrill_order"]
        except Exception:  # noqa: BLE001 - a learner's __dir__ may raise
            candidates = []
        close_ = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        if close_:
            suggestion = f" (did you mean `{close_[0]}`?)"
    names = ""
    if owner in _KNOWN_ATTRS:
        have: list[str] = []
        if obj is not None and type(obj).__name__ == owner:
            have = [a for a in getattr(obj, "__dict__", {}) if isinstance(a, str) and a != "_gradrill_order"]
        have = have[:8]
        shown = ", ".join(f"`{a}`" for a in (have or _KNOWN_ATTRS[owner]))
        names = (f" (this {owner} has {shown}" if have else f" ({shown}") + (
            ", and its methods)" if owner == "Value" else ")")
    return (f"is `{name}` a typo, or an attribute that `{owner}` never sets or defines?{suggestion} Use the "
            f"names the prompt gives{names}")


def _called_non_function(exc: BaseException) -> str:
    """"`topo` is a list, not a function: " when the learner's failing line calls a name (``topo()``,
    ``self.parameters()``) that holds no function there; "" otherwise."""
    module = sys.modules.get("learner")
    path = os.path.abspath(getattr(module, "__file__", "") or "")
    frame, lineno = None, 0
    tb = exc.__traceback__
    while tb is not None:
        if path and os.path.abspath(tb.tb_frame.f_code.co_filename) == path:
            frame, lineno = tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next
    if frame is None:
        return ""
    import linecache

    line = linecache.getline(frame.f_code.co_filename, lineno)
    for name in re.findall(r"(?<![\w.])((?:self\.)?[A-Za-z_]\w*)\s*\(", line):
        try:
            if name.startswith("self."):
                obj = getattr(frame.f_locals["self"], name[5:])
            elif name in frame.f_locals:
                obj = frame.f_locals[name]
            else:
                continue
        except Exception:  # noqa: BLE001 - anything missing means: not this name
            continue
        if not callable(obj):
            kind = type(obj).__name__
            return (f"`{name}` is a {kind} here, not a function, so `{name}()` fails: drop the parentheses, or, "
                    f"if `{name.split('.')[-1]}` is meant to be a method, do not store a {kind} under its name "
                    "(`self.parameters = [...]` hides `def parameters`)")
    return ""


def _defines(*names: str) -> bool:
    """Does the learner's file define any of these names (``MLP``, ``Layer``...)?"""
    module = sys.modules.get("learner")
    return module is not None and any(name in getattr(module, "__dict__", {}) for name in names)


def _network_cause(exc: BaseException) -> str:
    """The mistakes a network, a loss or a training loop makes (nested lists, one number for a list)."""
    text = str(exc)
    if isinstance(exc, AttributeError) and "'list' object has no attribute" in text:
        return ("a list where a Value was expected: is `parameters()` a list of lists (flatten it, "
                "`[p for n in self.neurons for p in n.parameters()]`), or a layer's list of outputs used as one "
                "Value (the lecture's Layer returns its lone Value, `outs[0] if len(outs) == 1 else outs`)?")
    if isinstance(exc, TypeError) and "NoneType" not in text:
        if "object is not iterable" in text and ("'float'" in text or "'int'" in text or "'Value'" in text):
            return ("one number went where a list was expected: every neuron (and every layer) takes the whole "
                    "input list x, `n(x)`, not one of its numbers; and a layer's outputs are the next layer's x")
        if "'list'" in text and "not callable" not in text:
            return ("a list went where a Value or a number was expected: is a list nested (`parameters()` must "
                    "be flat), or a layer's list of outputs used as one Value?")
    return ""


def likely_cause(exc: BaseException) -> str:
    """The likely mistake behind an exception raised by the learner's code; "" when there is nothing to say.

    A file that defines a network (``Neuron``, ``Layer``, ``MLP``) gets the network's own cases
    first; then the cases that hold for any challenge. Checks with something more specific to say
    pass it to ``attempt`` as its ``hint``."""
    cause = _network_cause(exc) if _defines("Neuron", "Layer", "MLP") else ""
    if not cause:
        cause = _general_cause(exc)
    if isinstance(exc, IndexError) and _defines("MLP"):
        cause += (" With `sz = [nin] + nouts` there are len(nouts) layers, "
                  "`Layer(sz[i], sz[i+1]) for i in range(len(nouts))`")
    return cause


def _general_cause(exc: BaseException) -> str:
    text = str(exc)
    mixing = mixing_cause(exc)
    if mixing:
        return mixing
    if isinstance(exc, RecursionError):
        return ""
    if isinstance(exc, AttributeError):
        if "'NoneType' object" in text:
            return "a method returned None where a Value was expected: does every method `return` its result?"
        if "'float' object has no attribute" in text or "'int' object has no attribute" in text:
            return ("a plain number where a Value was expected: build it from Values (no `.data`) so it has "
                    "a graph, a grad and backward()")
        if "object has no attribute" in text:
            owner = text.split("'")[1] if text.count("'") >= 4 else ""
            if owner in ("list", "tuple", "dict", "set", "str", "bool", "function", "method"):
                return (f"a {owner} where a Value (or another object of yours) was expected: which expression "
                        f"on that line gives a {owner}?")
            return _attribute_cause(exc)
        return ""
    if isinstance(exc, TypeError):
        if "'NoneType' object is not callable" in text:
            return ("something called is None: a method that returned None, or a function stored as what it "
                    "returns (`out._backward = _backward()` stores None: store `_backward` itself)")
        if "NoneType" in text:
            return NONE_RETURNED
        if "must be real number, not Value" in text or "not 'Value'" in text:
            return ("a Value went where a plain number was expected: is a Value wrapped in another "
                    "`Value(...)`, or `.data` taken of a number that is already a Value? A math function takes "
                    "the number, `math.exp(self.data)`; a sum of Values is built from the Values themselves, "
                    "`wi*xi`, without `.data`")
        if "not supported between instances of" in text and "'Value'" in text:
            return ("a Value has no <, > (so no max() of Values either): compare the numbers, `.data`, e.g. "
                    "`score.data > 0`, `max(v.data for v in logits)`")
        if "not callable" in text:
            return _called_non_function(exc) or ("something that is not a function is called: is a list or a number stored under a method's "
                    "name (`self.parameters = [...]`, then `self.parameters()`), or a Value called like a function?")
        if "bad operand type for abs()" in text:
            return "a Value has no abs(): square the difference instead, `(yout - ygt)**2`"
        return ""
    if isinstance(exc, IndexError):
        cause = "an index past the end of a list: does a loop run one step too far?"
        if any("range(len(" in line for line in _learner_lines(exc)):
            cause += " `range(len(xs))` gives 0 .. len(xs)-1, so `xs[i+1]` runs off the end at the last step"
        return cause
    if isinstance(exc, NameError):
        missing = getattr(exc, "name", None)
        if missing in ("math", "random"):
            return f"`import {missing}` at the top of the file"
        return "a name that is never defined: a typo, or a missing `import` (`import random`, `import math`)?"
    if isinstance(exc, (ValueError, OverflowError)) and ("math domain" in text or "range" in text):
        return "a number out of the function's range: log of 0 or less, or exp of a large number?"
    if isinstance(exc, ZeroDivisionError):
        return "a division by zero: is a count or a sum 0 here?"
    return ""
