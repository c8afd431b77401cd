"""Hostile and broken requests to Slack's HTTP route.

Unauthenticated requests are refused before anything reads their body; signed ones
that Bolt cannot read get a 4xx; a failed ``users.info`` still gets the member an answer;
and a failure inside a handler reaches the member as an apology and the log as one line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest

from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.subscribers import find_subscriber
from tests.conftest import FakeClock
from tests.support.fakes.slack_world import SlackWorld, add_team_members, open_world
from tests.support.log_lines import assert_quiet
from tests.support.store_dump import break_deliveries, dump_tables

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@pytest.fixture
async def world(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        world.fake.add_user("U1", tz="America/New_York")
        yield world


async def post_raw(world: SlackWorld, body: bytes, headers: dict[str, str]) -> int:
    async with world.http.post(f"{world.url}/slack/events", data=body, headers=headers) as r:
        return r.status


MALFORMED = [
    pytest.param(b"payload={not json", FORM, id="form-payload-not-json"),
    pytest.param(b"[1, 2, 3]", "application/json", id="json-array"),
    pytest.param(b"[" * 200_000, "application/json", id="deeply-nested"),
    pytest.param(b"\xff\xfe\x00payload", FORM, id="not-utf8"),
    pytest.param(b'{"type": "block_actions", "user": 5}', "application/json", id="wrong-types"),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
@pytest.mark.parametrize(
    "stamp",
    [
        pytest.param(None, id="fresh-timestamp"),
        pytest.param("①", id="circled-digit-timestamp"),
        pytest.param("9" * 5000, id="huge-timestamp"),
    ],
)
async def test_unsigned_malformed_request_gets_401_and_one_short_log_line(
    world, caplog, body, content_type, stamp
):
    caplog.set_level(logging.INFO)
    before = await dump_tables(world.sessions)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp or str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    assert await post_raw(world, body, headers) == 401
    assert_quiet(caplog.records, at_most=1)  # the web server's access line
    assert "Traceback" not in caplog.text
    assert await dump_tables(world.sessions) == before


async def test_a_flood_of_unsigned_requests_writes_at_most_one_short_line_each(world, caplog):
    caplog.set_level(logging.INFO)
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(int(time.time()))}
    statuses = [await post_raw(world, b"payload={not json", headers) for _ in range(1000)]
    assert set(statuses) == {401}
    assert_quiet(caplog.records, at_most=1000)
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param("payload={not json", FORM, id="form-payload-not-json"),
        pytest.param("[1, 2, 3]", "application/json", id="json-array"),
        pytest.param('{"type": "block_actions", "user": 5}', "application/json", id="wrong-type"),
        pytest.param('{"type": "no_such_thing"}', "application/json", id="unhandled"),
        pytest.param('{"type": "block_actions", "actions": []}', JSON, id="no-actions"),
    ],
)
async def test_signed_but_unreadable_request_gets_a_4xx_and_one_short_log_line(
    world, caplog, body, content_type
):
    caplog.set_level(logging.DEBUG)
    before = await dump_tables(world.sessions)
    status, _ = await world.post(body, content_type=content_type)
    assert 400 <= status < 500
    assert_quiet([r for r in caplog.records if r.name != "aiohttp.access"], at_most=1)
    assert "Traceback" not in caplog.text
    assert await dump_tables(world.sessions) == before


async def test_subscribe_answers_with_the_default_zone_when_slack_withholds_the_profile(world):
    world.fake.refusals["users.info"] = "ratelimited"
    body = world.command_body("subscribe", user="U1", team="T1", channel="C1", key="sub")
    status, _ = await world.post(body, content_type=FORM)
    assert status == 200
    shown = await world.fake.wait_responses("sub", count=2)
    # No locale either: the default language (Dutch) and the default zone, not New York;
    # with no zone known, the guided set-up asks for one.
    assert "Hoi! Ik ben nudgebot" in shown[0]["text"]
    assert "Slack-profiel nu niet lezen" in shown[1]["text"]
    assert "Europe/Amsterdam" in shown[1]["text"]


async def test_a_command_without_user_or_team_is_answered_and_changes_nothing(world):
    before = await dump_tables(world.sessions)
    payload = world.command_payload("subscribe", user="U1", team="T1", channel="C1", key="anon")
    del payload["user_id"]
    status, _ = await world.post(urlencode(payload), content_type=FORM)
    assert status == 200
    shown = await world.fake.wait_responses("anon")
    assert "Slack gaf niet door wie dit stuurde" in shown[0]["text"]
    assert await dump_tables(world.sessions) == before


async def test_a_failing_command_gets_an_apology_and_one_log_line_without_the_payload(
    world, caplog
):
    await world.command("subscribe")
    await break_deliveries(world.sessions)
    caplog.set_level(logging.INFO)
    shown = await world.command("today secret-words-typed")
    assert "Sorry, something went wrong" in shown[0]["text"]
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1
    line = failures[0].getMessage()
    assert "T1/U1" in line and "secret-words-typed" not in caplog.text
    assert_quiet(failures, at_most=1)


async def channel_zone_buttons(world: SlackWorld) -> dict[str, Any]:
    """A channel subscribed by its creator, who then gets zone buttons for "san"."""
    add_team_members(world)
    await world.command("subscribe <#CTEAM|team>", user="UADMIN")
    [offer] = await world.command("tz <#CTEAM|team> san", user="UADMIN")
    assert any(b["type"] == "actions" for b in offer["blocks"])
    return offer


async def channel_zone(world: SlackWorld) -> str:
    async with world.sessions() as session:
        row = await find_subscriber(session, Recipient("slack", "CTEAM", "T1"))
    assert row is not None
    return row.timezone


async def test_a_member_tapping_a_channels_zone_button_is_refused_and_the_zone_stays(world):
    offer = await channel_zone_buttons(world)
    before = await dump_tables(world.sessions)
    key = await world.tap(message=offer, button=2, user="U2", channel="CTEAM", ephemeral=True)
    [shown] = await world.fake.wait_responses(key)
    assert "Only workspace admins or the channel's creator" in shown["text"]
    assert await dump_tables(world.sessions) == before


async def test_the_channels_creator_tapping_its_zone_button_changes_the_zone(world):
    offer = await channel_zone_buttons(world)
    key = await world.tap(message=offer, button=2, user="UADMIN", channel="CTEAM", ephemeral=True)
    await world.fake.wait_responses(key)
    assert await channel_zone(world) == "America/Santiago"


@pytest.mark.parametrize("value", ["²", "①", "9" * 4301])
async def test_pause_with_a_strange_number_in_slack_gets_the_pause_explanation(world, value):
    await world.command("subscribe")
    shown = await world.command(f"pause {value}")
    assert "1 tot 365 dagen" in shown[0]["text"] or "1 to 365 days" in shown[0]["text"]
