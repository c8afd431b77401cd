"""A fresh PostgreSQL database per test on the machine's server (tests marked ``pg``)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

SERVER = "postgres@127.0.0.1:5432"


@asynccontextmanager
async def fresh_database() -> AsyncIterator[str]:
    """Create a uniquely named database, yield its SQLAlchemy URL, drop it afterwards."""
    name = f"nudgebot_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(f"postgresql://{SERVER}/test")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgresql+asyncpg://{SERVER}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
