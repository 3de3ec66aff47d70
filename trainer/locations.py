"""Every path gradrill reads or writes comes from here.

Defaults follow the platform's conventions (platformdirs); each can be moved by an
environment variable, which is how the tests keep away from the real home directory:

- ``GRADRILL_HOME``: one folder for everything (data, config, cache, and the
  workspace unless ``GRADRILL_WORKSPACE`` says otherwise).
- ``GRADRILL_DATA_DIR``, ``GRADRILL_CONFIG_DIR``, ``GRADRILL_CACHE_DIR``: one each.
- ``GRADRILL_WORKSPACE``: where the learner's files live (default ``~/gradrill``,
  visible on purpose: it is the learner's own work).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import platformdirs

APP_NAME = "gradrill"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def _home() -> Path | None:
    return _env_path("GRADRILL_HOME")


def data_dir() -> Path:
    """Progress database and archives of learner files."""
    return _env_path("GRADRILL_DATA_DIR") or (
        _home() / "data" if _home() else Path(platformdirs.user_data_dir(APP_NAME))
    )


def config_dir() -> Path:
    """Settings (``settings.toml``)."""
    return _env_path("GRADRILL_CONFIG_DIR") or (
        _home() / "config" if _home() else Path(platformdirs.user_config_dir(APP_NAME))
    )


def cache_dir() -> Path:
    """Disposable files: rendered graphs, grader scratch space."""
    return _env_path("GRADRILL_CACHE_DIR") or (
        _home() / "cache" if _home() else Path(platformdirs.user_cache_dir(APP_NAME))
    )


def workspace_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The learner's files, one per challenge: a flag beats the environment beats the default."""
    if override:
        return Path(override).expanduser()
    return _env_path("GRADRILL_WORKSPACE") or (
        _home() / "workspace" if _home() else Path.home() / APP_NAME
    )


def archive_dir(workspace: Path) -> Path:
    """Copies of learner files set aside before anything overwrites them."""
    return workspace / ".archive"


def database_path() -> Path:
    return data_dir() / "progress.sqlite3"


def settings_path() -> Path:
    return config_dir() / "settings.toml"


def _package_dir(name: str) -> Path:
    """The folder of one of gradrill's data packages, found without importing it (as
    ``importlib.resources`` would, with its own modules: a few ms of every start)."""
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    from importlib import resources  # not a plain folder on disk: let importlib say where it is

    return Path(str(resources.files(name)))


def challenges_dir() -> Path:
    """The shipped challenges (inside the installed package), or ``GRADRILL_CHALLENGES``."""
    override = _env_path("GRADRILL_CHALLENGES")
    if override:
        return override
    return _package_dir("gradrill.challenges")


def reference_dir() -> Path:
    return _package_dir("gradrill.reference")

