"""The learner's settings: ``settings.toml`` under ``locations.settings_path()``.

Only the ``[practice]`` table is read here (other tables belong to other parts of
gradrill and are left alone)::

    [practice]
    daily_minutes = 20      # the daily session's time budget
    new_per_day = 5         # at most this many new challenges a day
    streak_min_drills = 3   # a day also counts for the streak after this many finished drills

A missing file or table gives the defaults; a bad value gives its default and a warning
in ``Settings.problems`` (never an exception: settings must not stop the trainer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import locations

DEFAULT_DAILY_MINUTES = 20
DEFAULT_NEW_PER_DAY = 5
DEFAULT_STREAK_MIN_DRILLS = 3

_LIMITS = {
    "daily_minutes": (DEFAULT_DAILY_MINUTES, 1, 24 * 60),
    "new_per_day": (DEFAULT_NEW_PER_DAY, 0, 1000),
    "streak_min_drills": (DEFAULT_STREAK_MIN_DRILLS, 1, 1000),
}


@dataclass(frozen=True)
class Settings:
    daily_minutes: int = DEFAULT_DAILY_MINUTES
    new_per_day: int = DEFAULT_NEW_PER_DAY
    streak_min_drills: int = DEFAULT_STREAK_MIN_DRILLS
    problems: tuple[str, ...] = field(default=(), compare=False)


def load(path: Path | None = None) -> Settings:
    path = path or locations.settings_path()
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(problems=(f"{path}: unreadable ({exc}); using the defaults",))
    import tomllib  # only for a settings file: most learners have none, and every start reads this

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Settings(problems=(f"{path}: unreadable ({exc}); using the defaults",))
    practice = table.get("practice", {})
    if not isinstance(practice, dict):
        return Settings(problems=(f"{path}: [practice] must be a table; using the defaults",))
    values: dict[str, int] = {}
    for name, (default, low, high) in _LIMITS.items():
        value = practice.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(f"{path}: practice.{name} must be a whole number from {low} to {high}, "
                            f"got {value!r}; using {default}")
            value = default
        values[name] = value
    return Settings(**values, problems=tuple(problems))
