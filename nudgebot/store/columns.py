"""Column types that hand the code typed values, stored as the plain strings they always were.

A subscriber's language is a :data:`~nudgebot.core.content.Lang`, their status a
:class:`~nudgebot.core.subscription.Status` and their wall time a :class:`datetime.time`
from the moment a row is loaded: nothing casts or parses them at each use. The stored
form is unchanged (``"nl"``, ``"active"``, ``"07:45"``), so no migration was needed and
``tests/test_migrations.py`` still finds the tables equal to the revisions. A value the
code cannot name is refused when written, and reported, not guessed, when read.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from sqlalchemy import Dialect, String, TypeDecorator

from nudgebot.core.content import LANGUAGES, Lang
from nudgebot.core.subscription import Status
from nudgebot.core.timing import format_wall_time


class LanguageType(TypeDecorator[Lang]):
    """``nl`` or ``en``, as two characters."""

    impl = String(2)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is not None and value not in LANGUAGES:
            raise ValueError(f"not a supported language: {value!r}")
        return value  # type: ignore[no-any-return]

    def process_result_value(self, value: Any, dialect: Dialect) -> Lang | None:
        for lang in LANGUAGES:
            if value == lang:
                return lang
        if value is None:
            return None
        raise ValueError(f"stored language {value!r} is not one nudgebot speaks")


class StatusType(TypeDecorator[Status]):
    """A subscription's :class:`Status`, by its value."""

    impl = String(8)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else Status(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> Status | None:
        return None if value is None else Status(value)


class WallTimeType(TypeDecorator[time]):
    """A wall-clock time of day, stored as ``HH:MM`` (minutes are all a nudge needs)."""

    impl = String(5)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, time):
            raise TypeError(f"a wall time column takes a datetime.time, not {value!r}")
        return format_wall_time(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> time | None:
        return None if value is None else time.fromisoformat(value)


__all__ = ["LanguageType", "StatusType", "WallTimeType"]
