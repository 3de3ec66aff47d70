"""Small seeded 2D datasets, plain Python lists, no numpy."""

import math
import random

from .digits import DIGIT_PIXELS, load_digits  # noqa: F401  (shipped data; its loader needs importlib)


def lecture_samples():
    """The lecture's four examples: 3 inputs each, desired targets +-1."""
    xs = [
        [2.0, 3.0, -1.0],
        [3.0, -1.0, 0.5],
        [0.5, 1.0, 1.0],
        [1.0, 1.0, -1.0],
    ]
    ys = [1.0, -1.0, -1.0, 1.0]
    return xs, ys


def make_moons(n=100, noise=0.1, seed=0):
    """Two interleaving half circles, like sklearn's make_moons, labels -1/+1.

    The upper moon is labelled -1, the lower one +1 (sklearn's 0/1 mapped to
    y*2 - 1, as in the micrograd demo). Points are shuffled, then jittered with
    Gaussian noise of standard deviation `noise`.
    """
    rng = random.Random(seed)
    n_out = n // 2
    n_in = n - n_out
    points = []
    for i in range(n_out):
        t = math.pi * i / max(n_out - 1, 1)
        points.append(([math.cos(t), math.sin(t)], -1))
    for i in range(n_in):
        t = math.pi * i / max(n_in - 1, 1)
        points.append(([1 - math.cos(t), 0.5 - math.sin(t)], 1))
    rng.shuffle(points)
    X = [[x + rng.gauss(0, noise), y + rng.gauss(0, noise)] for (x, y), _ in points]
    y = [label for _, label in points]
    return X, y


def make_yinyang(n=100, seed=42, r_small=0.1, r_big=0.5):
    """A yin-yang symbol, 3 classes: 0 yin, 1 yang, 2 the two small dots.

    The yin-yang dataset of Kriener et al., as used in the LLM101n micrograd
    module: points are drawn uniformly from the big disk, and point i is kept
    only if its class is i % 3, so the classes are balanced. Coordinates are
    scaled to [-2, 2].
    """
    rng = random.Random(seed)
    left_dot = (0.5 * r_big, r_big)
    right_dot = (1.5 * r_big, r_big)

    def which_class(p):
        d_left, d_right = math.dist(p, left_dot), math.dist(p, right_dot)
        if d_left < r_small or d_right < r_small:
            return 2
        is_yin = d_left <= 0.5 * r_big or (p[1] > r_big and d_right > 0.5 * r_big)
        return 0 if is_yin else 1

    X, y = [], []
    while len(X) < n:
        p = (rng.uniform(0, 2 * r_big), rng.uniform(0, 2 * r_big))
        if math.dist(p, (r_big, r_big)) > r_big:
            continue  # outside the big disk
        c = which_class(p)
        if c == len(X) % 3:
            X.append([(p[0] / r_big - 1) * 2, (p[1] / r_big - 1) * 2])
            y.append(c)
    return X, y


def make_spiral(n=100, classes=3, noise=0.2, turns=0.75, seed=0):
    """Interleaved spiral arms, one per class (the cs231n toy data), labels 0..classes-1.

    Point i of arm k sits at radius r = i/arm_size in [0, 1] and angle
    2*pi*(turns*r + k/classes), jittered by Gaussian noise of `noise` radians;
    coordinates are scaled to [-2, 2] like the yin-yang data.
    """
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        k = i % classes
        r = (i // classes + 1) / ((n - 1) // classes + 1)
        t = 2 * math.pi * (turns * r + k / classes) + rng.gauss(0, noise)
        X.append([2 * r * math.cos(t), 2 * r * math.sin(t)])
        y.append(k)
    return X, y
