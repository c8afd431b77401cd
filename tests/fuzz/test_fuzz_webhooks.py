"""Fuzz: arbitrary JSON into the Telegram webhook and into signed and unsigned Slack
requests, over real HTTP to the real python-telegram-bot and slack-bolt.

Properties: the answer is a 2xx or a 4xx, never a 5xx; no log record carries a
traceback and every one is a single short line; an unsigned Slack request gets 401 and
leaves every table as it was.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudgebot.core.content import ContentPack
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from tests.conftest import FakeClock
from tests.fuzz.json_values import json_values, slack_payloads, telegram_updates
from tests.support.fakes.slack_world import SlackWorld, open_world
from tests.support.fakes.telegram_harness import World, telegram_world
from tests.support.log_lines import assert_quiet
from tests.support.store_dump import dump_tables


def quiet(caplog: pytest.LogCaptureFixture) -> None:
    """Every record so far is one short line without a traceback; then start afresh."""
    assert_quiet(caplog.records, at_most=len(caplog.records))
    assert "Traceback" not in caplog.text
    caplog.clear()


@pytest.fixture
async def hooked(settings, sessions, pack, clock) -> AsyncIterator[World]:
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, webhook=True
    ) as world:
        await world.says(4711, "/start")
        yield world


@given(update=telegram_updates)
async def test_any_json_to_the_telegram_webhook_gets_200_or_400_and_quiet_logs(
    hooked: World, caplog, update: Any
):
    caplog.set_level(logging.INFO)
    status = await hooked.fake.post_webhook(json.dumps(update).encode())
    assert status in (200, 400)
    await hooked.idle()  # an accepted update has run through the handlers
    quiet(caplog)


@pytest.fixture
async def slack(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        world.fake.add_user("U1")
        await world.command("subscribe")
        yield world


def encodings(payload: Any) -> st.SearchStrategy[tuple[str, str]]:
    as_json = json.dumps(payload)
    return st.sampled_from(
        [
            (as_json, "application/json"),
            (urlencode({"payload": as_json}), "application/x-www-form-urlencoded"),
        ]
    )


@given(payload=slack_payloads, data=st.data())
async def test_any_unsigned_slack_request_gets_401_and_changes_nothing(
    slack: SlackWorld, caplog, payload: Any, data: st.DataObject
):
    caplog.set_level(logging.INFO)
    body, content_type = data.draw(encodings(payload))
    before = await dump_tables(slack.sessions)
    stamp = str(int(time.time()))
    status, _ = await slack.post(
        body, content_type=content_type, timestamp=int(stamp), signature="v0=" + "1" * 64
    )
    assert status == 401
    assert await dump_tables(slack.sessions) == before
    quiet(caplog)


@given(payload=slack_payloads, data=st.data())
async def test_any_signed_slack_request_gets_no_5xx_and_quiet_logs(
    slack: SlackWorld, caplog, payload: Any, data: st.DataObject
):
    caplog.set_level(logging.INFO)
    body, content_type = data.draw(encodings(payload))
    status, _ = await slack.post(body, content_type=content_type)
    assert status < 500
    await slack.idle()  # listeners go on after the ack
    quiet(caplog)


@given(raw=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
async def test_any_bytes_to_the_telegram_webhook_get_200_or_400(hooked: World, caplog, raw):
    caplog.set_level(logging.INFO)
    assert await hooked.fake.post_webhook(raw) in (200, 400)
    await hooked.idle()
    quiet(caplog)
