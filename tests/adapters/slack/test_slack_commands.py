"""``/gutnudge`` subcommands over signed HTTP, with good and bad input."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time
from typing import Any

import pytest
from sqlmodel import select

from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import Status, Subscriber
from tests.conftest import FakeClock
from tests.support.fakes.slack_world import SlackWorld, open_world


@pytest.fixture
async def world(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        world.fake.add_user("U1", tz="America/New_York", locale="en-US")
        world.fake.add_user("U2", tz="Europe/Amsterdam", locale="nl-NL")
        world.fake.add_user("UADMIN", is_admin=True)
        world.fake.add_channel("CTEAM", creator="UCREATOR")
        yield world


async def subscriber(world: SlackWorld, address: str, team: str = "T1") -> Subscriber | None:
    async with world.sessions() as session:
        return await find_subscriber(session, Recipient("slack", address, team))


async def all_rows(world: SlackWorld) -> list[tuple[object, ...]]:
    async with world.sessions() as session:
        rows = (await session.exec(select(Subscriber))).all()
    return [
        (r.address, r.status, r.local_time, r.timezone, r.language, r.paused_until) for r in rows
    ]


def text_of(responses: list[dict[str, Any]]) -> str:
    return "\n".join(r["text"] for r in responses)


async def test_subscribe_uses_the_members_slack_time_zone(world):
    shown = await world.command("subscribe")
    row = await subscriber(world, "U1")
    assert row is not None and row.status == Status.ACTIVE
    assert (row.timezone, row.local_time, row.language) == ("America/New_York", time(8, 0), "en")
    assert "every day at 08:00 (America/New_York)" in text_of(shown)
    assert all(r["response_type"] == "ephemeral" for r in shown)


async def test_subscribe_with_time_and_zone_sets_both(world):
    shown = await world.command("subscribe 07:45 Europe/London")
    row = await subscriber(world, "U1")
    assert row is not None and (row.local_time, row.timezone) == (time(7, 45), "Europe/London")
    assert "07:45 (Europe/London)" in text_of(shown)


async def test_dutch_member_is_answered_in_dutch(world):
    shown = await world.command("subscribe", user="U2")
    row = await subscriber(world, "U2")
    assert row is not None and row.language == "nl"
    assert "elke dag om 08:00" in text_of(shown)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("subscribe 25:99", "isn't a time I understand", id="bad-time"),
        pytest.param("subscribe Mars/Olympus", "isn't a time zone I know", id="bad-zone"),
        pytest.param("dance", "How to use /gutnudge", id="unknown"),
        pytest.param("", "How to use /gutnudge", id="empty"),
        pytest.param("help", "How to use /gutnudge", id="help"),
    ],
)
async def test_bad_subscribe_or_unknown_subcommand_changes_nothing(world, text, expected):
    shown = await world.command(text)
    assert expected in text_of(shown)
    assert shown[0]["response_type"] == "ephemeral"
    assert await all_rows(world) == []


@pytest.mark.parametrize(
    ("text", "expected", "field", "value"),
    [
        pytest.param("time 07:30", "Time changed to 07:30", "local_time", time(7, 30), id="time"),
        pytest.param("time 7.30pm", "Time changed to 19:30", "local_time", time(19, 30),
                     id="time-12-hour"),
        pytest.param("time 7.30 pm", "Time changed to 19:30", "local_time", time(19, 30),
                     id="time-12-hour-spaced"),
        pytest.param("time 7.70pm", "isn't a time I understand", "local_time", time(8, 0),
                     id="time-bad"),
        pytest.param("time", "That needs a value", "local_time", time(8, 0), id="time-missing"),
        pytest.param("pause 3", "Paused. Your next nudge comes", "status", "paused", id="pause"),
        pytest.param("pause 0", "pause for 1 to 365 days", "status", "active", id="pause-bad"),
        pytest.param("pause forever", "pause for 1 to 365 days", "status", "active",
                     id="pause-word"),
        pytest.param("resume", "Your nudges are running", "status", "active", id="resume"),
        pytest.param("stop", "Stopped: no more nudges", "status", "stopped", id="stop"),
        pytest.param("language nl", "Taal aangepast", "language", "nl", id="language"),
        pytest.param("language fr", "I speak Dutch (nl) and English", "language", "en",
                     id="language-bad"),
        pytest.param("tz Europe/Lisbon", "Time zone changed", "timezone", "Europe/Lisbon",
                     id="tz"),
        pytest.param("streak", "Streak: 0 days", "status", "active", id="streak"),
    ],
)  # fmt: skip
async def test_subcommand_changes_only_what_it_says(world, text, expected, field, value):
    await world.command("subscribe 08:00 America/New_York")
    shown = await world.command(text)
    assert expected in text_of(shown)
    row = await subscriber(world, "U1")
    assert row is not None and getattr(row, field) == value


async def test_resume_after_pause_brings_nudges_back(world):
    await world.command("subscribe")
    await world.command("pause")
    shown = await world.command("resume")
    assert "Welcome back" in text_of(shown)
    row = await subscriber(world, "U1")
    assert row is not None and row.status == Status.ACTIVE and row.next_due_utc is not None


async def test_today_shows_the_nudge_with_its_buttons_and_source(world):
    await world.command("subscribe")
    shown = await world.command("today")
    blocks = shown[0]["blocks"]
    assert blocks[0]["type"] == "header"
    buttons = next(b for b in blocks if b["type"] == "actions")
    assert buttons["block_id"] == "gn:U1"
    assert all(e["value"].startswith("n:") for e in buttons["elements"])
    sources = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]
               if e["text"].startswith("📚")]  # fmt: skip
    assert sources and all("<https://doi.org/" in s or "|" not in s for s in sources)


async def test_commands_before_subscribing_say_so(world):
    shown = await world.command("time 07:00")
    assert "not subscribed" in text_of(shown)
    assert await all_rows(world) == []


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        pytest.param("UADMIN", True, id="workspace-admin"),
        pytest.param("UCREATOR", True, id="channel-creator"),
        pytest.param("U1", False, id="member"),
    ],
)
async def test_only_admins_or_the_creator_subscribe_a_channel(world, user, allowed):
    world.fake.add_user("UCREATOR")
    shown = await world.command("subscribe <#CTEAM|team> 09:15", user=user)
    row = await subscriber(world, "CTEAM")
    if allowed:
        assert row is not None and row.local_time == time(9, 15)
        assert "every day at 09:15" in text_of(shown)
    else:
        assert row is None
        assert "Only workspace admins or the channel's creator" in text_of(shown)


async def test_member_cannot_stop_a_channel_subscription(world):
    await world.command("subscribe <#CTEAM|team>", user="UADMIN")
    shown = await world.command("stop <#CTEAM|team>", user="U1")
    assert "Only workspace admins" in text_of(shown)
    row = await subscriber(world, "CTEAM")
    assert row is not None and row.status == Status.ACTIVE


async def test_channel_without_the_bot_asks_for_an_invite(world):
    world.fake.add_channel("CQUIET", creator="U1", is_member=False)
    shown = await world.command("subscribe <#CQUIET|quiet>", user="U1")
    assert "invite me to the channel first" in text_of(shown)
    assert await subscriber(world, "CQUIET") is None


async def test_text_from_core_is_escaped_for_mrkdwn(world):
    shown = await world.command("time <script>")
    assert "&lt;script&gt;" in text_of(shown)


async def test_replies_name_commands_as_slack_users_type_them(world):
    shown = text_of(await world.command("time 07:45"))
    assert "Send /gutnudge subscribe to begin" in shown
    await world.command("subscribe")
    shown = text_of(await world.command("pause"))
    assert "until you send /gutnudge resume" in shown
