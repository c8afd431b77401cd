"""The due tick against a real SQLite file: invariants 1, 2 and 4 of docs/architecture.md."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.sending import (
    MaybeDelivered,
    Moved,
    RecipientGone,
    RetryLater,
    TransientFailure,
)
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.store.db import Sessions, create_engine, create_sessions
from nudgebot.store.due import lease_due_subscribers
from nudgebot.store.tables import Delivery, DeliveryStatus, Status, Subscriber
from tests.support.fakes.recording import FakeAdapter

ALICE = Chat(recipient=Recipient("fake", "alice"))


@pytest.fixture
def adapter() -> FakeAdapter:
    return FakeAdapter()


@pytest.fixture
def engine(sessions, pack, adapter, clock) -> DeliveryEngine:
    return DeliveryEngine(sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=clock)


@pytest.fixture
async def subscribed(sessions, pack, settings, clock) -> Commands:
    """Alice subscribed on Monday 1 June 2026 at 07:00 UTC, for 08:00 Amsterdam (06:00 UTC)."""
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    await commands.handle(ALICE, "/start")
    await commands.handle(ALICE, "/time 08:00")
    return commands


async def alice(sessions: Sessions) -> Subscriber:
    async with sessions() as session:
        row = (await session.exec(select(Subscriber).order_by(col(Subscriber.id)))).first()
        assert row is not None
        return row


async def deliveries(sessions: Sessions) -> list[Delivery]:
    async with sessions() as session:
        statement = select(Delivery).order_by(col(Delivery.local_date))
        return list((await session.exec(statement)).all())


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


async def test_a_due_nudge_is_sent_once_and_not_again(subscribed, engine, adapter, clock):
    clock.set(at(5, 59))
    await engine.tick()
    assert adapter.sent == []
    clock.set(at(6, 0, 30))
    await engine.tick()
    await engine.tick()
    assert len(adapter.to("alice")) == 1
    assert adapter.to("alice")[0].buttons  # it carries its answer buttons


async def test_the_next_nudge_comes_the_next_local_day(
    subscribed, engine, adapter, clock, sessions
):
    clock.set(at(6, 1))
    await engine.tick()
    subscriber = await alice(sessions)
    assert subscriber.next_due_utc == at(6, 0, day=2)


async def test_a_claim_that_died_before_sending_is_retried(
    subscribed, engine, sessions, pack, adapter, clock
):
    clock.set(at(6, 1))
    async with sessions() as session:  # leased, then the process died before the insert
        leased = await lease_due_subscribers(
            session, now_utc=clock(), lease_until=clock() + engine.lease, limit=10
        )
        await session.commit()
    assert [s.address for s in leased] == ["alice"]
    await engine.tick()
    assert adapter.sent == []  # still leased to the dead engine
    clock.set(at(6, 2, 1))  # the one-minute lease has run out
    await engine.tick()
    assert len(adapter.to("alice")) == 1


async def test_a_crash_inside_the_send_call_is_not_resent(
    subscribed, engine, adapter, clock, sessions
):
    adapter.script.append(ConnectionResetError("process died mid-call"))
    clock.set(at(6, 1))
    await engine.tick()
    clock.set(at(6, 10))
    await engine.tick()
    clock.set(at(7, 0))
    await engine.tick()
    assert adapter.sent == []
    [delivery] = await deliveries(sessions)
    assert delivery.status == DeliveryStatus.UNKNOWN
    assert (await alice(sessions)).next_due_utc == at(6, 0, day=2)


async def test_restart_two_hours_late_still_sends_today(
    subscribed, engine, adapter, clock, sessions
):
    clock.set(at(8, 0))
    await engine.tick()
    assert len(adapter.to("alice")) == 1
    [delivery] = await deliveries(sessions)
    assert delivery.local_date.isoformat() == "2026-06-01"


async def test_restart_two_days_late_skips_old_days_and_sends_today(
    subscribed, engine, adapter, clock, sessions
):
    clock.set(at(7, 0, day=3))  # one hour after Wednesday's due time
    await engine.tick()
    await engine.tick()
    assert len(adapter.to("alice")) == 1
    rows = await deliveries(sessions)
    assert [(r.local_date.day, r.status) for r in rows] == [
        (1, DeliveryStatus.SKIPPED),
        (3, DeliveryStatus.SENT),
    ]


async def test_a_nudge_far_past_its_grace_window_is_never_sent_at_night(
    subscribed, engine, adapter, clock
):
    clock.set(at(23, 0))  # 01:00 in Amsterdam, 17 hours late
    await engine.tick()
    assert adapter.sent == []


async def test_a_blocked_user_is_stopped_and_never_retried(
    subscribed, engine, adapter, clock, sessions
):
    adapter.script.append(RecipientGone("blocked"))
    clock.set(at(6, 1))
    await engine.tick()
    for day in (2, 3):
        clock.set(at(6, 1, day=day))
        await engine.tick()
    assert adapter.sent == []
    subscriber = await alice(sessions)
    assert subscriber.status == Status.STOPPED
    assert subscriber.next_due_utc is None


async def test_retry_after_is_obeyed_not_fought(subscribed, engine, adapter, clock):
    adapter.script.append(RetryLater(seconds=120))
    clock.set(at(6, 1))
    await engine.tick()
    clock.set(at(6, 2))
    await engine.tick()
    assert adapter.sent == []
    clock.set(at(6, 3, 1))
    await engine.tick()
    assert len(adapter.to("alice")) == 1


async def test_transient_failures_back_off_and_give_up(
    subscribed, engine, adapter, clock, sessions
):
    adapter.script.extend(TransientFailure("timeout") for _ in range(10))
    moment = at(6, 1)
    for _ in range(12):
        clock.set(moment)
        await engine.tick()
        moment += timedelta(minutes=16)
    assert adapter.sent == []
    [delivery] = await deliveries(sessions)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == engine.max_attempts
    assert len(adapter.script) == 10 - engine.max_attempts


async def test_three_unexplained_refusals_in_a_row_stop_the_subscription(
    subscribed, engine, adapter, clock, sessions
):
    adapter.script.extend(TransientFailure("forbidden", skip_day=True) for _ in range(3))
    for day in (1, 2, 3):
        clock.set(at(6, 1, day=day))
        await engine.tick()
    assert (await alice(sessions)).status == Status.STOPPED


async def test_a_moved_chat_gets_its_nudge_at_the_new_address(
    subscribed, engine, adapter, clock, sessions
):
    adapter.script.append(Moved("alice-supergroup"))
    clock.set(at(6, 1))
    await engine.tick()
    await engine.tick()
    assert len(adapter.to("alice-supergroup")) == 1
    assert (await alice(sessions)).address == "alice-supergroup"


async def test_a_paused_subscriber_gets_nothing_until_the_pause_ends(
    subscribed, engine, adapter, clock
):
    await subscribed.handle(ALICE, "/pause 2")  # Monday: nothing Monday, Tuesday
    for day in (1, 2):
        clock.set(at(6, 1, day=day))
        await engine.tick()
    assert adapter.sent == []
    clock.set(at(6, 1, day=3))
    await engine.tick()
    assert len(adapter.to("alice")) == 1


async def test_today_on_demand_is_not_sent_again_by_the_engine(subscribed, engine, adapter, clock):
    clock.set(at(5, 0))
    reply = await subscribed.handle(ALICE, "/today")
    assert reply.messages[0].buttons
    clock.set(at(6, 1))
    await engine.tick()
    assert adapter.sent == []


async def test_two_engines_racing_on_one_sqlite_file_send_each_nudge_once(settings, pack, clock):
    """Two engines with their own connection pools on one file, ticking at once."""
    adapter = FakeAdapter()
    engines, disposables = [], []
    for _ in range(2):
        db = create_engine(settings.database_url)
        disposables.append(db)
        engines.append(
            DeliveryEngine(
                sessions=create_sessions(db),
                pack=pack,
                adapters={"fake": adapter},
                clock=clock,
                batch_size=7,
            )
        )
    try:
        from nudgebot.store.db import upgrade

        await upgrade(settings.database_url)
        commands = Commands(sessions=engines[0].sessions, pack=pack, settings=settings, clock=clock)
        for n in range(40):
            await commands.handle(Chat(recipient=Recipient("fake", f"user{n}")), "/start")
        clock.set(at(6, 1))
        await asyncio.gather(
            engines[0].tick(), engines[1].tick(), engines[0].tick(), engines[1].tick()
        )
        assert len(adapter.sent) == 40
        assert len({to for to, _ in adapter.sent}) == 40
    finally:
        for db in disposables:
            await db.dispose()


async def test_a_chat_moving_onto_an_existing_subscription_is_not_sent_twice(
    subscribed, engine, adapter, clock, sessions
):
    await subscribed.handle(Chat(recipient=Recipient("fake", "alice-supergroup")), "/start")
    adapter.script.append(Moved("alice-supergroup"))
    clock.set(at(6, 1))
    await engine.tick()
    await engine.tick()
    assert len(adapter.to("alice-supergroup")) == 1
    async with sessions() as session:
        statuses = {s.address: s.status for s in (await session.exec(select(Subscriber))).all()}
    assert statuses == {"alice": Status.STOPPED, "alice-supergroup": Status.ACTIVE}


async def test_a_send_that_may_have_arrived_is_never_resent(
    subscribed, engine, adapter, clock, sessions
):
    adapter.script.append(MaybeDelivered("read timeout"))
    clock.set(at(6, 1))
    await engine.tick()
    clock.set(at(6, 30))
    await engine.tick()
    assert adapter.sent == []
    [delivery] = await deliveries(sessions)
    assert delivery.status == DeliveryStatus.UNKNOWN
    assert (await alice(sessions)).next_due_utc == at(6, 0, day=2)
