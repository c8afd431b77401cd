"""Alembic environment: runs revisions on the same async URL the app uses."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from nudgebot.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from nudgebot.store.db import create_engine

target_metadata = SQLModel.metadata
# Several replicas (and the migration Job) may upgrade at once on PostgreSQL: a
# transaction-scoped advisory lock makes them take turns, so the later ones find the
# schema at head and apply nothing. Any fixed number works; this one is "nudg" in ASCII.
MIGRATION_LOCK = 0x6E756467


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `nudgebot db upgrade`")
asyncio.run(_run_async())
