"""The Alembic revisions are the schema: they must match the SQLModel tables exactly."""

from __future__ import annotations

import sqlite3

from alembic import command

from nudgebot.store import (  # noqa: F401  (registers every table)
    broadcast_tables,
    slack_tables,
    tables,
)
from nudgebot.store.db import alembic_config, upgrade_sync


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
