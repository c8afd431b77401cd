"""Recording a batch whose lease ran out, while another instance takes it over (PostgreSQL).

Under heavy load an instance can stall past its lease while its sends are in the
platform call. A second instance then leases the same subscribers and marks the day
rows it finds ``sending`` as ``unknown``. If the first instance records its outcomes at
that moment, both transactions want the same subscriber and delivery rows: they must
take them in the same order (subscribers first), or PostgreSQL aborts one as a
deadlock and a batch's outcomes are lost (the kill test's rare flake).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
import pytest

from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.store.db import create_engine, create_sessions
from nudgebot.store.deliveries import DeliveryState, find_days, write_states
from nudgebot.store.due import lease_due_subscribers
from nudgebot.store.election import to_asyncpg_dsn
from nudgebot.store.tables import DeliveryStatus
from tests.conftest import FakeClock
from tests.engine.test_batches import MONDAY_DUE, in_call, states
from tests.engine.test_postgres import seed
from tests.support.fakes.recording import FakeAdapter
from tests.support.waiting import eventually

pytestmark = pytest.mark.pg

PEOPLE = 5


async def waiting_on_a_lock(url: str) -> int:
    """How many sessions of this database wait for a row lock right now."""
    connection = await asyncpg.connect(to_asyncpg_dsn(url))
    try:
        return int(
            await connection.fetchval(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    finally:
        await connection.close()


async def test_a_batch_recorded_while_another_instance_takes_its_lease_over_is_not_lost(
    pg_url, pack, caplog
):
    await seed(pg_url, PEOPLE)
    clock = FakeClock(MONDAY_DUE)
    first_db, second_db = create_engine(pg_url), create_engine(pg_url)
    gate = asyncio.Event()
    adapter = FakeAdapter(gate=gate)
    first = DeliveryEngine(
        sessions=create_sessions(first_db),
        pack=pack,
        adapters={"fake": adapter},
        clock=clock,
        renew_every=3600,  # it stalls: no renewal comes
    )
    try:
        ticking = asyncio.create_task(first.tick())
        await eventually(lambda: in_call(adapter), lambda n: n == PEOPLE)
        clock.set(MONDAY_DUE + first.lease + timedelta(seconds=1))  # the lease ran out

        # The second instance's open_batch, held after its lease: the subscribers are its.
        async with create_sessions(second_db)() as session:
            now = clock()
            leased = await lease_due_subscribers(
                session, now_utc=now, lease_until=now + first.lease, limit=100
            )
            assert len(leased) == PEOPLE
            gate.set()  # the first instance's sends return; it records
            await eventually(lambda: waiting_on_a_lock(pg_url), lambda n: n >= 1)
            days = [(s.id, s.next_local_date) for s in leased if s.next_local_date is not None]
            found = await find_days(session, days)
            await write_states(
                session,
                [DeliveryState(row.id, DeliveryStatus.UNKNOWN, row.attempts) for row in found],
            )
            await session.commit()
        await ticking
        recorded = await states(create_sessions(second_db))
    finally:
        await first_db.dispose()
        await second_db.dispose()

    assert "recording a batch failed" not in caplog.text
    assert len(adapter.sent) == PEOPLE
    # The first instance's outcome is the truth: every nudge did arrive.
    assert {status for status, _ in recorded.values()} == {DeliveryStatus.SENT}
