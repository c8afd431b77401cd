"""Statements that write many rows at once, spelled for the session's database.

``INSERT ... ON CONFLICT`` exists on SQLite and PostgreSQL alike, but SQLAlchemy builds
it from each dialect's own ``insert``; a batch's outcomes are one ``UPDATE`` run with
many parameter sets (an executemany), not one statement per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Table, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession


def is_postgres(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


def upsert_insert(session: AsyncSession, table: Any) -> Any:
    """An ``insert`` of ``table`` that supports ``on_conflict_do_*`` on this session's database.

    Typed ``Any`` because the two dialects' ``Insert`` classes share no base that has
    ``on_conflict_do_nothing``.
    """
    if is_postgres(session):
        return postgresql.insert(table)
    return sqlite.insert(table)


async def update_by_id(
    session: AsyncSession, table: Table, changes: Sequence[Any], *, guard: Mapping[str, Any]
) -> None:
    """Write each change (a dataclass named like the columns, with ``id``) in one executemany.

    ``guard`` holds column values a row must still have to be written (a compare-and-set).
    """
    if not changes:
        return
    rows = [asdict(change) for change in changes]
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("key_id"),
            *(table.c[name] == bindparam(f"key_{name}") for name in guard),
        )
        .values({name: bindparam(f"new_{name}") for name in rows[0] if name != "id"})
    )
    params = [
        {"key_id": row.pop("id")}
        | {f"key_{name}": value for name, value in guard.items()}
        | {f"new_{name}": value for name, value in row.items()}
        for row in rows
    ]
    await (await session.connection()).execute(statement, params)
