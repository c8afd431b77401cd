"""Column types that hand the code typed values, stored as the plain strings they always were.

A subscriber's (or a broadcast audience's) language is a
:data:`~nudgebot.core.content.Lang`, a status or a frequency a member of its enum (a
subscription's :class:`~nudgebot.core.subscription.Status` and
:class:`~nudgebot.core.frequency.Frequency`, an outbox row's ``OutboxStatus``) and a wall
time a :class:`datetime.time` from the moment a row is loaded: nothing casts or parses
them at each use. The stored form is unchanged (``"nl"``, ``"active"``, ``"3x"``,
``"07:45"``), so no migration was needed and ``tests/store/test_migrations.py`` still
finds the tables equal to the revisions. A value the code cannot name is refused when
written, and reported, not guessed, when read.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from enum import StrEnum
from typing import Any, Final, TypeVar

from sqlalchemy import Column, DateTime, Dialect, String, TypeDecorator

from nudgebot.core.content import LANGUAGES, Lang, as_lang
from nudgebot.core.timing import format_wall_time

E = TypeVar("E", bound=StrEnum)


class LanguageType(TypeDecorator[Lang]):
    """``nl`` or ``en``, as two characters."""

    impl = String(2)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is not None and value not in LANGUAGES:
            raise ValueError(f"not a supported language: {value!r}")
        return value  # type: ignore[no-any-return]

    def process_result_value(self, value: Any, dialect: Dialect) -> Lang | None:
        lang = as_lang(value)
        if lang is not None or value is None:
            return lang
        raise ValueError(f"stored language {value!r} is not one nudgebot speaks")


class StrEnumType(TypeDecorator[E]):
    """A member of ``enum`` (a subscription's or an outbox row's status), by its value."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


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


__all__ = ["LanguageType", "StrEnumType", "WallTimeType"]


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC in, aware UTC out, on every backend.

    SQLite has no time zone type: SQLAlchemy hands back naive datetimes there, which
    cannot be compared with the aware ``now_utc`` the code uses everywhere.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


PERSON_ID: Final = "person_id"
"""Column ``info`` key for a column that holds a person's own platform id (a group member
who tapped) without a foreign key: exporting or erasing that person covers the column
(``nudgebot.store.personal``)."""


def utc_column(*, index: bool = False, nullable: bool = True) -> Column[datetime]:
    """A column of aware UTC instants (see :class:`UtcDateTime`)."""
    return Column(UtcDateTime(), index=index, nullable=nullable)
