"""Every row of every table, to show that refused input changed nothing at all; and a
store that breaks under the running bot, to show that a failure is answered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlmodel import SQLModel

from nudgebot.store.db import Sessions


async def dump_tables(sessions: Sessions) -> dict[str, list[tuple[Any, ...]]]:
    dump: dict[str, list[tuple[Any, ...]]] = {}
    async with sessions() as session:
        connection = await session.connection()
        for table in SQLModel.metadata.sorted_tables:
            rows = (await connection.execute(select(table))).all()
            dump[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return dump


async def break_deliveries(sessions: Sessions) -> None:
    """The delivery tables vanish: any use case that touches a delivery now raises."""
    async with sessions() as session:
        connection = await session.connection()
        await connection.execute(text("DROP TABLE engagement"))
        await connection.execute(text("DROP TABLE delivery"))
        await session.commit()
