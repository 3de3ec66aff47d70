"""The lab's drawing process: ``python -m gradrill.core.lab.draw``. Weights in, pixels out.

Evaluating the decision boundary is pure Python arithmetic (tens of milliseconds at
160x50). Done in a thread of the app, it would hold the GIL while the UI waits to answer a
key, so it runs in its own small process (our code only, no learner code), on the other
core while the engine process trains. It speaks JSON lines like the engine process
(``engine.EngineProcess`` talks to both):

- ``boundary``: ``params``, ``layout``, ``xs``, ``ys``, ``bounds``, ``classes`` → ``rows``: one
  string a pixel row, one character a pixel (``pixel_code``);
- ``predict``: ``params``, ``layout``, ``X`` → ``predictions``.
"""

from __future__ import annotations

import json
import math
import os
import sys

from .floatnet import FloatNet, Layout

LEVELS = 8  # confidence shades per class
OUTSIDE = "!"  # outside the dataset's box
NEUTRAL = "#"  # no network yet
FIRST = 48  # chr(48 + class * (LEVELS + 1) + level)


def pixel_code(k: int, level: int) -> str:
    return chr(FIRST + k * (LEVELS + 1) + level)


def decode(code: str) -> tuple[int, int] | None:
    """(class, level) of a pixel code, None for OUTSIDE and NEUTRAL."""
    if code in (OUTSIDE, NEUTRAL):
        return None
    return divmod(ord(code) - FIRST, LEVELS + 1)


def boundary_rows(net: FloatNet | None, xs: list[float], ys: list[float],
                  bounds: tuple[float, float, float, float], classes: int) -> list[str]:
    """The boundary as pixel codes: the predicted class and how sure (0..LEVELS) at each pixel."""
    x0, x1, y0, y1 = bounds
    grid = net.grid(xs, ys) if net is not None else None
    k = max(classes, 2)
    inside_x = [x0 <= x <= x1 for x in xs]
    codes = {}
    rows = []
    for j, y in enumerate(ys):
        if not y0 <= y <= y1:
            rows.append(OUTSIDE * len(xs))
            continue
        out = []
        grow = grid[j] if grid is not None else None
        for i, ok in enumerate(inside_x):
            if not ok:
                out.append(OUTSIDE)
            elif grow is None:
                out.append(NEUTRAL)
            else:
                c, p = grow[i]
                sure = (p - 1 / k) / (1 - 1 / k)
                level = min(LEVELS, max(0, int(sure * LEVELS + 0.5))) if math.isfinite(sure) else LEVELS
                code = codes.get((c, level))
                if code is None:
                    code = codes[(c, level)] = pixel_code(c, level)
                out.append(code)
        rows.append("".join(out))
    return rows


class Painter:
    """The app's side of the drawing process. ``start()`` on the main thread (see ``engine``);
    ``boundary`` and ``predict`` from one worker thread."""

    def __init__(self):
        from .engine import EngineProcess

        self.process = EngineProcess(module="gradrill.core.lab.draw")

    def start(self) -> None:
        self.process.start()

    def boundary(self, net: FloatNet, xs: list[float], ys: list[float], bounds, classes: int) -> list[str]:
        reply = self.process.request("boundary", 30.0, params=_params(net), layout=net.layout.to_dict(), xs=xs,
                                     ys=ys, bounds=list(bounds), classes=classes)
        return reply["rows"]

    def predict(self, net: FloatNet, X: list[list[float]]) -> list[int]:
        reply = self.process.request("predict", 30.0, params=_params(net), layout=net.layout.to_dict(), X=X)
        return reply["predictions"]

    def close(self) -> None:
        self.process.close()


def _params(net: FloatNet) -> list[float]:
    return [v for W, b in net.layers for row, bias in zip(W, b) for v in row + [bias]]


def handle(req: dict) -> dict:
    net = FloatNet(Layout.from_dict(req["layout"]), req["params"])
    if req.get("cmd") == "predict":
        return {"predictions": [net.predict(x) for x in req["X"]]}
    return {"rows": boundary_rows(net, req["xs"], req["ys"], tuple(req["bounds"]), int(req["classes"]))}


def main(argv: list[str]) -> int:
    from .runner import _die_with_parent, _private_channels

    _die_with_parent(int(argv[0]) if argv else 0)
    requests, replies = _private_channels()
    replies.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in requests:
        try:
            req = json.loads(line)
        except ValueError:
            continue
        if req.get("cmd") == "quit":
            break
        try:
            reply = {"ok": True, **handle(req)}
        except Exception as exc:  # noqa: BLE001 - report, keep serving
            reply = {"ok": False, "kind": "request", "error": f"drawing failed: {type(exc).__name__}: {exc}"}
        reply["id"] = req.get("id")
        replies.write(json.dumps(reply) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
