"""Engine tests run on both stores: the batch path has SQL of its own for each."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from nudgebot.settings import Settings
from nudgebot.store.db import Sessions, open_store
from tests.support.postgres import fresh_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
async def sessions(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Sessions]:
    """A migrated store: the test's SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        async with open_store(settings.database_url) as factory:
            yield factory
    else:
        async with fresh_database() as url, open_store(url) as factory:
            yield factory
