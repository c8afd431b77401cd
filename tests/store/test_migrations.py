"""The Alembic revisions are the schema: they must match the SQLModel tables exactly."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys

import asyncpg
import pytest
from alembic import command

from nudgebot.store import tables  # noqa: F401  (registers every table)
from nudgebot.store.db import alembic_config, upgrade_sync
from tests.support.postgres import fresh_database


def test_the_migrations_create_exactly_the_tables_the_code_declares(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'schema.db'}"
    upgrade_sync(url)
    command.check(alembic_config(url))  # raises if autogenerate finds any difference


def table_names(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {name for (name,) in db.execute("select name from sqlite_master where type='table'")}


def test_the_migrations_downgrade_and_upgrade_again(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'schema.db'}"
    upgrade_sync(url)
    command.downgrade(alembic_config(url), "base")
    assert table_names(tmp_path / "schema.db") == {"alembic_version"}
    upgrade_sync(url)
    assert {"subscriber", "delivery", "slack_installation"} <= table_names(tmp_path / "schema.db")
    command.check(alembic_config(url))


@pytest.mark.pg
@pytest.mark.slow
async def test_replicas_upgrading_postgres_at_once_take_turns():
    # Separate processes, as replicas are: Alembic's `context` is one global per process.
    async with fresh_database() as url:
        env = {**os.environ, "NUDGEBOT_DATABASE_URL": url}
        upgrades = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "nudgebot",
                "db",
                "upgrade",
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for _ in range(3)
        ]
        outputs = await asyncio.gather(*(process.communicate() for process in upgrades))
        assert [process.returncode for process in upgrades] == [0, 0, 0], outputs
        database = await asyncpg.connect(url.replace("+asyncpg", ""))
        try:
            heads = await database.fetch("SELECT version_num FROM alembic_version")
        finally:
            await database.close()
        assert len(heads) == 1
        await asyncio.to_thread(command.check, alembic_config(url))
