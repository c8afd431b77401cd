"""The async engine, sessions and schema migrations.

SQLite is the embedded default and must behave under two processes (two engines racing
on one file is a tested case): WAL lets readers run beside the writer, and a busy
timeout makes a second writer wait instead of failing with "database is locked".
Migrations run through Alembic's command API in a worker thread, because Alembic's
async ``env.py`` starts an event loop of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import AdaptedConnection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.support.resources import bundled_dir

Sessions = async_sessionmaker[AsyncSession]


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, emit BEGIN (see _begin_immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Erased rows are overwritten with zeros, not left readable in free space (/delete).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    # A deferred SQLite transaction that reads and then writes fails at once with
    # SQLITE_BUSY_SNAPSHOT when another process wrote in between; busy_timeout cannot
    # help it. Taking the write lock at BEGIN makes a second engine wait its turn instead.
    # https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl
    # Straight to aiosqlite (SQLAlchemy's documented run_async): one trip to its thread,
    # where a statement through SQLAlchemy takes three (cursor, execute, close), and every
    # transaction begins here (a nudge answer is four statements in all).
    driver: AdaptedConnection = connection.connection.dbapi_connection
    driver.run_async(lambda sqlite: sqlite.execute("BEGIN IMMEDIATE"))


def shown_url(url: str) -> str:
    """The database as an operator may read it: the URL without its password.

    A SQLite file is named by its absolute path, so "which file did that read?" has one
    answer whatever the working directory was.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        parsed = parsed.set(database=str(Path(parsed.database).resolve()))
    return parsed.render_as_string(hide_password=True)


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # One connection per process: SQLite has one writer anyway, and tasks queueing on
        # the pool wait without cost, where tasks queueing on the file lock sleep in
        # SQLite's busy handler (up to 100 ms a try). Other processes still use the lock.
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, pool_size=1, max_overflow=0, pool_timeout=60
        )
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


async def checkpoint(engine: AsyncEngine) -> None:
    """SQLite: copy the write-ahead log into the database and empty it.

    After an erasure the log still holds the pages as they were before it; this drops
    them. Outside a transaction (our ``begin`` listener would open one), so it takes the
    raw connection. PostgreSQL needs nothing here: its vacuum reclaims dead rows.
    """
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def bind_to_indexes(session: AsyncSession) -> None:
    """PostgreSQL: plan this transaction's statements through an index wherever one serves.

    For the batch path, whose statements look up a batch's rows by an ``IN`` list of
    ids. A table that was never analyzed (autovacuum off, or behind on a table that grew
    all morning) has no statistics, and the planner then guesses that 500 ids match most
    of it: a sequential scan that grows with the table (a morning of 300,000 fell from
    475 to 175 nudges/s). With sequential scans priced out the same statements probe
    their indexes, which costs the same whatever the planner knows
    (tests/store/test_batch_plans.py). ``SET LOCAL`` ends with the transaction; SQLite
    needs nothing (its planner prefers an index for ``IN`` lists).
    """
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await (await session.connection()).exec_driver_sql("SET LOCAL enable_seqscan = off")


def create_sessions(engine: AsyncEngine) -> Sessions:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(bundled_dir("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def current_revision(url: str) -> str | None:
    """The revision the database is at; None for an empty (or new) database."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


def pending_revisions(url: str, current: str | None) -> list[tuple[str, str]]:
    """``(revision, what it does)`` for each revision after ``current``, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(url))
    found = script.iterate_revisions("heads", current or "base")
    return [(rev.revision, (rev.doc or "").strip()) for rev in reversed(list(found))]


async def upgrade_reporting(url: str) -> list[tuple[str, str]]:
    """Apply pending migrations and say which ran, for ``nudgebot db upgrade``."""
    pending = pending_revisions(url, await current_revision(url))
    await upgrade(url)
    return pending


def upgrade_sync(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply pending migrations; safe to call on every start."""
    await asyncio.to_thread(upgrade_sync, url, revision)


@asynccontextmanager
async def open_store(url: str, *, migrate: bool = True) -> AsyncIterator[Sessions]:
    """Migrate (by default), then yield a session factory; dispose of the engine after."""
    if migrate:
        await upgrade(url)
    engine = create_engine(url)
    try:
        yield create_sessions(engine)
    finally:
        await engine.dispose()
