"""The challenge catalog: loads and validates every folder under ``challenges/``.

A challenge is a folder::

    challenges/<id>/
        challenge.toml   metadata (see ``FIELDS`` below), hints, tasks, mutants
        prompt.md        what the learner reads
        starter.py       what the learner starts from (may be empty)
        solution.py      the canonical answer: passes every check
                         (both may hold `# given:` lines for code kept once: see ``given``)
        checks.py        the hidden pytest checks (they get the learner's module as ``learner``)
        mutants/         known-wrong answers, each a realistic mistake, each listed in challenge.toml:
                         a patch on solution.py (*.diff), or a whole file (*.py)

Chapters are listed, in order, in ``challenges/chapters.toml``.

Everything that is wrong with a folder is reported at once, each error naming the file
and the field, so an author fixes a challenge in one pass.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .. import locations

# The catalog usually comes from its cache (catalog_cache): what reads challenges from disk
# (tomllib, the given code, the patches) is imported by the functions that do, when they do.

KINDS = ("exercise", "fill-in", "from-blank", "checkpoint")
ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
DEFAULT_TIMEOUT = 5.0


class CatalogError(Exception):
    """One or more challenge folders are malformed; ``errors`` lists every problem."""

    def __init__(self, errors: list["FormatError"]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class FormatError:
    path: Path
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}"
        if self.field:
            where += f": field '{self.field}'"
        return f"{where}: {self.message}"


class UnknownChallenge(LookupError):
    def __init__(self, wanted: str, suggestions: list[str]):
        self.wanted = wanted
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no challenge '{wanted}'{hint}")


@dataclass(frozen=True)
class Task:
    id: int
    title: str


@dataclass(frozen=True)
class Mutant:
    """A known-wrong answer: a whole file (``.py``) or a patch on the solution (``.diff``, applied to
    the solution as the learner sees it, given code expanded)."""

    name: str
    path: Path
    mistake: str
    expect: str | None  # a phrase the failure message must contain (it names the mistake)
    base: str | None = None  # the expanded solution, for a patch

    @functools.cached_property
    def source(self) -> str:
        from . import given
        from .patch import apply_patch

        text = self.path.read_text(encoding="utf-8")
        if self.base is None:
            return given.expand(text, given.source_dirs(self.path.parent.parent.parent))
        return apply_patch(self.base, text)


@dataclass(frozen=True)
class Equivalent:
    """A generated mutant (``gradrill validate --mutate``) that computes the same as the solution, and why."""

    mutation: str  # "`<line as written>` -> `<line mutated>`", as the mutate report names it
    why: str


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    order: int
    summary: str = ""


@dataclass(frozen=True)
class Challenge:
    id: str
    title: str
    chapter: str
    order: int
    kind: str
    target_seconds: int
    folder: Path
    prerequisites: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    mutants: tuple[Mutant, ...] = ()
    equivalent: tuple[Equivalent, ...] = ()
    timeout_seconds: float = DEFAULT_TIMEOUT
    file_name: str = ""
    graph: str | None = None  # name of a function in the learner's file that builds a graph to draw
    starter: str = ""  # what the learner starts from, given code expanded
    solution: str = ""  # the canonical answer, given code expanded

    @property
    def prompt_path(self) -> Path:
        return self.folder / "prompt.md"

    @property
    def starter_path(self) -> Path:
        return self.folder / "starter.py"

    @property
    def solution_path(self) -> Path:
        return self.folder / "solution.py"

    @property
    def checks_path(self) -> Path:
        return self.folder / "checks.py"

    @property
    def prompt(self) -> str:
        return self.prompt_path.read_text(encoding="utf-8")


@dataclass
class Catalog:
    root: Path
    chapters: list[Chapter]
    challenges: list[Challenge]
    errors: list[FormatError] = field(default_factory=list)
    _by_id: dict[str, Challenge] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.challenges}

    def __iter__(self) -> Iterator[Challenge]:
        return iter(self.challenges)

    def __len__(self) -> int:
        return len(self.challenges)

    def __contains__(self, challenge_id: object) -> bool:
        return challenge_id in self._by_id

    def get(self, challenge_id: str) -> Challenge:
        try:
            return self._by_id[challenge_id]
        except KeyError:
            raise UnknownChallenge(challenge_id, self.suggest(challenge_id)) from None

    def suggest(self, wanted: str, n: int = 3) -> list[str]:
        ids = list(self._by_id)
        close = difflib.get_close_matches(wanted, ids, n=n, cutoff=0.5)
        close += [i for i in ids if wanted and wanted in i and i not in close]
        return close[:n]

    def chapter(self, chapter_id: str) -> Chapter:
        return next(ch for ch in self.chapters if ch.id == chapter_id)

    def in_chapter(self, chapter_id: str) -> list[Challenge]:
        return [c for c in self.challenges if c.chapter == chapter_id]

    def next_after(self, challenge_id: str) -> Challenge | None:
        ids = [c.id for c in self.challenges]
        i = ids.index(challenge_id)
        return self.challenges[i + 1] if i + 1 < len(ids) else None


# ---------------------------------------------------------------------------------------
# Loading


class _Fields:
    """Reads typed fields from one TOML table, collecting an error per bad field."""

    def __init__(self, path: Path, table: dict[str, Any], errors: list[FormatError], prefix: str = ""):
        self.path, self.table, self.errors, self.prefix = path, table, errors, prefix

    def _err(self, name: str, message: str) -> None:
        self.errors.append(FormatError(self.path, self.prefix + name, message))

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ..., *, check=None, what: str = "") -> Any:
        if name not in self.table:
            if default is ...:
                self._err(name, "missing (required)")
                return None
            return default
        value = self.table[name]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            ok = False
        else:
            ok = isinstance(value, kind)
        if ok and check is not None and not check(value):
            ok = False
        if not ok:
            self._err(name, f"expected {what or _type_name(kind)}, got {value!r}")
            return None if default is ... else default
        return value

    def strings(self, name: str, default: tuple = ()) -> tuple[str, ...]:
        value = self.get(name, list, list(default), what="a list of strings")
        if value is None:
            return tuple(default)
        if not all(isinstance(v, str) and v.strip() for v in value):
            self._err(name, f"expected a list of non-empty strings, got {value!r}")
            return tuple(default)
        return tuple(value)

    def unknown(self, known: set[str]) -> None:
        for name in self.table:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self._err(name, f"unknown field{hint}")


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", float: "a number", list: "a list", dict: "a table", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


FIELDS = {
    "id", "title", "chapter", "order", "kind", "target_seconds", "prerequisites", "tags",
    "subject", "hints", "tasks", "mutants", "equivalent", "timeout_seconds", "file", "graph",
}


SUBJECT_TOKEN = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\([A-Za-z_]\w*=\))?$")


def subject_holds(module: Any, subject: tuple[str, ...]) -> bool:
    """Does ``module`` define everything a challenge's ``subject`` names?

    Tokens: ``Value`` (defined), ``Value.tanh`` (has the attribute), ``Value(label=)``
    (its constructor takes that parameter).
    """
    for token in subject:
        name, _, rest = token.partition("(") if "(" in token else token.partition(".")
        obj = getattr(module, name, None)
        if obj is None:
            return False
        if "(" in token:
            try:
                params = inspect.signature(obj).parameters
            except (TypeError, ValueError):
                return False
            if rest.rstrip(")").rstrip("=") not in params:
                return False
        elif rest and not hasattr(obj, rest):
            return False
    return True


def load_challenge(folder: Path, errors: list[FormatError], check_mutants: bool = True) -> Challenge | None:
    import tomllib

    from . import given
    from .patch import PatchError

    meta_path = folder / "challenge.toml"
    if not meta_path.is_file():
        errors.append(FormatError(meta_path, None, "missing: every challenge folder needs a challenge.toml"))
        return None
    try:
        table = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        errors.append(FormatError(meta_path, None, f"not valid TOML: {exc}"))
        return None

    before = len(errors)
    f = _Fields(meta_path, table, errors)
    f.unknown(FIELDS)
    cid = f.get("id", str, check=lambda v: v and set(v) <= ID_CHARS and not v.startswith("-"),
                what="an id of lowercase letters, digits and dashes")
    if cid and cid != folder.name:
        errors.append(FormatError(meta_path, "id", f"'{cid}' differs from the folder name '{folder.name}'"))
    title = f.get("title", str, check=lambda v: v.strip() != "", what="a non-empty string")
    chapter = f.get("chapter", str)
    order = f.get("order", int, check=lambda v: v >= 0, what="a non-negative integer")
    kind = f.get("kind", str, check=lambda v: v in KINDS, what="one of " + ", ".join(KINDS))
    target = f.get("target_seconds", int, check=lambda v: v > 0, what="a positive integer (seconds)")
    timeout = f.get("timeout_seconds", (int, float), DEFAULT_TIMEOUT, check=lambda v: 0 < v <= 120,
                    what="a number of seconds between 0 and 120")
    file_name = f.get("file", str, f"{cid or folder.name}.py",
                      check=lambda v: v.endswith(".py") and "/" not in v, what="a file name ending in .py")
    graph = f.get("graph", str, None, check=str.isidentifier, what="the name of a function")
    prerequisites = f.strings("prerequisites")
    tags = f.strings("tags")
    subject = f.strings("subject")
    for token in subject:
        if not SUBJECT_TOKEN.match(token):
            errors.append(FormatError(meta_path, "subject", f"{token!r} is not `Name`, `Name.attr` or `Name(param=)`"))
    hints = f.strings("hints")
    if not hints:
        errors.append(FormatError(meta_path, "hints", "needs at least one hint (from a nudge to nearly the answer)"))

    tasks: list[Task] = []
    for i, raw in enumerate(f.get("tasks", list, [], what="an array of tables [[tasks]]") or []):
        tf = _Fields(meta_path, raw if isinstance(raw, dict) else {}, errors, prefix=f"tasks[{i}].")
        if not isinstance(raw, dict):
            tf._err("", "expected a table")
            continue
        tf.unknown({"id", "title"})
        tid, ttitle = tf.get("id", int), tf.get("title", str)
        if tid is not None and ttitle is not None:
            tasks.append(Task(tid, ttitle))

    texts: dict[str, str] = {}
    for name in ("starter.py", "solution.py"):
        path = folder / name
        if not path.is_file():
            continue
        try:
            texts[name] = given.expand(path.read_text(encoding="utf-8"), given.source_dirs(folder.parent))
        except given.GivenError as exc:
            errors.append(FormatError(path, None, f"given code: {exc}"))
        except (OSError, UnicodeDecodeError, SyntaxError) as exc:
            errors.append(FormatError(path, None, f"unreadable: {exc}"))

    mutants: list[Mutant] = []
    for i, raw in enumerate(f.get("mutants", list, [], what="an array of tables [[mutants]]") or []):
        mf = _Fields(meta_path, raw if isinstance(raw, dict) else {}, errors, prefix=f"mutants[{i}].")
        if not isinstance(raw, dict):
            mf._err("", "expected a table")
            continue
        mf.unknown({"file", "mistake", "expect"})
        mfile = mf.get("file", str)
        mistake = mf.get("mistake", str, check=lambda v: v.strip() != "", what="a sentence naming the mistake")
        expect = mf.get("expect", str, None)
        if mfile is None or mistake is None:
            continue
        mpath = folder / mfile
        if not mpath.is_file():
            mf._err("file", f"no such file: {mpath}")
            continue
        if mpath.suffix not in (".py", ".diff"):
            mf._err("file", f"{mfile}: a mutant is a whole file (.py) or a patch on solution.py (.diff)")
            continue
        mutant = Mutant(Path(mfile).stem, mpath, mistake, expect,
                        base=texts.get("solution.py", "") if mpath.suffix == ".diff" else None)
        if check_mutants and ("solution.py" in texts or mutant.base is None):
            try:
                mutant.source
            except PatchError as exc:
                mf._err("file", f"{mfile} does not apply to solution.py: {exc}")
                continue
            except given.GivenError as exc:
                mf._err("file", f"{mfile}: given code: {exc}")
                continue
        mutants.append(mutant)

    equivalent: list[Equivalent] = []
    for i, raw in enumerate(f.get("equivalent", list, [], what="an array of tables [[equivalent]]") or []):
        ef = _Fields(meta_path, raw if isinstance(raw, dict) else {}, errors, prefix=f"equivalent[{i}].")
        if not isinstance(raw, dict):
            ef._err("", "expected a table")
            continue
        ef.unknown({"mutation", "why"})
        mutation = ef.get("mutation", str, check=lambda v: v.startswith("`") and "` -> `" in v,
                          what="\"`<line>` -> `<mutated line>`\", as `gradrill validate --mutate` names it")
        why = ef.get("why", str, check=lambda v: v.strip() != "", what="a sentence: why it computes the same")
        if mutation is not None and why is not None:
            equivalent.append(Equivalent(mutation, why))

    for name in ("prompt.md", "starter.py", "solution.py", "checks.py"):
        if not (folder / name).is_file():
            errors.append(FormatError(folder / name, None, "missing: every challenge folder needs it"))
    listed = {m.path.resolve() for m in mutants}
    strays = [p for p in (folder / "mutants").iterdir() if p.suffix in (".py", ".diff")] \
        if (folder / "mutants").is_dir() else []
    for stray in sorted(strays):
        if stray.resolve() not in listed:
            errors.append(FormatError(meta_path, "mutants", f"{stray.name} is in mutants/ but not listed"))

    if len(errors) > before:
        return None
    return Challenge(
        id=cid, title=title, chapter=chapter, order=order, kind=kind, target_seconds=target,
        folder=folder, prerequisites=prerequisites, tags=tags, subject=subject, hints=hints,
        tasks=tuple(tasks), mutants=tuple(mutants), equivalent=tuple(equivalent), timeout_seconds=float(timeout),
        file_name=file_name, graph=graph, starter=texts["starter.py"], solution=texts["solution.py"],
    )


def load_chapters(root: Path, errors: list[FormatError]) -> list[Chapter]:
    import tomllib

    path = root / "chapters.toml"
    if not path.is_file():
        errors.append(FormatError(path, None, "missing: lists the chapters in order"))
        return []
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        errors.append(FormatError(path, None, f"not valid TOML: {exc}"))
        return []
    chapters = []
    for i, raw in enumerate(table.get("chapters", [])):
        cf = _Fields(path, raw, errors, prefix=f"chapters[{i}].")
        cf.unknown({"id", "title", "summary"})
        cid, title = cf.get("id", str), cf.get("title", str)
        if cid and title:
            chapters.append(Chapter(cid, title, i, cf.get("summary", str, "")))
    return chapters


def load_catalog(root: Path | None = None, strict: bool = True, check_mutants: bool | None = None) -> Catalog:
    """Load every challenge under ``root``.

    ``strict``: raise ``CatalogError`` listing every problem. Otherwise the malformed
    challenges are left out and their problems listed in ``Catalog.errors``.
    ``check_mutants`` (by default, when ``strict``): apply every mutant's patch now, so one that
    no longer applies is a problem of its challenge. Practice never needs the mutants, so the
    trainer and the CLI leave them until ``validate`` grades them.
    """
    check_mutants = strict if check_mutants is None else check_mutants
    root = root or locations.challenges_dir()
    cache_key = None
    if not strict and not check_mutants:  # the trainer's and the CLI's load: cached (catalog_cache)
        from . import catalog_cache

        cache_key, cached = catalog_cache.load(root)
        if cached is not None:
            return cached
    errors: list[FormatError] = []
    chapters = load_chapters(root, errors)
    challenges = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        challenge = load_challenge(folder, errors, check_mutants)
        if challenge:
            challenges.append(challenge)

    chapter_ids = {ch.id: ch.order for ch in chapters}
    ids = {c.id for c in challenges}
    for c in challenges:
        meta = c.folder / "challenge.toml"
        if c.chapter not in chapter_ids:
            close = difflib.get_close_matches(c.chapter, list(chapter_ids), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            errors.append(FormatError(meta, "chapter", f"'{c.chapter}' is not in chapters.toml{hint}"))
        for p in c.prerequisites:
            if p not in ids:
                errors.append(FormatError(meta, "prerequisites", f"no challenge '{p}'"))
    seen: dict[tuple[str, int], str] = {}
    for c in challenges:
        key = (c.chapter, c.order)
        if key in seen:
            errors.append(FormatError(c.folder / "challenge.toml", "order",
                                      f"{c.order} is also the order of '{seen[key]}' in chapter '{c.chapter}'"))
        seen[key] = c.id
    if errors and strict:
        raise CatalogError(errors)
    bad = {e.path.parent.resolve() for e in errors}
    challenges = [c for c in challenges if c.folder.resolve() not in bad and c.chapter in chapter_ids]
    challenges.sort(key=lambda c: (chapter_ids[c.chapter], c.order, c.id))
    catalog = Catalog(root, chapters, challenges, errors)
    if cache_key is not None:
        from . import catalog_cache

        catalog_cache.store(cache_key, catalog)
    return catalog
