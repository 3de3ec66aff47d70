"""Suite-wide: no test touches the real home directory.

Every gradrill path comes from ``gradrill.locations``, which honours GRADRILL_HOME; HOME
itself is moved too, so anything that slips past ``locations`` lands in a tmp dir.
"""

from __future__ import annotations

import os

import pytest

REDIRECTED = ("GRADRILL_DATA_DIR", "GRADRILL_CONFIG_DIR", "GRADRILL_CACHE_DIR", "GRADRILL_WORKSPACE",
              "GRADRILL_CHALLENGES", "GRADRILL_NOW")


@pytest.fixture(autouse=True)
def scratch_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GRADRILL_HOME", str(home / "gradrill"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in REDIRECTED:
        monkeypatch.delenv(name, raising=False)
    yield home / "gradrill"
    from gradrill.core import clock

    clock.set_clock(None)
