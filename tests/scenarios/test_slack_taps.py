"""Members tap a nudge's buttons, in a DM and in a channel, over signed HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.core.sending import Delivered
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.streaks import load_streak
from nudgebot.store.subscribers import find_subscriber
from tests.conftest import FakeClock
from tests.support.fakes.slack_world import SlackWorld, add_team_members, open_world


@pytest.fixture
async def world(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        add_team_members(world)
        yield world


async def streak_of(world: SlackWorld, address: str) -> tuple[int, int]:
    async with world.sessions() as session:
        row = await find_subscriber(session, Recipient("slack", address, "T1"))
        assert row is not None and row.id is not None
        streak = await load_streak(session, row.id)
    return streak.current, streak.best


def texts(blocks: list[dict[str, Any]]) -> str:
    parts = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(e.get("text", "") for e in block.get("elements", []) if e["type"] == "mrkdwn")
    return "\n".join(parts)


async def test_tap_in_a_dm_counts_the_day_and_updates_the_message(world):
    await world.command("subscribe")
    nudge = (await world.command("today"))[0]
    key = world.tap(message=nudge, channel="DU1", ephemeral=True)
    updated = (await world.fake.wait_responses(await key))[0]
    assert updated["replace_original"] is True
    assert "Streak: 1 day" in texts(updated["blocks"])
    assert not any(b["type"] == "actions" for b in updated["blocks"])  # buttons gone
    assert await streak_of(world, "U1") == (1, 1)


async def test_second_tap_in_a_dm_counts_nothing_twice(world):
    await world.command("subscribe")
    nudge = (await world.command("today"))[0]
    await world.fake.wait_responses(await world.tap(message=nudge, channel="DU1", ephemeral=True))
    again = await world.fake.wait_responses(
        await world.tap(message=nudge, channel="DU1", ephemeral=True)
    )
    assert "nothing counts twice" in again[0]["text"]
    assert await streak_of(world, "U1") == (1, 1)


async def test_channel_members_tap_once_per_day_and_see_who_took_part(world):
    await world.command("subscribe <#CTEAM|team>", user="UADMIN")
    channel = Recipient("slack", "CTEAM", "T1")
    message = await world.commands.nudges.todays_nudge(channel)
    assert message is not None
    assert isinstance(await world.adapter.send(channel, message), Delivered)
    posted = world.fake.messages_to("CTEAM")[0]

    await world.tap(message=posted, channel="CTEAM", user="U1")
    await world.fake.wait_for(lambda: len(world.fake.called("chat.update")) == 1)
    await world.tap(message=posted, channel="CTEAM", user="U2")
    await world.fake.wait_for(lambda: len(world.fake.called("chat.update")) == 2)

    first, second = (c.params for c in world.fake.called("chat.update"))
    assert (second["channel"], second["ts"]) == ("CTEAM", posted["ts"])
    assert "Took part: <@U1>" in texts(first["blocks"])
    assert "Took part: <@U1>, <@U2>" in texts(second["blocks"])
    assert "Streak: 1 day" in texts(second["blocks"])
    # the buttons stay for the members who have not tapped yet
    assert any(b["type"] == "actions" for b in second["blocks"])
    assert await streak_of(world, "CTEAM") == (1, 1)


async def test_someone_else_cannot_answer_a_members_dm_nudge(world):
    await world.command("subscribe")
    nudge = (await world.command("today"))[0]
    key = await world.tap(message=nudge, channel="DU1", user="U2", ephemeral=True)
    assert "no longer works" in (await world.fake.wait_responses(key))[0]["text"]
    assert await streak_of(world, "U1") == (0, 0)
