"""The lab's datasets: the shipped digits and the 2-D generators."""

from collections import Counter

import pytest

from gradrill.reference.datasets import load_digits, make_moons, make_spiral, make_yinyang


def test_digits_are_shipped_balanced_and_split():
    train_x, train_y = load_digits("train")
    test_x, test_y = load_digits("test")
    assert len(train_x) == 400 and len(test_x) == 100
    assert Counter(train_y) == {d: 40 for d in range(10)}
    assert Counter(test_y) == {d: 10 for d in range(10)}
    assert all(len(img) == 64 for img in train_x + test_x)
    assert all(0.0 <= px <= 1.0 for img in train_x for px in img)
    all_x, all_y = load_digits("all")
    assert len(all_x) == 500 and Counter(all_y) == {d: 50 for d in range(10)}


def test_digits_train_and_test_images_differ():
    train_x, _ = load_digits("train")
    test_x, _ = load_digits("test")
    assert not {tuple(i) for i in train_x} & {tuple(i) for i in test_x}


def test_digits_first_image_is_a_zero_with_an_empty_border():
    images, labels = load_digits("train")
    zero = images[0]
    assert labels[0] == 0
    # a 0 is a ring: its centre column is darker than its sides in the middle rows
    assert zero[4 * 8 + 0] == 0.0 and zero[4 * 8 + 7] == 0.0
    assert zero[4 * 8 + 2] > zero[4 * 8 + 4]


def test_digits_rejects_an_unknown_split():
    with pytest.raises(ValueError, match="split"):
        load_digits("validation")


@pytest.mark.parametrize("make", [make_spiral, make_yinyang])
def test_multiclass_generators_are_seeded_and_balanced(make):
    X, y = make(n=99, seed=3)
    assert make(n=99, seed=3) == (X, y)
    assert Counter(y) == {0: 33, 1: 33, 2: 33}
    assert all(-2.5 < c < 2.5 for p in X for c in p)


def test_spiral_arms_wind_around_the_origin():
    X, y = make_spiral(n=300, noise=0.0)
    # without noise, each arm's points get further from the origin as they go
    for k in range(3):
        radii = [(p[0] ** 2 + p[1] ** 2) ** 0.5 for p, c in zip(X, y) if c == k]
        assert radii == sorted(radii)


def test_moons_are_two_classes():
    X, y = make_moons(n=50)
    assert set(y) == {-1, 1} and len(X) == 50
