"""Everything stored about a person, found from the table metadata: to export it, or erase it.

Nothing here lists tables by hand. A row belongs to a subject when it reaches one of the
subject's ``subscriber`` rows through foreign keys (a delivery directly, a tap directly or
through its delivery, a broadcast's outbox row directly), or when one of its columns is
marked :data:`~nudgebot.store.tables.PERSON_ID` and holds the subject's own id on the
same platform and workspace (a member's tap on a group's nudge). A table added later is
covered as soon as it has its foreign key; ``tests/store/test_personal.py`` fails for a
table that has neither a path to ``subscriber`` nor a reason in :data:`UNRELATED_TABLES`.

The same walk over the foreign keys deletes old deliveries with everything that hangs
off them (:func:`delete_cascading`, for the retention job), children before parents, so
the foreign keys hold at every step on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Select, Table, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import nudgebot.store
from nudgebot.store.db import Sessions, checkpoint
from nudgebot.store.tables import PERSON_ID

UNRELATED_TABLES: Mapping[str, str] = {
    "admin_audit": "what admins did in the console and when: about the admin, no subscriber",
    "admin_link": "a one-time console sign-in link (its hash), minutes long, for an admin",
    "broadcast": "an operator's message to many; each recipient's copy is their outbox row",
    "slack_installation": "a workspace's bot token; erased when the workspace uninstalls",
    "slack_oauth_state": "a one-time OAuth state, ten minutes long, tied to nobody",
    "alembic_version": "the schema revision",
    "audience_tally": "answers per item pooled over everyone who learns, tied to nobody",
}
"""Tables that hold nothing about a subscriber, each with the reason. A new table that
refers to nobody goes here; one that refers to a subscriber gets a foreign key instead."""

SHOWN_WITH_ROWS: Mapping[str, tuple[str, ...]] = {
    "broadcast": ("id", "text_nl", "text_en", "link", "started_utc"),
}
"""Columns of unrelated tables that an export shows beside the rows referring to them:
the text of each broadcast a subscriber received, not who wrote it or whom it targeted."""

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Subject:
    """Whose data: one chat (``address``), or every chat of a workspace (``address=None``)."""

    platform: str
    workspace: str
    address: str | None


@cache
def metadata() -> MetaData:
    """Every table of the app: each module of :mod:`nudgebot.store` is imported first.

    Importing them all here means a table module added later is covered without anyone
    remembering to register it.
    """
    for module in pkgutil.iter_modules(nudgebot.store.__path__):
        importlib.import_module(f"{nudgebot.store.__name__}.{module.name}")
    return SQLModel.metadata


def _subscriber() -> Table:
    return metadata().tables["subscriber"]


def _subject_ids(subject: Subject) -> Select[Any]:
    subscriber = _subscriber()
    statement = select(subscriber.c.id).where(
        subscriber.c.platform == subject.platform, subscriber.c.workspace == subject.workspace
    )
    if subject.address is not None:
        statement = statement.where(subscriber.c.address == subject.address)
    return statement


def _reaching(
    table: Table, root: Table, root_rows: ColumnElement[bool], path: tuple[Table, ...] = ()
) -> ColumnElement[bool] | None:
    """Rows of ``table`` that are ``root_rows`` or refer to them through foreign keys."""
    if table is root:
        return root_rows
    parts = []
    for key in table.foreign_keys:
        target = key.column.table
        if target in path or target is table:
            continue
        inner = _reaching(target, root, root_rows, (*path, table))
        if inner is not None:
            parts.append(key.parent.in_(select(key.column).where(inner)))
    return or_(*parts) if parts else None


def subject_rows(table: Table, subject: Subject) -> ColumnElement[bool] | None:
    """The condition selecting ``subject``'s rows of ``table``; None if it never has any."""
    subscriber = _subscriber()
    owned = _reaching(table, subscriber, subscriber.c.id.in_(_subject_ids(subject)))
    parts = [] if owned is None else [owned]
    if subject.address is not None:
        # A member's own id in a row of a shared chat on the same platform and workspace.
        workspace = Subject(subject.platform, subject.workspace, None)
        in_workspace = _reaching(table, subscriber, subscriber.c.id.in_(_subject_ids(workspace)))
        for column in table.columns:
            if column.info.get(PERSON_ID) and in_workspace is not None:
                parts.append(and_(column == subject.address, in_workspace))
    return or_(*parts) if parts else None


def personal_tables() -> list[Table]:
    """Tables that can hold a subscriber's rows, parents before children."""
    probe = Subject("", "", "")
    return [t for t in metadata().sorted_tables if subject_rows(t, probe) is not None]


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


async def export_rows(session: AsyncSession, subject: Subject) -> dict[str, list[Row]]:
    """Every row about ``subject``, per table (tables without any are left out)."""
    found: dict[str, list[Row]] = {}
    for table in personal_tables():
        condition = subject_rows(table, subject)
        assert condition is not None
        statement = select(table).where(condition).order_by(*table.primary_key.columns)
        rows = (await session.exec(statement)).all()  # type: ignore[call-overload]
        if rows:
            found[table.name] = [
                {key: _jsonable(value) for key, value in row._mapping.items()} for row in rows
            ]
    return found


async def export_references(
    session: AsyncSession, tables: Mapping[str, list[Row]]
) -> dict[str, list[Row]]:
    """Rows of :data:`SHOWN_WITH_ROWS` tables that exported rows refer to, those columns only."""
    found: dict[str, list[Row]] = {}
    for name, rows in tables.items():
        for key in metadata().tables[name].foreign_keys:
            target = key.column.table
            if target.name not in SHOWN_WITH_ROWS:
                continue
            wanted = {row[key.parent.name] for row in rows} - {None}
            columns = [target.c[column] for column in SHOWN_WITH_ROWS[target.name]]
            statement = select(*columns).where(key.column.in_(wanted)).order_by(key.column)
            result = (await session.exec(statement)).all()  # type: ignore[call-overload]
            found.setdefault(target.name, []).extend(
                {k: _jsonable(v) for k, v in row._mapping.items()} for row in result
            )
    return {name: rows for name, rows in found.items() if rows}


async def delete_cascading(
    session: AsyncSession, root: Table, root_rows: ColumnElement[bool]
) -> dict[str, int]:
    """Delete ``root_rows`` of ``root`` and every row that refers to them; does not commit.

    Returns the number of rows deleted per table (tables with none are left out).
    """
    deleted: dict[str, int] = {}
    for table in reversed(metadata().sorted_tables):
        condition = _reaching(table, root, root_rows)
        if condition is not None:
            await _delete(session, table, condition, deleted)
    return deleted


async def erase(session: AsyncSession, subject: Subject) -> dict[str, int]:
    """Delete every row about ``subject``, children first; does not commit.

    Returns the number of rows deleted per table (tables with none are left out).
    """
    deleted: dict[str, int] = {}
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # Hold the subscriber rows first: an engine claiming one of them waits, then finds
        # nothing to claim, instead of inserting a delivery for a subscriber being erased.
        subscriber = _subscriber()
        await session.exec(
            select(subscriber.c.id)  # type: ignore[call-overload]
            .where(subscriber.c.id.in_(_subject_ids(subject)))
            .with_for_update()
        )
    for table in reversed(personal_tables()):
        condition = subject_rows(table, subject)
        assert condition is not None
        await _delete(session, table, condition, deleted)
    return deleted


async def forget(sessions: Sessions, subject: Subject) -> dict[str, int]:
    """Erase ``subject`` for good: delete, commit, and leave no copy in SQLite's log."""
    async with sessions() as session:
        deleted = await erase(session, subject)
        await session.commit()
        engine = session.bind
    assert isinstance(engine, AsyncEngine)
    await checkpoint(engine)
    return deleted


async def _delete(
    session: AsyncSession, table: Table, condition: ColumnElement[bool], deleted: dict[str, int]
) -> None:
    result = await session.exec(delete(table).where(condition))
    if result.rowcount:
        deleted[table.name] = deleted.get(table.name, 0) + int(result.rowcount)


__all__ = [
    "SHOWN_WITH_ROWS",
    "UNRELATED_TABLES",
    "Subject",
    "delete_cascading",
    "erase",
    "export_references",
    "export_rows",
    "forget",
    "metadata",
    "personal_tables",
    "subject_rows",
]
