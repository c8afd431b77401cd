"""The outbox worked through by the ticker: once per recipient, crash-safe, nudges first."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from nudgebot.commands.broadcasts import Broadcasts
from nudgebot.core.broadcast import Audience, BroadcastText
from nudgebot.core.sending import MaybeDelivered, RecipientGone, RetryLater, TransientFailure
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.outbox import OutboxWork, tick_with_outbox
from nudgebot.store.outbox import claim_outbox, start_outbox
from nudgebot.store.tables import Subscriber
from tests.support.broadcast_seeding import Seed, seed
from tests.support.fakes.recording import FakeAdapter
from tests.support.statements import counting

LEASE = timedelta(minutes=1)

TEXT = BroadcastText(texts={"nl": "Kefir maandag!", "en": "Kefir Monday!"}, link="https://x.org/k")


@pytest.fixture
def adapter():
    return FakeAdapter()


@pytest.fixture
def service(sessions, clock):
    return Broadcasts(sessions=sessions, default_language="nl", clock=clock)


class Instance:
    """One instance's engine with the outbox on its path, ticked as the ticker does."""

    def __init__(self, sessions, clock, adapter, pack, *, lease=timedelta(seconds=60), **extra):
        self.engine = DeliveryEngine(
            sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=clock, lease=lease,
            max_attempts=extra.get("max_attempts", 5),
        )  # fmt: skip
        self.outbox = OutboxWork(
            sessions=sessions, clock=clock, default_language="nl", lease=lease, **extra
        )
        self.engine.add_work(self.outbox)

    async def tick(self):
        return await tick_with_outbox(self.engine, self.outbox)


@pytest.fixture
def sender(sessions, clock, pack):
    def make(adapter, **extra) -> Instance:
        return Instance(sessions, clock, adapter, pack, **extra)

    return make


async def started(service, audience=None):
    broadcast = await service.create(TEXT, audience or Audience(), created_by="test")
    assert broadcast.id is not None
    await service.send(broadcast.id)
    return broadcast.id


async def test_everyone_gets_it_once_in_their_language_and_the_broadcast_is_done(
    sessions, clock, adapter, service, sender
):
    await seed(sessions, [Seed("fake", "nl")] * 60 + [Seed("fake", "en")] * 40)
    broadcast_id = await started(service)
    report = await sender(adapter, batch_size=16).tick()
    assert report.sent == 100 and report.claimed == 100
    addresses = [address for address, _ in adapter.sent]
    assert len(addresses) == len(set(addresses)) == 100
    texts = {message.text for _, message in adapter.sent}
    assert texts == {"Kefir maandag!", "Kefir Monday!"}
    assert adapter.to("1000")[0].links[0].url == "https://x.org/k"
    progress = await service.status(broadcast_id)
    assert progress.broadcast.state == "done"
    assert progress.by_status() == {"sent": 100}
    await sender(adapter).tick()  # a second round sends nothing again
    assert len(adapter.sent) == 100


async def test_platform_outcomes_map_like_a_nudges(sessions, clock, adapter, service, sender):
    ids = await seed(sessions, [Seed("fake")] * 5)
    adapter.script = [
        RecipientGone("blocked"),
        MaybeDelivered("timeout"),
        RetryLater(30),
        TransientFailure("503"),
        TransientFailure("forbidden", skip_day=True),
    ]
    broadcast_id = await started(service)
    outbox = sender(adapter, max_attempts=2)
    await outbox.tick()
    progress = await service.status(broadcast_id)
    assert progress.by_status() == {"gone": 1, "unknown": 1, "pending": 2, "failed": 1}
    async with sessions() as session:
        blocked = await session.get(Subscriber, ids[0])
        assert blocked is not None and blocked.status == "stopped"  # stopped like by a nudge
    clock.set(clock.now_utc + timedelta(seconds=31))  # the 429's Retry-After, the 503's back-off
    await outbox.tick()
    progress = await service.status(broadcast_id)
    assert progress.by_status() == {"gone": 1, "unknown": 1, "sent": 2, "failed": 1}
    assert progress.broadcast.state == "done"
    assert len(adapter.sent) == 2


async def test_transient_failures_are_retried_a_bounded_number_of_times(
    sessions, clock, adapter, service, sender
):
    await seed(sessions, [Seed("fake")])
    adapter.script = [TransientFailure("503"), TransientFailure("503")]
    broadcast_id = await started(service)
    outbox = sender(adapter, max_attempts=2)
    await outbox.tick()
    assert (await service.status(broadcast_id)).by_status() == {"pending": 1}
    await outbox.tick()  # backing off: not yet
    assert adapter.script
    clock.set(clock.now_utc + timedelta(seconds=30))
    await outbox.tick()
    progress = await service.status(broadcast_id)
    assert progress.by_status() == {"failed": 1}
    assert progress.broadcast.state == "done"


async def test_rows_a_crash_left_leased_but_unstarted_are_sent_after_the_lease(
    sessions, clock, adapter, service, sender
):
    await seed(sessions, [Seed("fake")] * 30)
    broadcast_id = await started(service)
    async with sessions() as session:  # an instance leases a batch, then dies
        crashed = await claim_outbox(session, now_utc=clock(), lease=LEASE, limit=10)
    outbox = sender(adapter, lease=LEASE)
    await outbox.tick()  # within the lease: the leased rows are left alone
    assert len(adapter.sent) == 20
    clock.set(clock.now_utc + timedelta(minutes=2))
    report = await outbox.tick()
    assert (report.sent, report.unknown) == (10, 0)
    progress = await service.status(broadcast_id)
    assert progress.by_status() == {"sent": 30}
    assert {item.recipient.address for item in crashed} <= {a for a, _ in adapter.sent}
    assert len(adapter.sent) == len({a for a, _ in adapter.sent}) == 30


async def test_rows_left_sending_by_a_crash_become_unknown_and_are_never_resent(
    sessions, clock, adapter, service, sender
):
    await seed(sessions, [Seed("fake")] * 30)
    broadcast_id = await started(service)
    async with sessions() as session:  # an instance starts ten sends, then dies
        crashed = await claim_outbox(session, now_utc=clock(), lease=LEASE, limit=10)
        assert await start_outbox(session, [item.row_id for item in crashed]) == {
            item.row_id for item in crashed
        }
    outbox = sender(adapter, lease=timedelta(minutes=1))
    await outbox.tick()  # within the lease: the claimed rows are left alone
    assert len(adapter.sent) == 20
    assert (await service.status(broadcast_id)).broadcast.state == "sending"
    clock.set(clock.now_utc + timedelta(minutes=2))
    report = await outbox.tick()
    assert report.unknown == 10
    progress = await service.status(broadcast_id)
    assert progress.by_status() == {"sent": 20, "unknown": 10}
    assert progress.broadcast.state == "done"
    assert {item.recipient.address for item in crashed}.isdisjoint(a for a, _ in adapter.sent)


async def test_rows_a_crash_left_sending_become_unknown_after_a_cancel_too(
    sessions, clock, adapter, service, sender
):
    await seed(sessions, [Seed("fake")] * 30)
    broadcast_id = await started(service)
    async with sessions() as session:  # an instance starts ten sends, then dies
        crashed = await claim_outbox(session, now_utc=clock(), lease=LEASE, limit=10)
        await start_outbox(session, [item.row_id for item in crashed])
    await service.cancel(broadcast_id)  # nothing is sending or due any more but those ten
    clock.set(clock.now_utc + timedelta(minutes=2))
    report = await sender(adapter).tick()
    assert report.unknown == 10
    assert adapter.sent == []
    assert (await service.status(broadcast_id)).by_status() == {"unknown": 10, "pending": 20}


async def test_a_tick_without_broadcasts_asks_the_outbox_one_question(
    sessions, clock, adapter, service, sender
):
    await seed(sessions, [Seed("fake")] * 3)
    instance = sender(adapter)
    broadcast_id = await started(service)
    await instance.tick()  # the broadcast goes out and is done
    assert (await service.status(broadcast_id)).broadcast.state == "done"
    with counting(sessions) as seen:
        await instance.tick()
    assert len(seen.touching("outbox", "broadcast")) == 1, seen.sent
    assert seen.begins == 2  # the nudges' lease, the outbox's question
    assert seen.commits <= 1  # the lease's; the outbox writes nothing


async def test_cancel_stops_pending_sends(sessions, clock, adapter, service, sender):
    await seed(sessions, [Seed("fake")] * 30)
    broadcast_id = await started(service)
    original_send = adapter.send

    async def send_then_cancel(recipient, message, *, starting=None):
        result = await original_send(recipient, message, starting=starting)
        if len(adapter.sent) == 10:
            await service.cancel(broadcast_id)  # the operator cancels during the first batch
        return result

    adapter.send = send_then_cancel
    await sender(adapter, batch_size=10).tick()
    assert len(adapter.sent) == 10
    progress = await service.status(broadcast_id)
    assert progress.broadcast.state == "cancelled"
    assert progress.by_status() == {"sent": 10, "pending": 20}


async def test_a_scheduled_broadcast_starts_by_itself_when_due(
    sessions, clock, adapter, service, sender
):
    await seed(sessions, [Seed("fake")] * 3)
    broadcast = await service.create(
        TEXT, Audience(), created_by="test", due_utc=clock.now_utc + timedelta(hours=1)
    )
    outbox = sender(adapter)
    await outbox.tick()
    assert adapter.sent == []
    clock.set(clock.now_utc + timedelta(hours=1))
    await outbox.tick()
    assert len(adapter.sent) == 3
    assert broadcast.id is not None
    assert (await service.status(broadcast.id)).broadcast.state == "done"


async def test_a_subscriber_who_stopped_after_the_audience_was_expanded_gets_nothing(
    sessions, clock, adapter, service, sender
):
    ids = await seed(sessions, [Seed("fake")] * 2)
    broadcast_id = await started(service)
    async with sessions() as session:
        leaver = await session.get(Subscriber, ids[0])
        assert leaver is not None
        leaver.status = "stopped"
        session.add(leaver)
        await session.commit()
    await sender(adapter).tick()
    assert [address for address, _ in adapter.sent] == ["1001"]
    assert (await service.status(broadcast_id)).by_status() == {"sent": 1, "gone": 1}


async def test_a_nudge_that_falls_due_during_a_broadcast_goes_out_before_the_next_batch(
    sessions, clock, service, sender
):
    await seed(sessions, [Seed("fake")] * 200)
    due = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # 08:00 in Amsterdam
    async with sessions() as session:
        session.add(
            Subscriber(
                platform="fake",
                address="ann",
                language="en",
                timezone="Europe/Amsterdam",
                local_time=time(8, 0),
                next_due_utc=due,
                next_local_date=date(2026, 6, 1),
            )
        )
        await session.commit()
    clock.set(due - timedelta(seconds=1))
    adapter = FakeAdapter()
    await started(service)
    original_send = adapter.send

    async def send_and_let_time_pass(recipient, message, *, starting=None):
        result = await original_send(recipient, message, starting=starting)
        if len(adapter.sent) >= 70 and clock() < due:
            clock.set(due)  # Ann's minute comes while the broadcast is under way
        return result

    adapter.send = send_and_let_time_pass  # type: ignore[method-assign]
    await sender(adapter, batch_size=25).tick()
    order = [address for address, _ in adapter.sent]
    assert order.index("ann") == 75  # right after the batch in flight at her minute
    assert len(order) == 202  # 201 broadcast recipients (Ann included) and her nudge
    nudge, broadcast = adapter.to("ann")
    assert nudge.buttons and not broadcast.buttons


async def test_metrics_count_broadcast_outcomes_per_platform_and_show_the_backlog(
    sessions, clock, adapter, service, sender
):
    from prometheus_client import REGISTRY

    def sample(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    sent_before = sample("nudgebot_broadcast_outcomes_total", platform="fake", outcome="sent")
    gone_before = sample("nudgebot_broadcast_outcomes_total", platform="fake", outcome="gone")
    await seed(sessions, [Seed("fake")] * 30)
    adapter.script = [RecipientGone("blocked")]
    await started(service)
    await sender(adapter, batch_size=10).tick()
    assert sample("nudgebot_broadcast_outcomes_total", platform="fake", outcome="sent") == (
        sent_before + 29
    )
    assert sample("nudgebot_broadcast_outcomes_total", platform="fake", outcome="gone") == (
        gone_before + 1
    )
    assert sample("nudgebot_outbox_backlog") == 0
    await started(service)  # a second broadcast, not yet worked through
    async with sessions() as session:
        await claim_outbox(session, now_utc=clock(), lease=LEASE, limit=5)  # one leases five...
    await sender(adapter, batch_size=10).engine.tick()  # ...this one sends one batch
    assert sample("nudgebot_outbox_backlog") == 29 - 10  # the five leased are still to send
