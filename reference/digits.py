"""A few hundred 8x8 handwritten digits shipped in the package (source and licence: data/README.md)."""

from importlib.resources import files

DIGIT_PIXELS = "0123456789abcdefg"  # one character a pixel, 0..16


def load_digits(split="train"):
    """A few hundred 8x8 handwritten digits shipped in the package (see data/README.md).

    `split` is "train" (400 images), "test" (100) or "all". Returns (images, labels):
    each image 64 floats in [0, 1] (pixel / 16), row by row; each label an int 0..9.
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', not {split!r}")
    text = files(__package__).joinpath("data", "digits.txt").read_text(encoding="ascii")
    images, labels = [], []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        _row, digit, which, pixels = line.split()
        if split in ("all", which):
            images.append([DIGIT_PIXELS.index(c) / 16 for c in pixels])
            labels.append(int(digit))
    return images, labels
