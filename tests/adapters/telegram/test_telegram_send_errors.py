"""What a failed send does to a subscription: each Telegram error, through the real engine."""

from __future__ import annotations

import warnings
from datetime import timedelta

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from nudgebot.adapters.telegram.errors import to_send_result
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.sending import MaybeDelivered, RecipientGone, RetryLater, TransientFailure
from nudgebot.store.tables import DeliveryStatus, Status
from tests.support.fakes.telegram_harness import World, at, telegram_world
from tests.support.waiting import eventually

ANN = 4711
GROUP = -4001
SUPERGROUP = -1001234567890123  # beyond 32 bits: must survive storage exactly


async def subscribe(world: World, chat_id: int) -> None:
    """Subscribed for 08:00 Amsterdam (06:00 UTC), set up through the commands service."""
    chat = Chat(recipient=Recipient("telegram", str(chat_id)), actor="1")
    await world.commands.handle(chat, "/start")
    await world.commands.handle(chat, "/time 08:00")


async def tick_at(world: World, clock, when) -> None:
    clock.set(when)
    await world.engine.tick()


async def test_a_blocked_user_is_stopped_and_never_retried(world: World, clock):
    await subscribe(world, ANN)
    world.fake.block(ANN)
    await tick_at(world, clock, at(6, 0))
    await tick_at(world, clock, at(6, 0, day=2))
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None and subscriber.status == Status.STOPPED
    [delivery] = await world.deliveries(ANN)
    assert delivery.status == DeliveryStatus.GONE
    assert len(world.fake.calls_to("sendMessage")) == 1


@pytest.mark.parametrize(
    "description",
    [
        pytest.param("Forbidden: user is deactivated", id="deactivated"),
        pytest.param("Forbidden: bot was kicked from the supergroup chat", id="kicked"),
        pytest.param("Forbidden: bot is not a member of the group chat", id="not-member"),
    ],
)
async def test_known_refusals_stop_the_subscription(world: World, clock, description):
    await subscribe(world, SUPERGROUP)
    world.fake.block(SUPERGROUP, description)
    await tick_at(world, clock, at(6, 0))
    subscriber = await world.subscriber(SUPERGROUP)
    assert subscriber is not None and subscriber.status == Status.STOPPED


async def test_a_deleted_chat_is_stopped(world: World, clock):
    await subscribe(world, ANN)
    world.fake.delete_chat(ANN)
    await tick_at(world, clock, at(6, 0))
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None and subscriber.status == Status.STOPPED


async def test_an_unexplained_refusal_skips_days_then_stops_after_three(world: World, clock):
    await subscribe(world, ANN)
    world.fake.block(ANN, "Forbidden: something new Telegram says")
    for day in (1, 2):
        await tick_at(world, clock, at(6, 0, day=day))
        subscriber = await world.subscriber(ANN)
        assert subscriber is not None
        assert (subscriber.status, subscriber.failed_days) == (Status.ACTIVE, day)
    await tick_at(world, clock, at(6, 0, day=3))
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None and subscriber.status == Status.STOPPED
    statuses = [d.status for d in await world.deliveries(ANN)]
    assert statuses == [DeliveryStatus.SKIPPED] * 3
    assert len(world.fake.calls_to("sendMessage")) == 3  # one try a day, no retries


async def test_a_migrated_group_gets_its_nudge_in_the_supergroup_once(world: World, clock):
    await subscribe(world, GROUP)
    world.fake.migrate(GROUP, SUPERGROUP)
    await tick_at(world, clock, at(6, 0))
    await tick_at(world, clock, at(6, 1))
    assert await world.subscriber(GROUP) is None
    subscriber = await world.subscriber(SUPERGROUP)
    assert subscriber is not None and subscriber.address == "-1001234567890123"
    assert len(world.fake.messages_to(SUPERGROUP)) == 1
    assert world.fake.messages_to(GROUP) == []
    [delivery] = await world.deliveries(SUPERGROUP)
    assert delivery.status == DeliveryStatus.SENT
    await tick_at(world, clock, at(6, 30))
    assert len(world.fake.messages_to(SUPERGROUP)) == 1


async def test_flood_control_moves_the_due_time_as_asked_and_sends_once(world: World, clock):
    await subscribe(world, ANN)
    world.fake.flood(retry_after=7)
    await tick_at(world, clock, at(6, 0))
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None
    assert subscriber.next_due_utc == at(6, 0) + timedelta(seconds=7)
    assert world.fake.messages_to(ANN) == []
    await tick_at(world, clock, at(6, 0) + timedelta(seconds=6))
    assert world.fake.messages_to(ANN) == []
    await tick_at(world, clock, at(6, 0) + timedelta(seconds=7))
    await tick_at(world, clock, at(6, 5))
    assert len(world.fake.messages_to(ANN)) == 1


async def test_a_server_error_is_retried_with_back_off_and_sent_once(world: World, clock):
    await subscribe(world, ANN)
    world.fake.fail(ANN, status=502)
    await tick_at(world, clock, at(6, 0))
    [delivery] = await world.deliveries(ANN)
    assert delivery.status == DeliveryStatus.CLAIMED and delivery.attempts == 1
    await tick_at(world, clock, at(6, 1))
    await tick_at(world, clock, at(6, 20))
    assert len(world.fake.messages_to(ANN)) == 1
    [delivery] = await world.deliveries(ANN)
    assert delivery.status == DeliveryStatus.SENT


async def test_an_address_that_is_no_chat_id_is_gone(world: World):
    result = await world.adapter.send(Recipient("telegram", "not-a-number"), _any_message())
    assert isinstance(result, RecipientGone)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            TimedOut(), MaybeDelivered("timed out (the message may have arrived)"), id="timeout"
        ),
        pytest.param(NetworkError("Bad Gateway"), TransientFailure("Bad Gateway"), id="5xx"),
        pytest.param(
            BadRequest("Bad Request: can't parse entities"),
            TransientFailure("Can't parse entities", skip_day=True),
            id="bad-html",
        ),
        pytest.param(
            Forbidden("Forbidden: bot was blocked by the user"),
            RecipientGone("Forbidden: bot was blocked by the user"),
            id="blocked",
        ),
    ],
)
def test_errors_map_onto_outcomes(error, expected):
    assert to_send_result(error) == expected


@pytest.mark.parametrize("timedelta_mode", ["false", "true"])
@pytest.mark.parametrize(
    ("given", "seconds"), [(12, 12.0), (timedelta(seconds=3.5), 3.5), (timedelta(seconds=7), 7.0)]
)
def test_retry_after_is_read_as_int_or_timedelta(monkeypatch, timedelta_mode, given, seconds):
    """PTB v22 gives an int unless PTB_TIMEDELTA is set (and warns); v23 a timedelta."""
    monkeypatch.setenv("PTB_TIMEDELTA", timedelta_mode)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)  # raised inside PTB's __init__
        error = RetryAfter(given)
    assert to_send_result(error) == RetryLater(seconds)


def _any_message():
    from nudgebot.core.outbound import Message

    return Message(text="hello")


async def test_a_send_that_times_out_after_leaving_is_never_sent_twice(
    settings, sessions, pack, clock
):
    """The request reached Telegram but the answer came too late: at most once."""
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, timeout=0.3
    ) as world:
        await subscribe(world, ANN)
        world.fake.stall(ANN, 1.0)
        await tick_at(world, clock, at(6, 0))
        await world.fake.wait_for(lambda: len(world.fake.messages_to(ANN)) == 1)
        [delivery] = await world.deliveries(ANN)
        assert delivery.status == DeliveryStatus.UNKNOWN
        for minutes in (10, 30, 120):
            await tick_at(world, clock, at(6, minutes % 60, day=1) + timedelta(hours=minutes // 60))
        assert len(world.fake.messages_to(ANN)) == 1
        subscriber = await world.subscriber(ANN)
        assert subscriber is not None and subscriber.status == Status.ACTIVE
        assert subscriber.next_due_utc == at(6, 0, day=2)


@pytest.mark.parametrize(
    ("chat_id", "status"),
    [
        pytest.param(ANN, "kicked", id="user-blocks-the-bot"),
        pytest.param(GROUP, "left", id="bot-removed-from-group"),
    ],
)
async def test_a_bot_blocked_or_removed_stops_at_once_and_never_sends(
    world: World, clock, chat_id, status
):
    await subscribe(world, chat_id)
    await world.fake.bot_removed(chat_id, status=status)

    async def current_status() -> str | None:
        subscriber = await world.subscriber(chat_id)
        return subscriber.status if subscriber else None

    await eventually(current_status, lambda found: found == Status.STOPPED)
    await tick_at(world, clock, at(6, 0))
    assert world.fake.calls_to("sendMessage") == []


@pytest.mark.parametrize("after_taking", [True, False], ids=["after-taking", "before-taking"])
async def test_a_reset_in_place_of_the_answer_is_unknown_and_never_sent_again(
    world: World, clock, after_taking
):
    await subscribe(world, ANN)
    world.fake.reset(ANN, after_taking=after_taking)
    await tick_at(world, clock, at(6, 0))
    await tick_at(world, clock, at(6, 5))
    [delivery] = await world.deliveries(ANN)
    assert delivery.status == DeliveryStatus.UNKNOWN
    assert len(world.fake.messages_to(ANN)) == (1 if after_taking else 0)
    assert len(world.fake.calls_to("sendMessage")) == 1  # never tried again
