"""The catalog cache: a second lenient load comes from the cache, and any change to a source
file (an edit, a new challenge, a removed one) loads afresh; strict loads never use it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gradrill import locations
from gradrill.core import catalog_cache
from gradrill.core.catalog import load_catalog

FIXTURE_CATALOG = Path(__file__).parent / "fixtures" / "catalog"


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "challenges"
    shutil.copytree(FIXTURE_CATALOG, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def touch_later(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))  # a new time, however coarse the file system's clock


def test_a_second_load_is_the_cached_one_and_equal(tmp_path):
    root = make_root(tmp_path)
    first = load_catalog(root, strict=False)
    assert (locations.cache_dir() / "catalog.pickle").is_file()
    second = load_catalog(root, strict=False)
    assert [c.id for c in second] == [c.id for c in first]
    assert [c.solution for c in second] == [c.solution for c in first]
    assert catalog_cache.load(root)[1] is not None


def test_an_edited_prompt_a_new_and_a_removed_challenge_are_seen(tmp_path):
    root = make_root(tmp_path)
    ids = [c.id for c in load_catalog(root, strict=False)]
    some = root / ids[0] / "prompt.md"
    touch_later(some, some.read_text(encoding="utf-8") + "\nOne more line.\n")
    assert load_catalog(root, strict=False).get(ids[0]).prompt.endswith("One more line.\n")
    shutil.copytree(root / ids[0], root / "copy-of-it")
    meta = root / "copy-of-it" / "challenge.toml"
    text = meta.read_text(encoding="utf-8").replace(f'id = "{ids[0]}"', 'id = "copy-of-it"')
    meta.write_text(text.replace("order = 30", "order = 31"), encoding="utf-8")
    assert [c.id for c in load_catalog(root, strict=False)] == ids + ["copy-of-it"]
    shutil.rmtree(root / "copy-of-it")
    assert [c.id for c in load_catalog(root, strict=False)] == ids


def test_strict_loads_and_a_broken_cache_never_use_it(tmp_path):
    root = make_root(tmp_path)
    load_catalog(root, strict=False)
    cache = locations.cache_dir() / "catalog.pickle"
    cache.write_bytes(b"not a pickle")
    assert [c.id for c in load_catalog(root, strict=False)]  # loaded afresh, and cached again
    assert catalog_cache.load(root)[1] is not None
    assert load_catalog(root, strict=True).root == root
