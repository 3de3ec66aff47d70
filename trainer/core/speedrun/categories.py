"""Speedrun categories, as data: one TOML file per category in ``challenges/_speedrun/``.

A category is an ordered list of splits; each split names the existing checks that must
pass (``"challenge::test_name"``), so no check is ever written twice. ``extends`` puts
another category's splits first (``full`` is ``library`` then two more). ``reference`` is
the file that proves the category (it passes every split): a challenge id (its
``solution.py``) or a ``.py`` file beside the category's TOML.

Every problem is reported at once, one line each, naming the file and the field.
"""

from __future__ import annotations

import ast
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ... import locations
from .. import given
from ..catalog import Catalog, FormatError, ID_CHARS, _Fields

FOLDER = "_speedrun"
FIELDS = {"id", "title", "summary", "order", "extends", "reference", "splits"}
SPLIT_FIELDS = {"name", "prompt", "checks"}


@dataclass(frozen=True)
class CheckRef:
    challenge: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.challenge}::{self.name}"


@dataclass(frozen=True)
class Split:
    name: str
    prompt: str
    checks: tuple[CheckRef, ...]


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    summary: str
    order: int
    splits: tuple[Split, ...]
    reference: Path
    path: Path
    reference_text: str = ""  # the reference as a runner would write it (given code expanded)

    @property
    def split_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.splits)

    def challenges(self) -> list[str]:
        """The challenges whose checks the splits use, in order of first use."""
        seen: list[str] = []
        for split in self.splits:
            for ref in split.checks:
                if ref.challenge not in seen:
                    seen.append(ref.challenge)
        return seen


class UnknownCategory(LookupError):
    def __init__(self, wanted: str, known: list[str]):
        close = difflib.get_close_matches(wanted, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else f"; the categories are {', '.join(known) or 'none'}"
        super().__init__(f"no speedrun category '{wanted}'{hint}")


@dataclass
class Categories:
    root: Path
    categories: list[Category]
    errors: list[FormatError] = field(default_factory=list)

    def __iter__(self):
        return iter(self.categories)

    def __len__(self) -> int:
        return len(self.categories)

    def ids(self) -> list[str]:
        return [c.id for c in self.categories]

    def get(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise UnknownCategory(category_id, self.ids())


def default_root(catalog: Catalog | None = None) -> Path:
    """Beside the challenges they reference: ``<challenges>/_speedrun``."""
    return (catalog.root if catalog is not None else locations.challenges_dir()) / FOLDER


def check_names(checks_path: Path) -> set[str]:
    """The ``test_*`` functions a checks.py defines (read, never imported: no check runs here)."""
    try:
        tree = ast.parse(checks_path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return set()
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


@dataclass
class _Raw:
    id: str
    title: str
    summary: str
    order: int
    extends: str | None
    reference: Path | None
    splits: list[Split]
    path: Path
    reference_text: str = ""


def _load_file(path: Path, catalog: Catalog, errors: list[FormatError],
               names_cache: dict[str, set[str]]) -> _Raw | None:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        errors.append(FormatError(path, None, f"not valid TOML: {exc}"))
        return None
    before = len(errors)
    f = _Fields(path, table, errors)
    f.unknown(FIELDS)
    cid = f.get("id", str, check=lambda v: v and set(v) <= ID_CHARS,
                what="an id of lowercase letters, digits and dashes")
    if cid and cid != path.stem:
        errors.append(FormatError(path, "id", f"'{cid}' differs from the file name '{path.stem}'"))
    title = f.get("title", str, check=lambda v: v.strip() != "", what="a non-empty string")
    summary = f.get("summary", str, "")
    order = f.get("order", int, 100, check=lambda v: v >= 0, what="a non-negative integer")
    extends = f.get("extends", str, None)
    reference, reference_text = _reference(path, f.get("reference", str), catalog, errors)
    splits: list[Split] = []
    raw_splits = f.get("splits", list, [], what="an array of tables [[splits]]") or []
    if not raw_splits and extends is None:
        errors.append(FormatError(path, "splits", "a category needs at least one split (or `extends`)"))
    for i, raw in enumerate(raw_splits):
        sf = _Fields(path, raw if isinstance(raw, dict) else {}, errors, prefix=f"splits[{i}].")
        if not isinstance(raw, dict):
            sf._err("", "expected a table")
            continue
        sf.unknown(SPLIT_FIELDS)
        name = sf.get("name", str, check=lambda v: v.strip() != "", what="a non-empty name")
        prompt = sf.get("prompt", str, check=lambda v: v.strip() != "", what="a non-empty prompt")
        refs = []
        for key in sf.strings("checks"):
            ref = _check_ref(path, f"splits[{i}].checks", key, catalog, errors, names_cache)
            if ref:
                refs.append(ref)
        if "checks" in raw and not raw["checks"]:
            sf._err("checks", "a split needs at least one check")
        if name and prompt and refs:
            splits.append(Split(name.strip(), prompt.strip(), tuple(refs)))
    if len(errors) > before:
        return None
    return _Raw(cid, title, summary, order, extends, reference, splits, path, reference_text)


def _reference(path: Path, value: str | None, catalog: Catalog,
               errors: list[FormatError]) -> tuple[Path | None, str]:
    """The reference's path and its text, ``# given:`` lines expanded (see ``gradrill.core.given``)."""
    if value is None:
        return None, ""
    if value.endswith(".py"):
        ref = path.parent / value
        if not ref.is_file():
            errors.append(FormatError(path, "reference", f"no such file: {ref}"))
            return None, ""
        try:
            return ref, given.expand(ref.read_text(encoding="utf-8"), given.source_dirs(catalog.root))
        except (OSError, UnicodeDecodeError, given.GivenError) as exc:
            errors.append(FormatError(path, "reference", f"{ref.name}: {exc}"))
            return None, ""
    if value not in catalog:
        close = difflib.get_close_matches(value, [c.id for c in catalog], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        errors.append(FormatError(path, "reference", f"no challenge '{value}'{hint}: name a challenge (its "
                                                     "solution.py) or a .py file beside this one"))
        return None, ""
    challenge = catalog.get(value)
    return challenge.solution_path, challenge.solution


def _check_ref(path: Path, where: str, key: str, catalog: Catalog, errors: list[FormatError],
               names_cache: dict[str, set[str]]) -> CheckRef | None:
    challenge, sep, name = key.partition("::")
    if not sep or not challenge or not name:
        errors.append(FormatError(path, where, f"{key!r} is not 'challenge::test_name'"))
        return None
    if challenge not in catalog:
        close = difflib.get_close_matches(challenge, [c.id for c in catalog], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        errors.append(FormatError(path, where, f"{key!r}: no challenge '{challenge}'{hint}"))
        return None
    if challenge not in names_cache:
        names_cache[challenge] = check_names(catalog.get(challenge).checks_path)
    names = names_cache[challenge]
    if name not in names:
        close = difflib.get_close_matches(name, sorted(names), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        errors.append(FormatError(path, where, f"{key!r}: {challenge}/checks.py has no check '{name}'{hint}"))
        return None
    return CheckRef(challenge, name)


def load_categories(catalog: Catalog, root: Path | None = None) -> Categories:
    """Every category under ``root`` (default: the shipped ``challenges/_speedrun``); a
    malformed one is left out and its problems listed in ``errors``."""
    root = root or default_root(catalog)
    errors: list[FormatError] = []
    raws: dict[str, _Raw] = {}
    names_cache: dict[str, set[str]] = {}
    files = sorted(root.glob("*.toml")) if root.is_dir() else []
    for path in files:
        raw = _load_file(path, catalog, errors, names_cache)
        if raw is not None:
            raws[raw.id] = raw

    categories = []
    for raw in raws.values():
        splits = _resolve(raw, raws, errors)
        if splits is None:
            continue
        names = [s.name for s in splits]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            errors.append(FormatError(raw.path, "splits", f"split names must be unique: {', '.join(dupes)} "
                                                          "appear more than once"))
            continue
        if raw.reference is None:
            errors.append(FormatError(raw.path, "reference", "missing (required): the file that passes every split"))
            continue
        categories.append(Category(raw.id, raw.title, raw.summary, raw.order, tuple(splits), raw.reference, raw.path,
                                   raw.reference_text))
    categories.sort(key=lambda c: (c.order, c.id))
    return Categories(root, categories, errors)


def _resolve(raw: _Raw, raws: dict[str, _Raw], errors: list[FormatError]) -> list[Split] | None:
    """The category's splits with those of the categories it extends first."""
    chain: list[_Raw] = [raw]
    while chain[-1].extends is not None:
        parent_id = chain[-1].extends
        parent = raws.get(parent_id)
        if parent is None:
            errors.append(FormatError(chain[-1].path, "extends", f"no (valid) category '{parent_id}'"))
            return None
        if parent in chain:
            cycle = " -> ".join([r.id for r in chain] + [parent_id])
            errors.append(FormatError(raw.path, "extends", f"a cycle: {cycle}"))
            return None
        chain.append(parent)
    splits: list[Split] = []
    for r in reversed(chain):
        splits.extend(r.splits)
    if not splits:
        errors.append(FormatError(raw.path, "splits", "a category needs at least one split"))
        return None
    return splits
