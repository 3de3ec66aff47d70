"""A cache of the loaded catalog, so the trainer and the CLI start without re-reading it.

Loading the catalog reads and parses every challenge (TOML, prompts, the given code expanded
into starters and solutions): a tenth of a second, at every start. The cache keeps the result,
keyed by every file it came from (path, size, modification time: under the challenges folder
and the reference the given code is taken from) and by gradrill's own code that builds it. A
changed, added or removed file changes the key, and the catalog is loaded afresh.

Only the lenient load is cached (``strict=False``, mutants unchecked): what the trainer and
the CLI use. ``validate`` and the tests load strictly, every time. A cache that cannot be read
or written is ignored: it is never needed.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from .. import __version__, locations

_FILE = "catalog.pickle"
_BUILDERS = ("catalog.py", "given.py", "patch.py", "catalog_cache.py")  # the code that makes a catalog


def _walk(root: Path, out: list[str]) -> None:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=True):
            _walk(Path(entry.path), out)
        else:
            try:
                st = entry.stat()
            except OSError:
                continue
            out.append(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}")


def key(root: Path) -> str:
    """What the catalog under ``root`` was made of: every source file's path, size and time (kept
    whole, a few tens of kilobytes, and compared exactly: no digest to import and compute)."""
    parts: list[str] = [__version__, str(root.resolve())]
    here = Path(__file__).parent
    for name in _BUILDERS:
        try:
            st = (here / name).stat()
            parts.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}")
        except OSError:
            parts.append(name)
    _walk(root, parts)
    _walk(locations.reference_dir(), parts)
    return "\n".join(parts)


def _path() -> Path:
    return locations.cache_dir() / _FILE


def load(root: Path) -> tuple[str, Any | None]:
    """(the key of ``root`` now, the cached catalog if it was made from exactly these files)."""
    now = key(root)
    try:
        with _path().open("rb") as f:
            stored_key, catalog = pickle.load(f)
    except Exception:  # noqa: BLE001 - missing, partial or from another version: load afresh
        return now, None
    return now, (catalog if stored_key == now else None)


def store(cache_key: str, catalog: Any) -> None:
    write_pickle(_path(), (cache_key, catalog))


def write_pickle(path: Path, value: Any) -> None:
    """Pickle ``value`` into the cache file ``path``, whole or not at all (a temporary file, then
    renamed); a read-only or full cache folder is ignored: a cache costs only speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:  # noqa: BLE001 - a read-only or full cache folder costs only speed
        pass
