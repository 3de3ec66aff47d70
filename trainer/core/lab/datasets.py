"""The lab's datasets: three 2-D sets of points the learner can edit, and the shipped digits.

A 2-D dataset has a fixed box (``bounds``) that the plot shows; a point added or moved
outside it is refused (``PointOutside``) with a one-line message. Labels are 0..classes-1
(the moons' -1/+1 become 0/1), because the lab trains every dataset with softmax
cross-entropy, as the LLM101n module does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...reference import datasets as ref

MAX_POINTS = 300  # one step's graph grows with the points; past this the lab gets slow


class PointOutside(ValueError):
    """A point the plot cannot show, or one too many."""


@dataclass
class Dataset:
    name: str
    title: str
    classes: int
    X: list[list[float]]
    y: list[int]
    kind: str = "points"  # "points" (2-D, editable) or "images" (8x8 digits)
    bounds: tuple[float, float, float, float] = (-2.5, 2.5, -2.5, 2.5)  # x0, x1, y0, y1
    hidden: list[int] = field(default_factory=lambda: [8])  # a network that suits it
    batch: int | None = None  # None: the whole set every step
    test_X: list[list[float]] = field(default_factory=list)
    test_y: list[int] = field(default_factory=list)
    source: str = ""

    @property
    def editable(self) -> bool:
        return self.kind == "points"

    def copy(self) -> "Dataset":
        return Dataset(self.name, self.title, self.classes, [list(p) for p in self.X], list(self.y), self.kind,
                       self.bounds, list(self.hidden), self.batch, self.test_X, self.test_y, self.source)

    # -- editing (2-D only) -------------------------------------------------------------

    def check_point(self, x: float, y: float) -> None:
        x0, x1, y0, y1 = self.bounds
        if not (math.isfinite(x) and math.isfinite(y)):
            raise PointOutside("a point needs finite coordinates")
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            raise PointOutside(f"({x:.2f}, {y:.2f}) is outside the plot: x must be in [{x0:g}, {x1:g}] "
                               f"and y in [{y0:g}, {y1:g}]")

    def check_class(self, label: int) -> None:
        if not 0 <= label < self.classes:
            raise PointOutside(f"class {label + 1} does not exist here: this dataset has {self.classes} classes")

    def add(self, x: float, y: float, label: int) -> int:
        """Add a point; returns its index."""
        self._editable()
        self.check_point(x, y)
        self.check_class(label)
        if len(self.X) >= MAX_POINTS:
            raise PointOutside(f"the lab holds at most {MAX_POINTS} points: delete one first")
        self.X.append([x, y])
        self.y.append(label)
        return len(self.X) - 1

    def move(self, index: int, x: float, y: float) -> None:
        self._editable()
        self.check_point(x, y)
        self.X[index] = [x, y]

    def relabel(self, index: int, label: int) -> None:
        self._editable()
        self.check_class(label)
        self.y[index] = label

    def delete(self, index: int) -> None:
        self._editable()
        if len(self.X) <= 1:
            raise PointOutside("the last point cannot go: a dataset needs at least one")
        del self.X[index]
        del self.y[index]

    def nearest(self, x: float, y: float, radius: float) -> int | None:
        """The index of the point nearest (x, y) within ``radius``, else None."""
        best, best_d = None, radius
        for i, (px, py) in enumerate(self.X):
            d = math.hypot(px - x, py - y)
            if d <= best_d:
                best, best_d = i, d
        return best

    def clamp(self, x: float, y: float) -> tuple[float, float]:
        x0, x1, y0, y1 = self.bounds
        return min(max(x, x0), x1), min(max(y, y0), y1)

    def _editable(self) -> None:
        if not self.editable:
            raise PointOutside(f"{self.title} is a set of images: its points cannot be edited")


def _yinyang() -> Dataset:
    X, y = ref.make_yinyang(n=100, seed=42)  # the module trains on the first 80%, as here
    return Dataset("yinyang", "3 classes (LLM101n yin-yang)", 3, X[:80], y[:80], hidden=[8],
                   test_X=X[80:], test_y=y[80:],
                   source="the LLM101n micrograd module's yin-yang data: 80 training points of 100")


def _moons() -> Dataset:
    X, y = ref.make_moons(n=100, noise=0.1, seed=0)
    return Dataset("moons", "two moons", 2, X, [(label + 1) // 2 for label in y], bounds=(-1.75, 2.75, -1.25, 1.75),
                   hidden=[8], source="the micrograd demo's two moons, 100 points, noise 0.1")


def _spiral() -> Dataset:
    X, y = ref.make_spiral(n=90, classes=3, noise=0.2, seed=0)
    return Dataset("spiral", "3-arm spiral", 3, X, y, hidden=[16],
                   source="three interleaved spiral arms (cs231n style), 90 points")


def _digits() -> Dataset:
    X, y = ref.load_digits("train")
    tX, ty = ref.load_digits("test")
    return Dataset("digits", "handwritten digits 8x8", 10, X, y, kind="images", bounds=(0, 1, 0, 1), hidden=[],
                   batch=20, test_X=tX, test_y=ty,
                   source="400 train / 100 test 8x8 digits from UCI optdigits (CC BY 4.0), shipped in the package")


DATASETS = {"yinyang": _yinyang, "moons": _moons, "spiral": _spiral, "digits": _digits}


def load(name: str) -> Dataset:
    try:
        return DATASETS[name]()
    except KeyError:
        raise KeyError(f"no dataset {name!r}: choose one of {', '.join(DATASETS)}") from None
