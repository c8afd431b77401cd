"""One holder at a time among instances on one PostgreSQL database (the Telegram poller)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from nudgebot.store.election import Election, Role, to_asyncpg_dsn
from tests.support.postgres import fresh_database
from tests.support.waiting import eventually

pytestmark = pytest.mark.pg
RETRY = 0.2


class Candidates:
    """Elections whose hooks record who holds the role, and whether two ever did at once."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.holders: set[str] = set()
        self.overlap = False
        self.elections: dict[str, Election] = {}

    def add(self, name: str) -> Election:
        async def elected() -> None:
            self.overlap |= bool(self.holders)
            self.holders.add(name)

        async def deposed() -> None:
            self.holders.discard(name)

        election = Election(
            url=self.url,
            name="telegram-poller:1",
            on_elected=elected,
            on_deposed=deposed,
            retry_seconds=RETRY,
        )
        self.elections[name] = election
        election.start()
        return election

    async def one_holder(self) -> str:
        await eventually(lambda: asyncio.sleep(0, set(self.holders)), lambda h: len(h) == 1)
        (holder,) = self.holders
        return holder


@pytest.fixture
async def candidates() -> AsyncIterator[Candidates]:
    async with fresh_database() as url:
        found = Candidates(url)
        try:
            yield found
        finally:
            for election in found.elections.values():
                await election.stop()


async def test_three_instances_elect_exactly_one(candidates):
    for name in "abc":
        candidates.add(name)
    holder = await candidates.one_holder()
    await asyncio.sleep(5 * RETRY)
    assert candidates.holders == {holder}
    assert not candidates.overlap
    waiting = [e for n, e in candidates.elections.items() if n != holder]
    assert all(election.role is Role.WAITING for election in waiting)


async def test_a_stopped_holder_hands_over_without_overlap(candidates):
    for name in "ab":
        candidates.add(name)
    first = await candidates.one_holder()
    await candidates.elections[first].stop()
    second = await candidates.one_holder()
    assert second != first
    assert not candidates.overlap


async def test_a_holder_whose_connection_drops_steps_down_and_another_takes_over(candidates):
    candidates.add("a")
    assert await candidates.one_holder() == "a"
    candidates.add("b")
    admin = await asyncpg.connect(to_asyncpg_dsn(candidates.url))
    try:  # as if the network between "a" and the database broke
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        )
    finally:
        await admin.close()
    await eventually(lambda: asyncio.sleep(0, set(candidates.holders)), lambda h: h == {"b"})
    await asyncio.sleep(3 * RETRY)
    assert candidates.holders == {"b"}
    assert candidates.elections["a"].role is Role.WAITING
