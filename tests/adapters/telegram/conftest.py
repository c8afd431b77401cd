from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.fakes.telegram_harness import World, telegram_world


@pytest.fixture
async def world(settings, sessions, pack, clock) -> AsyncIterator[World]:
    """The adapter polling the fake Bot API, with fast flood limits, on a fresh database."""
    async with telegram_world(settings=settings, sessions=sessions, pack=pack, clock=clock) as w:
        yield w
