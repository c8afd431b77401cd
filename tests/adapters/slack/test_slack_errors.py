"""Slack's answers to a send, as the engine sees them and as the store keeps them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from nudgebot.adapters.slack.errors import from_exception
from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.core.outbound import Message
from nudgebot.core.sending import (
    Delivered,
    MaybeDelivered,
    RecipientGone,
    RetryLater,
    TransientFailure,
)
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import Status
from tests.conftest import FakeClock
from tests.support.fakes.slack_world import SlackWorld, add_team_members, open_world

HELLO = Message(text="Fermented food & you <3", title="Hi")


@pytest.fixture
async def world(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        add_team_members(world)
        yield world


def engine_for(world: SlackWorld, clock: FakeClock) -> DeliveryEngine:
    return DeliveryEngine(
        sessions=world.sessions, pack=world.commands.pack, adapters={"slack": world.adapter},
        clock=clock, grace=timedelta(hours=3), max_attempts=5,
    )  # fmt: skip


async def status_of(world: SlackWorld, address: str) -> str:
    async with world.sessions() as session:
        row = await find_subscriber(session, Recipient("slack", address, "T1"))
    assert row is not None
    return row.status


async def test_dm_is_opened_and_text_escaped(world):
    result = await world.adapter.send(Recipient("slack", "U1", "T1"), HELLO)
    assert isinstance(result, Delivered) and result.ref.startswith("DU1:")
    assert world.fake.called("conversations.open")[0].params["users"] == "U1"
    posted = world.fake.messages_to("DU1")[0]
    assert posted["blocks"][1]["text"]["text"] == "Fermented food &amp; you &lt;3"


@pytest.mark.parametrize("code", ["channel_not_found", "is_archived", "not_in_channel"])
async def test_a_gone_channel_stops_only_its_subscription(world, clock, code):
    await world.command("subscribe <#CTEAM|team>", user="UADMIN")
    await world.command("subscribe", user="U1")
    world.fake.fail("CTEAM", code)
    clock.set(datetime(2026, 6, 1, 6, 1, tzinfo=UTC))  # 08:01 in Amsterdam: both due
    await engine_for(world, clock).tick()
    assert await status_of(world, "CTEAM") == Status.STOPPED
    assert await status_of(world, "U1") == Status.ACTIVE
    assert len(world.fake.messages_to("DU1")) == 1
    assert world.fake.messages_to("CTEAM") == []


@pytest.mark.parametrize("code", ["account_inactive", "invalid_auth", "token_revoked"])
async def test_a_dead_token_stops_the_whole_workspace(world, code):
    await world.command("subscribe <#CTEAM|team>", user="UADMIN")
    await world.command("subscribe", user="U1")
    if code == "token_revoked":
        world.fake.revoke("T1")
    elif code == "invalid_auth":
        world.fake.teams["T1"].token = "xoxb-someone-else"
    else:
        world.fake.fail("CTEAM", code)
    result = await world.adapter.send(Recipient("slack", "CTEAM", "T1"), HELLO)
    assert result == RecipientGone(code)
    assert await status_of(world, "CTEAM") == Status.STOPPED
    assert await status_of(world, "U1") == Status.STOPPED


async def test_rate_limit_returns_retry_after_and_holds_the_workspace(world):
    world.fake.flood("T1", retry_after=42)
    first = await world.adapter.send(Recipient("slack", "CTEAM", "T1"), HELLO)
    assert isinstance(first, RetryLater) and first.seconds == 42
    world.fake.flood("T1", retry_after=0)
    second = await world.adapter.send(Recipient("slack", "CTEAM", "T1"), HELLO)
    assert isinstance(second, RetryLater) and 40 < second.seconds <= 42
    assert len(world.fake.called("chat.postMessage")) == 1  # the wait costs Slack nothing


async def test_engine_moves_the_due_time_by_retry_after(world, clock):
    await world.command("subscribe", user="U1")
    world.fake.flood("T1", retry_after=120)
    clock.set(datetime(2026, 6, 1, 6, 1, tzinfo=UTC))
    await engine_for(world, clock).tick()
    async with world.sessions() as session:
        row = await find_subscriber(session, Recipient("slack", "U1", "T1"))
    assert row is not None and row.status == Status.ACTIVE
    due = row.next_due_utc
    assert due is not None and due.replace(tzinfo=UTC) == clock.now_utc + timedelta(seconds=120)


async def test_one_message_per_second_per_channel(world):
    target = Recipient("slack", "CTEAM", "T1")
    assert isinstance(await world.adapter.send(target, HELLO), Delivered)
    again = await world.adapter.send(target, HELLO)
    assert isinstance(again, RetryLater) and 0 < again.seconds <= 1
    other = await world.adapter.send(Recipient("slack", "COTHER", "T1"), HELLO)
    assert isinstance(other, Delivered)


@pytest.mark.parametrize(
    ("code", "skip_day"),
    [pytest.param("internal_error", False, id="slack-trouble"),
     pytest.param("invalid_blocks", True, id="our-bug")],
)  # fmt: skip
async def test_other_errors_are_transient(world, code, skip_day):
    world.fake.fail("CTEAM", code)
    result = await world.adapter.send(Recipient("slack", "CTEAM", "T1"), HELLO)
    assert result == TransientFailure(code, skip_day=skip_day)


async def test_server_errors_are_retried_a_bounded_number_of_times(world):
    world.fake.status_override["chat.postMessage"] = 503
    result = await world.adapter.send(Recipient("slack", "CTEAM", "T1"), HELLO)
    assert isinstance(result, TransientFailure) and not result.skip_day
    assert len(world.fake.called("chat.postMessage")) == 3  # first try and two retries


async def test_unreachable_slack_is_a_transient_failure(world):
    await world.fake.close()
    result = await world.adapter.send(Recipient("slack", "CTEAM", "T1"), HELLO)
    assert isinstance(result, TransientFailure) and not result.skip_day


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(TimeoutError(), MaybeDelivered, id="read-timeout-may-have-posted"),
        pytest.param(
            aiohttp.ServerDisconnectedError(), MaybeDelivered, id="dropped-may-have-posted"
        ),
        pytest.param(aiohttp.ConnectionTimeoutError(), TransientFailure, id="never-connected"),
        pytest.param(ValueError("a bug"), type(None), id="bugs-raise"),
    ],
)
def test_only_requests_that_never_left_are_retried(error, expected):
    assert isinstance(from_exception(error), expected)
