"""The learner's files: one per challenge, in a visible workspace folder.

Nothing here overwrites a learner's file without first copying it to
``<workspace>/.archive/<stem>/<UTC timestamp>.py``. Writes are atomic (a temporary file,
fsynced, then renamed), so an editor or a crash never sees half a file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import locations
from .catalog import Challenge


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _umask_mode()


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600; a learner's file gets the usual mode
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Workspace:
    root: Path

    @classmethod
    def default(cls, override: str | os.PathLike[str] | None = None) -> "Workspace":
        return cls(locations.workspace_dir(override))

    def path_for(self, challenge: Challenge) -> Path:
        return self.root / challenge.file_name

    def exists(self, challenge: Challenge) -> bool:
        return self.path_for(challenge).is_file()

    def read(self, challenge: Challenge) -> str:
        return self.path_for(challenge).read_text(encoding="utf-8")

    def archive(self, path: Path) -> Path | None:
        """Copy ``path`` into the archive; return the copy (None if there was nothing to keep)."""
        if not path.is_file():
            return None
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        target = locations.archive_dir(self.root) / path.stem / f"{stamp}{path.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        return target

    def archived(self, challenge: Challenge) -> list[Path]:
        folder = locations.archive_dir(self.root) / Path(challenge.file_name).stem
        return sorted(folder.glob("*.py")) if folder.is_dir() else []

    def start(self, challenge: Challenge) -> tuple[Path, Path | None]:
        """Write the starter to the learner's file; an existing different file is archived first."""
        path = self.path_for(challenge)
        starter = challenge.starter
        archived = None
        if path.is_file():
            if path.read_text(encoding="utf-8", errors="replace") == starter:
                return path, None
            archived = self.archive(path)
        atomic_write(path, starter)
        return path, archived

    def ensure(self, challenge: Challenge) -> Path:
        """The learner's file, created from the starter if it does not exist yet."""
        path = self.path_for(challenge)
        if not path.exists():
            atomic_write(path, challenge.starter)
        return path

    def save(self, challenge: Challenge, text: str) -> Path:
        """The learner's own edit (the in-app editor's save): atomic, no archive."""
        path = self.path_for(challenge)
        atomic_write(path, text)
        return path
