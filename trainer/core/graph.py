"""The expression graph behind a learner's ``Value``: extract it safely, lay it out, draw it.

A challenge whose ``challenge.toml`` names ``graph = "fn"`` lets the trainer draw the graph
that ``fn()`` (a function in the learner's file) returns. Learner code is untrusted, so it
never runs in the trainer's process:

- ``extract(path, fn)`` runs ``python -m gradrill.core.graph PATH FN`` in a new session with
  CPU, memory and wall-clock limits. The child imports the learner's file (as the grader
  does: module ``learner``), calls ``fn()``, walks ``_prev`` from the returned value and
  prints the nodes and edges as JSON on a private copy of stdout (the learner's prints go
  to stderr). Anything that goes wrong becomes a ``GraphError`` with a readable message.
- ``to_dot(graph)`` is the lecture's ``draw_dot`` picture (record nodes, op nodes) as DOT
  text, for exporting PNG or SVG (``export``).
- ``render_text(graph)`` lays the graph out with graphviz (``-Tplain`` coordinates, node
  sizes fixed to their size in terminal cells) and draws it on a grid of characters:
  boxes for values (label, data, grad), small ``(op)`` nodes, and box-drawing edges.

The graphviz binary is ``graphviz-pure`` (PyPI package of the same name, installed with
gradrill), else Debian's ``dot``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

MAX_NODES = 400
DEFAULT_TIMEOUT = 5.0
COLS_PER_INCH = 10.0  # a terminal cell is about twice as tall as it is wide
ROWS_PER_INCH = 5.0


class GraphError(Exception):
    """Why there is no graph to draw, in words for the learner."""


@dataclass(frozen=True)
class Node:
    id: int
    label: str
    data: float | str
    grad: float | str
    op: str


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[tuple[int, int]]  # (child, parent): the child feeds the parent's op
    root: int

    def node(self, node_id: int) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


# ---------------------------------------------------------------------------------------
# Extraction: in a child process


def _child_main(argv: list[str]) -> int:
    """Runs in the child: import the learner's file, call the function, print the graph."""
    import importlib.util
    import resource
    import traceback

    path, function = argv[0], argv[1]
    timeout = float(argv[2]) if len(argv) > 2 else DEFAULT_TIMEOUT
    report = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # the learner's prints go to stderr, never into the report
    sys.stdout = sys.stderr

    def answer(**data) -> int:
        report.write(json.dumps(data) + "\n")
        report.flush()
        return 0

    try:
        cpu = int(timeout) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = 2 * 1024 ** 3
        if hard == resource.RLIM_INFINITY or hard > cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        pass

    name = os.path.basename(path)

    def where(exc: BaseException) -> str:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == path]
        if not frames:
            return ""
        f = frames[-1]
        return f" ({name}, line {f.lineno}: {(f.line or '').strip()})"

    try:
        source = Path(path).read_text(encoding="utf-8")
        code = compile(source, path, "exec")
    except FileNotFoundError:
        return answer(ok=False, error=f"no file at {path}")
    except SyntaxError as exc:
        return answer(ok=False, error=f"{name} has a syntax error on line {exc.lineno}: {exc.msg}")
    sys.path.insert(0, os.path.dirname(path))
    spec = importlib.util.spec_from_loader("learner", loader=None, origin=path)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = path
    sys.modules["learner"] = module
    try:
        exec(code, module.__dict__)
    except BaseException as exc:  # noqa: BLE001
        return answer(ok=False, error=f"importing {name} raised {type(exc).__name__}: {exc}{where(exc)}")
    fn = getattr(module, function, None)
    if not callable(fn):
        return answer(ok=False, error=f"{name} defines no function {function}(): the graph view calls it "
                                      f"and draws the Value it returns")
    try:
        root = fn()
    except BaseException as exc:  # noqa: BLE001
        return answer(ok=False, error=f"{function}() raised {type(exc).__name__}: {exc}{where(exc)}")
    if isinstance(root, (tuple, list)) and root:
        root = root[0]
    if not hasattr(root, "data") or not hasattr(root, "_prev"):
        return answer(ok=False, error=f"{function}() returned {type(root).__name__} {root!r:.60}; "
                                      f"expected a Value (with .data and ._prev)")
    try:
        nodes, edges = _walk(root)
    except _TooBig as exc:
        return answer(ok=False, error=str(exc))
    except BaseException as exc:  # noqa: BLE001
        return answer(ok=False, error=f"walking the graph from {function}()'s result failed: "
                                      f"{type(exc).__name__}: {exc}")
    return answer(ok=True, nodes=nodes, edges=edges, root=0)


class _TooBig(Exception):
    pass


def _num(x):
    try:
        f = float(x)
    except (TypeError, ValueError):
        return repr(x)[:20]
    return f if math.isfinite(f) else repr(f)


def _walk(root) -> tuple[list[dict], list[list[int]]]:
    """Every node reachable through ``_prev``, numbered in a stable order (0 is the root)."""

    def key(v):
        return (str(getattr(v, "label", "") or ""), str(getattr(v, "_op", "") or ""), repr(getattr(v, "data", "")))

    ids: dict[int, int] = {}
    order = []
    stack = [root]
    while stack:
        v = stack.pop()
        if id(v) in ids:
            continue
        ids[id(v)] = len(order)
        order.append(v)
        if len(order) > MAX_NODES:
            raise _TooBig(f"the graph has more than {MAX_NODES} nodes: too big to draw in the terminal")
        children = list(getattr(v, "_prev", ()) or ())
        stack.extend(sorted(children, key=key, reverse=True))
    nodes, edges = [], []
    for v in order:
        nodes.append({"id": ids[id(v)], "label": str(getattr(v, "label", "") or ""),
                      "data": _num(getattr(v, "data", None)), "grad": _num(getattr(v, "grad", None)),
                      "op": str(getattr(v, "_op", "") or "")})
        for child in sorted(getattr(v, "_prev", ()) or (), key=key):
            edges.append([ids[id(child)], ids[id(v)]])
    return nodes, edges


def extract(path: os.PathLike[str] | str, function: str, timeout: float = DEFAULT_TIMEOUT) -> Graph:
    """Call ``function()`` from the learner's file in a child process; its graph, or ``GraphError``."""
    path = Path(path).resolve()
    if not path.is_file():
        raise GraphError(f"no file at {path}")
    cmd = [sys.executable, "-m", "gradrill.core.graph", str(path), function, str(timeout)]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env=env, cwd=str(path.parent))
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise GraphError(f"{function}() did not finish within {timeout:g} s: is there an endless loop?") from None
    text = out.decode("utf-8", "replace").strip()
    if not text:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
        why = "it ran out of CPU time or memory" if proc.returncode and proc.returncode < 0 else \
            f"exit code {proc.returncode}"
        raise GraphError(f"drawing {function}() failed ({why})" + (": " + " / ".join(tail) if tail else ""))
    try:
        data = json.loads(text.splitlines()[-1])
    except ValueError:
        raise GraphError(f"drawing {function}() failed: unreadable answer from the child process") from None
    if not data.get("ok"):
        raise GraphError(data.get("error") or "unknown error")
    nodes = [Node(n["id"], n["label"], n["data"], n["grad"], n["op"]) for n in data["nodes"]]
    return Graph(nodes, [tuple(e) for e in data["edges"]], data.get("root", 0))


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proc.communicate(timeout=2)
    except (subprocess.TimeoutExpired, OSError):
        pass


# ---------------------------------------------------------------------------------------
# DOT


def fmt(x: float | str) -> str:
    return f"{x:.4f}" if isinstance(x, float) else str(x)


def card_lines(n: Node) -> tuple[str, str, str]:
    """What a value node shows in the terminal: its label (may be empty), data and grad."""
    data, grad = fmt(n.data), fmt(n.grad)
    width = max(len(data), len(grad))
    return n.label, f"data {data.rjust(width)}", f"grad {grad.rjust(width)}"


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _record(s: str) -> str:
    for ch in "{}|<>":
        s = s.replace(ch, "\\" + ch)
    return s


def to_dot(graph: Graph, rankdir: str = "LR") -> str:
    """The lecture's ``draw_dot`` picture as DOT source (for PNG/SVG export)."""
    lines = ["digraph {", f"  rankdir={rankdir};", '  node [fontname="Helvetica"];']
    for n in graph.nodes:
        fields = ([_record(n.label)] if n.label else []) + [f"data {fmt(n.data)}", f"grad {fmt(n.grad)}"]
        lines.append(f"  v{n.id} [shape=record, label={_quote('{ ' + ' | '.join(fields) + ' }')}];")
        if n.op:
            lines.append(f"  v{n.id}op [label={_quote(n.op)}];")
            lines.append(f"  v{n.id}op -> v{n.id};")
    for child, parent in graph.edges:
        lines.append(f"  v{child} -> v{parent}op;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def graphviz_binary() -> str | None:
    """``graphviz-pure`` (on PATH, or next to this Python), else ``dot``; None if neither."""
    found = shutil.which("graphviz-pure")
    if found:
        return found
    beside = Path(sys.executable).parent / "graphviz-pure"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("dot")


def run_graphviz(dot_source: str, fmt_: str, timeout: float = 20.0) -> bytes:
    binary = graphviz_binary()
    if binary is None:
        raise GraphError("no graphviz found: `pip install graphviz-pure` (or `apt install graphviz`)")
    try:
        done = subprocess.run([binary, f"-T{fmt_}"], input=dot_source.encode(), capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GraphError(f"graphviz took more than {timeout:g} s") from None
    except OSError as exc:
        raise GraphError(f"could not run {binary}: {exc}") from None
    if done.returncode != 0:
        raise GraphError(f"graphviz failed: {done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return done.stdout


def export(graph: Graph, out: Path, fmt_: str = "png") -> Path:
    """Write the graph as PNG or SVG to ``out``."""
    data = run_graphviz(to_dot(graph), fmt_)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    return out


# ---------------------------------------------------------------------------------------
# Text layout


@dataclass
class Box:
    key: str  # node name in the layout DOT
    text: str
    kind: str  # "value", "root" or "op"
    rows: int
    cols: int
    top: int = 0
    left: int = 0

    def ports(self) -> list[int]:
        """The rows where edges may leave or enter (not the borders)."""
        return [self.top] if self.rows == 1 else list(range(self.top + 1, self.top + self.rows - 1))

    def contains(self, row: int, col: int) -> bool:
        return self.top <= row < self.top + self.rows and self.left <= col < self.left + self.cols


@dataclass
class TextGraph:
    """A drawing on a grid of characters; ``spans`` say what each run of cells is."""

    lines: list[str]
    spans: list[tuple[int, int, int, str]] = field(default_factory=list)  # (row, start, end, kind)

    @property
    def width(self) -> int:
        return max((len(line) for line in self.lines), default=0)

    @property
    def height(self) -> int:
        return len(self.lines)


def _boxes(graph: Graph) -> tuple[dict[str, Box], list[tuple[str, str]]]:
    boxes: dict[str, Box] = {}
    edges: list[tuple[str, str]] = []
    for n in graph.nodes:
        label, data, grad = card_lines(n)
        kind = "root" if n.id == graph.root else "value"
        cols = max(len(data) + 4, len(label) + 6)
        boxes[f"v{n.id}"] = Box(f"v{n.id}", "\n".join((label, data, grad)), kind, rows=4, cols=cols)
        if n.op:
            boxes[f"v{n.id}op"] = Box(f"v{n.id}op", n.op, "op", rows=1, cols=len(n.op) + 2)
            edges.append((f"v{n.id}op", f"v{n.id}"))
    for child, parent in graph.edges:
        edges.append((f"v{child}", f"v{parent}op" if f"v{parent}op" in boxes else f"v{parent}"))
    return boxes, edges


def layout_dot(boxes: dict[str, Box], edges: list[tuple[str, str]]) -> str:
    """DOT, left to right, whose node sizes are their sizes in terminal cells, for ``-Tplain``.

    Edges leave from the middle of a box's right side and enter the middle of its left side.
    """
    tail, head = "e", "w"
    lines = ["digraph {", "  rankdir=LR; nodesep=0.3; ranksep=0.6;",
             "  node [shape=box, fixedsize=true, margin=0];"]
    for b in boxes.values():
        # one extra row of height keeps vertically neighbouring boxes a row apart
        lines.append(f"  {b.key} [width={b.cols / COLS_PER_INCH:.3f}, height={b.rows / ROWS_PER_INCH:.3f}, "
                     f"label=\"\"];")
    for a, b in edges:
        lines.append(f"  {a}:{tail} -> {b}:{head};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def parse_plain(text: str) -> tuple[float, float, dict[str, tuple[float, float]], list[tuple[str, str, list]]]:
    """``-Tplain`` output: (width, height, node centres, edge splines), in inches."""
    width = height = 0.0
    nodes: dict[str, tuple[float, float]] = {}
    edges: list[tuple[str, str, list[tuple[float, float]]]] = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "graph":
            width, height = float(parts[2]), float(parts[3])
        elif parts[0] == "node":
            nodes[parts[1]] = (float(parts[2]), float(parts[3]))
        elif parts[0] == "edge":
            n = int(parts[3])
            coords = [float(v) for v in parts[4:4 + 2 * n]]
            edges.append((parts[1], parts[2], list(zip(coords[::2], coords[1::2]))))
    return width, height, nodes, edges


def _bezier(points: list[tuple[float, float]], steps: int = 24) -> list[tuple[float, float]]:
    out = [points[0]]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for s in range(1, steps + 1):
            t = s / steps
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    if len(points) < 4:
        out = list(points)
    return out


def _cells(points: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """A 4-connected path of grid cells (row, col) through the given (row, col) floats."""
    path: list[tuple[int, int]] = []
    for r, c in points:
        cell = (round(r), round(c))
        if not path:
            path.append(cell)
            continue
        pr, pc = path[-1]
        while (pr, pc) != cell:  # step horizontally first, then vertically
            if pc != cell[1]:
                pc += 1 if cell[1] > pc else -1
            else:
                pr += 1 if cell[0] > pr else -1
            path.append((pr, pc))
    # drop back-and-forth steps
    clean: list[tuple[int, int]] = []
    for cell in path:
        if len(clean) >= 2 and clean[-2] == cell:
            clean.pop()
            continue
        if clean and clean[-1] == cell:
            continue
        clean.append(cell)
    return clean


_N, _E, _S, _W = 1, 2, 4, 8
_JOIN = {
    _E | _W: "─", _N | _S: "│", _E: "─", _W: "─", _N: "│", _S: "│",
    _E | _S: "╭", _W | _S: "╮", _N | _E: "╰", _N | _W: "╯",
    _N | _S | _E: "├", _N | _S | _W: "┤", _E | _W | _S: "┬", _E | _W | _N: "┴", _N | _E | _S | _W: "┼",
}


def _direction(a: tuple[int, int], b: tuple[int, int]) -> int:
    dr, dc = b[0] - a[0], b[1] - a[1]
    return _S if dr > 0 else _N if dr < 0 else _E if dc > 0 else _W


def render_text(graph: Graph) -> TextGraph:
    """Lay the graph out with graphviz, left to right as in the lecture, and draw it with characters."""
    boxes, edges = _boxes(graph)
    plain = run_graphviz(layout_dot(boxes, edges), "plain").decode("utf-8", "replace")
    return draw(boxes, plain)


def draw(boxes: dict[str, Box], plain: str) -> TextGraph:
    _, height, centres, splines = parse_plain(plain)

    def to_grid(x: float, y: float) -> tuple[float, float]:
        return (height - y) * ROWS_PER_INCH, x * COLS_PER_INCH

    for key, (x, y) in centres.items():
        b = boxes[key]
        r, c = to_grid(x, y)
        b.top = max(0, round(r - (b.rows - 1) / 2))
        b.left = max(0, round(c - b.cols / 2))
    # every edge out of a box leaves from the same row: the one nearest its heads
    heads: dict[str, list[int]] = {}
    for tail, head, _ in splines:
        if head in boxes:
            heads.setdefault(tail, []).extend(boxes[head].ports())
    out_row = {key: min(b.ports(), key=lambda r: (sum(abs(r - h) for h in heads.get(key, [])), r))
               for key, b in boxes.items()}
    links: dict[tuple[int, int], int] = {}
    arrows: dict[tuple[int, int], str] = {}
    for tail, head, points in splines:
        tb, hb = boxes.get(tail), boxes.get(head)
        if tb is None or hb is None:
            continue
        # leave the tail just right of its side, enter the head just left of its side, on the
        # inner rows that are closest to each other (a straight line when they can be)
        r0 = out_row[tail]
        r1 = min(hb.ports(), key=lambda r: (abs(r - r0), r))
        start, end = (r0, tb.left + tb.cols), (r1, hb.left - 1)
        middle = [cell for cell in _cells([to_grid(x, y) for x, y in _bezier(points)])
                  if start[1] + 1 < cell[1] < end[1] - 1 and not any(b.contains(*cell) for b in boxes.values())]
        waypoints = [start, (start[0], start[1] + 1)] + middle + [(end[0], end[1] - 1), end]
        if not middle and start[0] != end[0]:  # a short hop: turn half-way
            mid = (start[1] + end[1]) // 2
            waypoints[2:2] = [(start[0], mid), (end[0], mid)]
        cells = _cells([(float(r), float(c)) for r, c in waypoints])
        for i, cell in enumerate(cells):
            mask = links.get(cell, 0)
            if i > 0:
                mask |= _direction(cell, cells[i - 1])
            if i + 1 < len(cells):
                mask |= _direction(cell, cells[i + 1])
            links[cell] = mask
        arrows[cells[-1]] = "▶"

    rows = max([b.top + b.rows for b in boxes.values()] + [r + 1 for r, _ in links] + [1])
    cols = max([b.left + b.cols for b in boxes.values()] + [c + 1 for _, c in links] + [1])
    grid = [[" "] * cols for _ in range(rows)]
    spans: list[tuple[int, int, int, str]] = []
    for (r, c), mask in links.items():
        if r >= 0 and c >= 0:
            grid[r][c] = _JOIN.get(mask, "┼")
    for (r, c), ch in arrows.items():
        if r >= 0 and c >= 0:
            grid[r][c] = ch
    for (r, c) in set(links) | set(arrows):
        if r >= 0 and c >= 0:
            spans.append((r, c, c + 1, "edge"))
    for b in boxes.values():
        if b.kind == "op":
            text = f"({b.text})"
            grid[b.top][b.left:b.left + len(text)] = list(text)
            spans.append((b.top, b.left, b.left + len(text), "op"))
            continue
        label, data, grad = b.text.split("\n")
        inner = b.cols - 2
        top = "╭─" + (f" {label} " if label else "") 
        top += "─" * (b.cols - 1 - len(top)) + "╮"
        card = [top, "│ " + data.ljust(inner - 2) + " │", "│ " + grad.ljust(inner - 2) + " │",
                "╰" + "─" * inner + "╯"]
        for dr, line in enumerate(card):
            grid[b.top + dr][b.left:b.left + len(line)] = list(line)
        border = "root-border" if b.kind == "root" else "border"
        for dr in range(b.rows):
            spans.append((b.top + dr, b.left, b.left + b.cols, border))
        if label:
            spans.append((b.top, b.left + 3, b.left + 3 + len(label), "label"))
        spans.append((b.top + 1, b.left + 2, b.left + 2 + len(data), "data"))
        spans.append((b.top + 2, b.left + 2, b.left + 2 + len(grad), "grad"))
    lines = ["".join(row).rstrip() for row in grid]
    return TextGraph(lines, spans)


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
