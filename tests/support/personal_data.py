"""An oracle for "everything about a person", independent of ``nudgebot.store.personal``.

:func:`dump` reads every row of every table in the metadata; :func:`rows_about` decides in
Python, by following each row's foreign keys to the ``subscriber`` rows it reaches, which
rows belong to a subject. :func:`fill_every_table` gives each table that can refer to a
subscriber a row for each of the given subscribers, made up from the column types, so a
table someone adds later is exercised by the privacy tests without anyone writing data
for it (it fails loudly on a column type it cannot make up).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Table, insert, select
from sqlalchemy.types import TypeDecorator

from nudgebot.core.content import LANGUAGES
from nudgebot.store.db import Sessions
from nudgebot.store.personal import Subject, metadata
from nudgebot.store.tables import PERSON_ID
from nudgebot.store.tables.columns import LanguageType, StrEnumType

Key = tuple[str, tuple[Any, ...]]  # (table name, primary key values)
Dump = dict[str, list[dict[str, Any]]]


async def dump(sessions: Sessions) -> Dump:
    """Every row of every table, as plain dicts."""
    found: Dump = {}
    async with sessions() as session:
        for table in metadata().sorted_tables:
            rows = (await session.exec(select(table))).all()  # type: ignore[call-overload]
            found[table.name] = [dict(row._mapping) for row in rows]
    return found


def _key(table: Table, row: dict[str, Any]) -> Key:
    return table.name, tuple(row[c.name] for c in table.primary_key.columns)


def _owners(data: Dump, table: Table, row: dict[str, Any]) -> set[int]:
    """The subscriber ids a row reaches through its foreign keys."""
    if table.name == "subscriber":
        return {row["id"]}
    owners: set[int] = set()
    for key in table.foreign_keys:
        value = row[key.parent.name]
        if value is None:
            continue
        target = key.column.table
        for parent in data[target.name]:
            if parent[key.column.name] == value:
                owners |= _owners(data, target, parent)
    return owners


def rows_about(data: Dump, subject: Subject) -> set[Key]:
    """The rows of ``data`` about ``subject``, found by walking foreign keys in Python."""
    subscribers = {row["id"]: row for row in data["subscriber"]}

    def is_subject(subscriber_id: int, *, whole_workspace: bool) -> bool:
        row = subscribers[subscriber_id]
        return (
            row["platform"] == subject.platform
            and row["workspace"] == subject.workspace
            and (whole_workspace or subject.address is None or row["address"] == subject.address)
        )

    found: set[Key] = set()
    for table in metadata().sorted_tables:
        for row in data[table.name]:
            owners = _owners(data, table, row)
            mine = any(is_subject(o, whole_workspace=False) for o in owners)
            for column in table.columns:
                if column.info.get(PERSON_ID) and subject.address is not None:
                    in_workspace = any(is_subject(o, whole_workspace=True) for o in owners)
                    mine = mine or (in_workspace and row[column.name] == subject.address)
            if mine:
                found.add(_key(table, row))
    return found


def keys_of(data: Dump) -> set[Key]:
    return {_key(table, row) for table in metadata().sorted_tables for row in data[table.name]}


def keys_in_export(tables: dict[str, list[dict[str, Any]]]) -> set[Key]:
    """The rows named in a ``/mydata`` export (values as JSON has them)."""
    found: set[Key] = set()
    for name, rows in tables.items():
        table = metadata().tables[name]
        found |= {_key(table, row) for row in rows}
    return found


_counter = itertools.count(1)


def _made_up(column: Any) -> Any:
    """A value of the column's type, different on every call (unique constraints hold)."""
    n = next(_counter)
    if isinstance(column.type, StrEnumType):  # a typed column takes only its enum's values
        members: list[StrEnum] = [*column.type.enum.__members__.values()]
        return members[n % len(members)]
    if isinstance(column.type, LanguageType):
        return LANGUAGES[n % len(LANGUAGES)]
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, Float):
        return float(n)
    if isinstance(kind, DateTime):
        return datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
    if isinstance(kind, Date):
        return date(2020, 1, 1) + timedelta(days=n)
    if isinstance(kind, String):
        return f"x{n}"[: kind.length or 16]
    raise AssertionError(f"teach tests/support/personal_data.py to make up a {kind!r} for {column}")


def _reaches_subscribers(table: Table, path: tuple[Table, ...] = ()) -> bool:
    if table.name == "subscriber":
        return True
    return any(
        key.column.table not in (*path, table)
        and _reaches_subscribers(key.column.table, (*path, table))
        for key in table.foreign_keys
    )


async def _made_up_row(session: Any, data: Dump, table: Table, owner: int | None) -> dict[str, Any]:
    """Insert a row of ``table`` (belonging to ``owner`` if it can) and return it."""
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.foreign_keys:
            key = next(iter(column.foreign_keys))
            target = key.column.table
            mine = owner is not None and _reaches_subscribers(target)
            parent = next(
                (p for p in data[target.name] if not mine or owner in _owners(data, target, p)),
                None,
            )
            if parent is None:
                parent = await _made_up_row(session, data, target, owner if mine else None)
            row[column.name] = parent[key.column.name]
        elif column is table.autoincrement_column:
            continue
        elif column.nullable:
            row[column.name] = None
        else:
            row[column.name] = _made_up(column)
    result = await session.exec(insert(table).values(**row).returning(*table.columns))
    made = dict(result.one()._mapping)
    data[table.name].append(made)
    return made


async def fill_every_table(sessions: Sessions, subscriber_ids: Iterable[int]) -> None:
    """Give each table that refers to subscribers a row for every subscriber lacking one.

    Foreign keys point at rows of the same subscriber (made up first, parents before
    children) or, for tables that refer to nobody, at any row; other columns get
    made-up values of their type.
    """
    data = await dump(sessions)
    async with sessions() as session:
        for owner in subscriber_ids:
            for table in metadata().sorted_tables:
                if table.name == "subscriber" or not _reaches_subscribers(table):
                    continue
                if not any(owner in _owners(data, table, row) for row in data[table.name]):
                    await _made_up_row(session, data, table, owner)
        await session.commit()
