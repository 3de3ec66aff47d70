from pathlib import Path

from gradrill import locations


def test_everything_lives_under_gradrill_home(scratch_home):
    for path in (locations.data_dir(), locations.config_dir(), locations.cache_dir(),
                 locations.workspace_dir(), locations.database_path(), locations.settings_path()):
        assert scratch_home in path.parents, path


def test_specific_variables_beat_gradrill_home(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADRILL_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("GRADRILL_WORKSPACE", str(tmp_path / "w"))
    assert locations.data_dir() == tmp_path / "d"
    assert locations.database_path() == tmp_path / "d" / "progress.sqlite3"
    assert locations.workspace_dir() == tmp_path / "w"


def test_a_flag_beats_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADRILL_WORKSPACE", str(tmp_path / "w"))
    assert locations.workspace_dir(tmp_path / "flag") == tmp_path / "flag"


def test_default_workspace_is_visible_in_home(monkeypatch):
    monkeypatch.delenv("GRADRILL_HOME")
    assert locations.workspace_dir() == Path.home() / "gradrill"


def test_shipped_challenges_and_reference_are_found():
    assert (locations.challenges_dir() / "chapters.toml").is_file()
    assert (locations.reference_dir() / "__init__.py").is_file()
