"""The batched pipeline: rows already there, mixed outcomes, a kill between
insert and send, lease renewal while a send is slow, and a graceful stop.

Each on SQLite and on PostgreSQL (tests/engine/conftest.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.sending import MaybeDelivered, RecipientGone, RetryLater, TransientFailure
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.store.db import Sessions
from nudgebot.store.deliveries import DayToCreate, create_days, start_days
from nudgebot.store.tables import Delivery, DeliveryStatus, Status, Subscriber
from tests.support.fakes.recording import FakeAdapter
from tests.support.waiting import eventually

MONDAY_DUE = datetime(2026, 6, 1, 6, 1, tzinfo=UTC)  # 08:00 Amsterdam has just passed
NAMES = ("ann", "bob", "cas", "dirk", "eva", "fay", "gus", "hal")


@pytest.fixture
def adapter() -> FakeAdapter:
    return FakeAdapter()


def make_engine(sessions, pack, adapter, clock, **options) -> DeliveryEngine:
    return DeliveryEngine(
        sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=clock, **options
    )


@pytest.fixture
async def everyone(sessions, pack, settings, clock) -> dict[str, int]:
    """Eight subscribers, all due at 08:00 Amsterdam on Monday; their ids by name."""
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    for name in NAMES:
        await commands.handle(Chat(recipient=Recipient("fake", name)), "/start")
    async with sessions() as session:
        rows = (await session.exec(select(Subscriber))).all()
    return {row.address: row.id or 0 for row in rows}


async def states(sessions: Sessions) -> dict[str, tuple[DeliveryStatus, int]]:
    async with sessions() as session:
        statement = select(Subscriber.address, Delivery.status, Delivery.attempts).join(Delivery)
        return {a: (DeliveryStatus(s), n) for a, s, n in (await session.exec(statement)).all()}


async def subscribers(sessions: Sessions) -> dict[str, Subscriber]:
    async with sessions() as session:
        return {s.address: s for s in (await session.exec(select(Subscriber))).all()}


async def in_call(adapter: FakeAdapter) -> int:
    return adapter.in_call


async def tick_until_in_call(engine: DeliveryEngine, adapter: FakeAdapter, count: int):
    """Start a tick and return it once ``count`` sends wait inside the platform call."""
    ticking = asyncio.create_task(engine.tick())
    await eventually(lambda: in_call(adapter), lambda n: n == count)
    return ticking


async def put_rows(sessions, pack, ids: dict[str, int], status: DeliveryStatus, *names: str):
    """Rows as an earlier send left them; ``sending`` ones started the way the engine does."""
    created = DeliveryStatus.CLAIMED if status == DeliveryStatus.SENDING else status
    async with sessions() as session:
        days = [DayToCreate(ids[n], MONDAY_DUE.date(), created) for n in names]
        made = await create_days(session, days, pack=pack, now_utc=MONDAY_DUE)
        if status == DeliveryStatus.SENDING:
            await start_days(session, [row.id for row in made.rows.values()])
        await session.commit()


async def test_a_batch_where_some_already_have_todays_row_sends_only_what_is_owed(
    everyone, sessions, pack, adapter, clock
):
    await put_rows(sessions, pack, everyone, DeliveryStatus.SENT, "ann", "bob")  # /today
    await put_rows(sessions, pack, everyone, DeliveryStatus.SENDING, "cas")  # died in the call
    await put_rows(sessions, pack, everyone, DeliveryStatus.CLAIMED, "dirk")  # never sent
    clock.set(MONDAY_DUE)
    report = await make_engine(sessions, pack, adapter, clock).tick()
    assert sorted(to for to, _ in adapter.sent) == ["dirk", "eva", "fay", "gus", "hal"]
    assert (report.claimed, report.sent, report.unknown, report.already_done) == (8, 5, 1, 2)
    assert await states(sessions) == {
        "ann": (DeliveryStatus.SENT, 0),
        "bob": (DeliveryStatus.SENT, 0),
        "cas": (DeliveryStatus.UNKNOWN, 1),
        "dirk": (DeliveryStatus.SENT, 1),
        **{n: (DeliveryStatus.SENT, 1) for n in ("eva", "fay", "gus", "hal")},
    }
    tuesday = datetime(2026, 6, 2, 6, 0, tzinfo=UTC)
    assert {s.next_due_utc for s in (await subscribers(sessions)).values()} == {tuesday}


async def test_mixed_outcomes_of_one_batch_are_recorded_together_in_one_transaction(
    everyone, sessions, pack, adapter, clock
):
    adapter.per_address.update(
        bob=RecipientGone("blocked"),
        cas=RetryLater(seconds=120),
        dirk=MaybeDelivered("read timeout"),
        eva=TransientFailure("503"),
        fay=TransientFailure("forbidden", skip_day=True),
        gus=RuntimeError("a bug inside the adapter"),
    )
    commits = []
    event.listen(sessions.kw["bind"].sync_engine, "commit", lambda _conn: commits.append(1))
    clock.set(MONDAY_DUE)
    report = await make_engine(sessions, pack, adapter, clock).tick()
    # the batch's claim and insert; its starts, one group of eight; all of its outcomes
    assert len(commits) == 3
    assert (report.sent, report.gone, report.retried, report.unknown, report.failed) == (
        2,
        1,
        2,
        2,
        1,
    )
    assert await states(sessions) == {
        "ann": (DeliveryStatus.SENT, 1),
        "bob": (DeliveryStatus.GONE, 1),
        "cas": (DeliveryStatus.CLAIMED, 1),
        "dirk": (DeliveryStatus.UNKNOWN, 1),
        "eva": (DeliveryStatus.CLAIMED, 1),
        "fay": (DeliveryStatus.SKIPPED, 1),
        "gus": (DeliveryStatus.UNKNOWN, 1),
        "hal": (DeliveryStatus.SENT, 1),
    }
    people = await subscribers(sessions)
    tuesday = datetime(2026, 6, 2, 6, 0, tzinfo=UTC)
    assert people["bob"].status == Status.STOPPED and people["bob"].next_due_utc is None
    assert people["cas"].next_due_utc == MONDAY_DUE + timedelta(seconds=120)
    assert people["eva"].next_due_utc == MONDAY_DUE + timedelta(seconds=30)
    assert people["fay"].failed_days == 1 and people["fay"].next_due_utc == tuesday
    assert {people[n].next_due_utc for n in ("ann", "dirk", "gus", "hal")} == {tuesday}


async def test_rows_of_a_process_killed_before_its_sends_started_are_sent_after_the_lease(
    everyone, sessions, pack, adapter, clock
):
    clock.set(MONDAY_DUE)
    killed = make_engine(sessions, pack, FakeAdapter(), clock, batch_size=5)
    batch = await killed.nudges.open_batch(
        now_utc=clock(), lease_until=clock() + killed.lease, limit=5
    )
    assert len(batch.sends) == 5  # rows inserted `claimed`, committed; then the process died
    survivor = make_engine(sessions, pack, adapter, clock)
    await survivor.tick()
    assert len(adapter.sent) == 3  # the dead process's subscribers are still leased
    clock.set(MONDAY_DUE + timedelta(seconds=61))
    report = await survivor.tick()
    assert (report.sent, report.unknown) == (5, 0)
    addresses = [to for to, _ in adapter.sent]
    assert sorted(addresses) == sorted(NAMES)  # everyone once, nobody twice
    assert {s for s, _ in (await states(sessions)).values()} == {DeliveryStatus.SENT}


async def test_rows_whose_sends_had_started_when_the_process_died_are_unknown_never_resent(
    everyone, sessions, pack, adapter, clock
):
    clock.set(MONDAY_DUE)
    killed = make_engine(sessions, pack, FakeAdapter(), clock, batch_size=5)
    batch = await killed.nudges.open_batch(
        now_utc=clock(), lease_until=clock() + killed.lease, limit=5
    )
    assert await killed.nudges.start(batch.sends[:2]) == {0, 1}  # two calls began; then died
    survivor = make_engine(sessions, pack, adapter, clock)
    clock.set(MONDAY_DUE + timedelta(seconds=61))
    report = await survivor.tick()
    assert (report.sent, report.unknown) == (6, 2)
    clock.set(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    await survivor.tick()
    assert len(adapter.sent) == 6
    started = {send.recipient.address for send in batch.sends[:2]}
    assert started.isdisjoint(to for to, _ in adapter.sent)
    assert [s for s, _ in (await states(sessions)).values()].count(DeliveryStatus.UNKNOWN) == 2


async def test_a_start_another_instance_won_is_not_sent_or_recorded_here(
    everyone, sessions, pack, clock
):
    clock.set(MONDAY_DUE)
    slow = make_engine(sessions, pack, FakeAdapter(), clock, batch_size=5)
    batch = await slow.nudges.open_batch(now_utc=clock(), lease_until=clock() + slow.lease, limit=5)
    other = make_engine(sessions, pack, FakeAdapter(), clock, batch_size=5)
    assert await other.nudges.start(batch.sends[:1]) == {0}  # it took over the first row
    assert await slow.nudges.start(batch.sends) == {1, 2, 3, 4}


async def test_a_slow_send_keeps_its_lease_so_no_other_instance_takes_it(
    everyone, sessions, pack, clock
):
    gate = asyncio.Event()
    slow = FakeAdapter(gate=gate)
    clock.set(MONDAY_DUE)
    first = make_engine(sessions, pack, slow, clock, renew_every=0.01)
    ticking = await tick_until_in_call(first, slow, len(NAMES))
    clock.set(MONDAY_DUE + timedelta(minutes=5))  # five leases later, still in the call
    await asyncio.sleep(0.05)  # a few renewals
    other = FakeAdapter()
    report = await make_engine(sessions, pack, other, clock).tick()
    assert report.claimed == 0 and other.sent == []
    gate.set()
    assert (await ticking).sent == len(NAMES)
    assert {s for s, _ in (await states(sessions)).values()} == {DeliveryStatus.SENT}


async def test_a_graceful_stop_gives_back_unsent_claims_at_once_and_finishes_the_rest(
    everyone, sessions, pack, clock
):
    gate = asyncio.Event()
    slow = FakeAdapter(gate=gate)
    clock.set(MONDAY_DUE)
    stopping = make_engine(sessions, pack, slow, clock, concurrency=2)
    ticking = await tick_until_in_call(stopping, slow, 2)
    stopped = asyncio.create_task(stopping.stop(wait_seconds=5))
    await asyncio.sleep(0.01)
    gate.set()  # the two sends in the call finish
    await stopped
    report = await ticking
    assert (report.sent, report.released, report.unknown) == (2, 6, 0)
    assert await stopping.tick() == type(report)()  # a stopped engine claims nothing
    other = FakeAdapter()
    await make_engine(sessions, pack, other, clock).tick()  # the same instant: no lease wait
    assert len(slow.sent) + len(other.sent) == len(NAMES)
    assert {a for a, _ in slow.sent} | {a for a, _ in other.sent} == set(NAMES)


async def test_a_stop_that_times_out_marks_the_cut_off_sends_unknown(
    everyone, sessions, pack, clock
):
    stuck = FakeAdapter(gate=asyncio.Event())
    clock.set(MONDAY_DUE)
    engine = make_engine(sessions, pack, stuck, clock, concurrency=3)
    ticking = await tick_until_in_call(engine, stuck, 3)
    await engine.stop(wait_seconds=0.05)
    report = await ticking
    assert (report.unknown, report.released) == (3, 5)
    found = [s for s, _ in (await states(sessions)).values()]
    assert sorted(found) == ["claimed"] * 5 + ["unknown"] * 3
    async with sessions() as session:
        due = select(Subscriber).where(col(Subscriber.next_due_utc) <= MONDAY_DUE)
        assert len((await session.exec(due)).all()) == 5
