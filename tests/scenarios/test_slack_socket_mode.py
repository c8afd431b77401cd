"""Socket Mode: one workspace, no public URL; Slack's envelopes arrive over a WebSocket.

The adapter asks the fake for a WebSocket URL with the app token, connects, and must
ack every envelope within Slack's 3 seconds and then do what the member asked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import time
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import select

from nudgebot.adapters.slack import SlackAdapter
from nudgebot.commands import Commands
from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.errors import ConfigError
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.streaks import load_streak
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import Status, Subscriber
from tests.conftest import FakeClock
from tests.support.fakes.slack_api import FakeSlackApi
from tests.support.fakes.slack_world import SlackWorld, open_world, slack_settings
from tests.support.waiting import eventually


@pytest.fixture
async def world(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(
        base=settings, sessions=sessions, pack=pack, clock=clock, mode="socket"
    ) as world:
        world.fake.add_user("U1", tz="Europe/Amsterdam")
        yield world


async def subscriber(world: SlackWorld, address: str = "U1") -> Subscriber | None:
    async with world.sessions() as session:
        return await find_subscriber(session, Recipient("slack", address, "T1"))


async def command(world: SlackWorld, text: str) -> list[dict[str, Any]]:
    """Type ``/gutnudge <text>``: the envelope is acked in time; returns what the member sees."""
    envelope, key = await world.push_command(text)
    assert await world.fake.wait_ack(envelope, within=3.0) == {"envelope_id": envelope}
    return await world.fake.wait_responses(key)


async def test_start_connects_with_the_app_token_and_serves_no_http_route(world):
    opened = world.fake.called("apps.connections.open")
    assert [call.token for call in opened] == [world.fake.app_token]
    assert len(world.fake.live_sockets) == 1
    async with world.http.post(f"{world.url}/slack/events", data="{}") as response:
        assert response.status == 404  # nothing reaches us over HTTP in this mode

    await world.adapter.stop()
    await world.fake.wait_for(lambda: not world.fake.live_sockets)
    assert len(world.fake.sockets) == 1


async def test_subscribe_is_acked_in_time_and_subscribes_the_member(world):
    shown = await command(world, "subscribe")
    assert "every day at 08:00 (Europe/Amsterdam)" in shown[0]["text"]
    assert all(r["response_type"] == "ephemeral" for r in shown)
    row = await subscriber(world)
    assert row is not None and row.status == Status.ACTIVE
    assert (row.timezone, row.local_time) == ("Europe/Amsterdam", time(8, 0))


async def test_a_tap_sent_twice_counts_the_day_once(world):
    await command(world, "subscribe")
    nudge = (await command(world, "today"))[0]
    taps = [await world.push_tap(message=nudge, channel="DU1", ephemeral=True) for _ in range(2)]
    for envelope, _ in taps:
        await world.fake.wait_ack(envelope, within=3.0)
    first, again = [(await world.fake.wait_responses(key))[0] for _, key in taps]
    assert first["replace_original"] is True
    assert "nothing counts twice" in again["text"]
    row = await subscriber(world)
    assert row is not None and row.id is not None
    async with world.sessions() as session:
        streak = await load_streak(session, row.id)
    assert (streak.current, streak.best) == (1, 1)


async def test_app_uninstalled_stops_the_workspaces_subscriptions(world):
    await command(world, "subscribe")
    envelope = await world.push_event({"type": "app_uninstalled"})
    await world.fake.wait_ack(envelope, within=3.0)

    async def status() -> str | None:
        row = await subscriber(world)
        return row.status if row else None

    await eventually(status, lambda found: found == Status.STOPPED)


async def test_a_disconnect_request_moves_to_a_new_connection(world):
    await world.fake.disconnect()
    await world.fake.wait_for(lambda: len(world.fake.sockets) == 2 and world.fake.sockets[0].closed)
    assert len(world.fake.called("apps.connections.open")) == 2
    assert len(world.fake.live_sockets) == 1
    shown = await command(world, "subscribe")  # goes over the new connection
    assert "every day at 08:00" in shown[0]["text"]


async def test_a_wrong_app_token_stops_start_up_and_changes_nothing(
    settings, sessions, pack, clock, caplog
):
    caplog.set_level(logging.DEBUG)
    fake = FakeSlackApi()
    await fake.start()
    try:
        fake.add_team("T1")
        fake.enable_socket_mode("xapp-1-AAPP-1-the-right-one")
        wrong = "xapp-1-AAPP-1-a-wrong-one"
        base = slack_settings(settings, fake, mode="socket")
        assert base.slack is not None
        wrong_slack = base.slack.model_copy(update={"app_token": SecretStr(wrong)})
        wrong_settings = base.model_copy(update={"slack": wrong_slack})
        commands = Commands(sessions=sessions, pack=pack, settings=wrong_settings, clock=clock)
        adapter = SlackAdapter(
            settings=wrong_settings, commands=commands, sessions=sessions, web_app=None
        )
        async with asyncio.timeout(5):  # slack_sdk alone would retry for ever
            with pytest.raises(ConfigError, match=r"NUDGEBOT_SLACK_APP_TOKEN.*invalid_auth"):
                await adapter.start()
        await adapter.stop()
        assert [call.token for call in fake.called("apps.connections.open")] == [wrong]
        assert fake.sockets == []
        async with sessions() as session:
            assert (await session.exec(select(Subscriber))).all() == []
        assert wrong not in caplog.text
    finally:
        await fake.close()


async def test_tokens_and_response_urls_never_reach_the_debug_logs(
    settings, sessions, pack, clock, caplog
):
    caplog.set_level(logging.DEBUG)
    async with open_world(
        base=settings, sessions=sessions, pack=pack, clock=clock, mode="socket"
    ) as world:
        world.fake.add_user("U1")
        await command(world, "subscribe")
        await world.fake.disconnect()
        await world.fake.wait_for(lambda: len(world.fake.sockets) == 2)
        await command(world, "streak")
        secrets = [world.fake.app_token, world.fake.teams["T1"].token]
        secrets += [world.fake.response_url(key) for key in world.fake.responses]
    # Handling requests left our own DEBUG lines on (Bolt once turned "nudgebot" to INFO).
    assert logging.getLogger("nudgebot.adapters.slack.app").isEnabledFor(logging.DEBUG)
    assert len(secrets) == 4
    for secret in secrets:
        assert secret is not None and secret not in caplog.text
