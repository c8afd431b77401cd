"""/gutnudge settings, kinds, quiet, history and 12-hour times, by signed Slack requests.

The Bolt app over HTTP with Slack's signatures, against the local Web API fake
(tests/support/fakes/slack_api.py); what is asserted is what the member is shown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time

import pytest

from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import Subscriber
from tests.conftest import FakeClock
from tests.support.fakes.slack_world import SlackWorld, open_world

U1 = Recipient("slack", "U1", "T1")


@pytest.fixture
async def world(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        world.fake.add_user("U1", tz="Europe/Amsterdam", locale="nl-NL")
        yield world


async def member(world: SlackWorld) -> Subscriber:
    async with world.sessions() as session:
        found = await find_subscriber(session, U1)
    assert found is not None
    return found


async def test_a_dutch_profile_subscribes_in_dutch_with_a_12_hour_time(world):
    [shown] = await world.command("subscribe 7:45 pm")
    assert shown["text"].startswith("Klaar! Je krijgt elke dag om 19:45 (Europe/Amsterdam)")
    [shown] = await world.command("time 19u30")
    assert "Tijd aangepast naar 19:30" in shown["text"]
    assert (await member(world)).local_time == time(19, 30)


async def test_settings_shows_everything_and_its_button_asks(world):
    await world.command("subscribe 07:30")
    await world.command("language en")
    [shown] = await world.command("settings")
    assert "Time: 07:30" in shown["text"] and "Quiet hours: 22:00–07:00" in shown["text"]
    key = await world.tap(message=shown, button=6, channel="DU1", ephemeral=True)  # quiet
    [question] = await world.fake.wait_responses(key)
    assert "/gutnudge quiet off" in question["text"]  # commands spelled the Slack way
    key = await world.tap(message=question, button=3, channel="DU1", ephemeral=True)  # off
    [answered] = await world.fake.wait_responses(key)
    assert "Quiet hours: off." in answered["text"]
    assert (await member(world)).quiet_start is None


async def test_kinds_quiet_and_history_by_subcommand(world):
    await world.command("subscribe 07:30")
    await world.command("language en")
    [shown] = await world.command("kinds tips")
    assert "Done: tips from now on" in shown["text"]
    [shown] = await world.command("quiet 23:00-06:00")
    assert "Quiet hours: 23:00–06:00." in shown["text"]
    [shown] = await world.command("quiet 07:00-08:00")
    assert "your nudge still comes then" in shown["text"]
    [shown] = await world.command("quiet 23:00-06:00")
    [shown] = await world.command("history")
    assert "You haven't had a nudge yet" in shown["text"]
    await world.command("today")
    [shown] = await world.command("history")
    assert "1. Mon 1 Jun · no answer · " in shown["text"]
    stored = await member(world)
    assert (stored.dropped_kinds, stored.quiet_start) == ("challenge,myth", time(23, 0))
