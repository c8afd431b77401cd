"""`nudgebot run` wired for real: Telegram and Slack at once, one web server, the ticker."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier
from sqlmodel import select

from nudgebot.app.wiring import run
from nudgebot.settings import SlackSettings, TelegramSettings
from nudgebot.store.db import open_store
from nudgebot.store.tables import Subscriber
from tests.support.fakes.slack_api import FakeSlackApi
from tests.support.fakes.slack_world import SIGNING_SECRET
from tests.support.fakes.telegram_api import TOKEN, FakeTelegramApi
from tests.support.fakes.telegram_harness import FAST, limit_settings
from tests.support.waiting import eventually

ANN = 4711


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegramApi, FakeSlackApi]]:
    telegram = await FakeTelegramApi(limits=FAST).start()
    slack = FakeSlackApi()
    await slack.start()
    slack.add_team("T1")
    slack.add_user("U1", tz="Europe/Lisbon")
    try:
        yield telegram, slack
    finally:
        await slack.close()
        await telegram.stop()


async def test_one_process_serves_telegram_and_slack_until_stopped(settings, fakes):
    telegram, slack = fakes
    configured = settings.model_copy(
        update={
            "telegram": TelegramSettings(
                token=SecretStr(TOKEN), api_url=telegram.api_url, **limit_settings(FAST)
            ),
            "slack": SlackSettings(
                bot_token=SecretStr(slack.teams["T1"].token),
                signing_secret=SecretStr(SIGNING_SECRET),
                api_url=slack.base_url,
            ),
            "http_port": 0,  # the server picks a free port and tells it
            "tick_seconds": 0.2,
        }
    )
    stop = asyncio.Event()
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    serving = asyncio.create_task(run(configured, stop=stop, listening=listening))
    try:
        base = f"http://127.0.0.1:{await asyncio.wait_for(listening, 20)}"
        async with aiohttp.ClientSession() as http:

            async def health() -> int:
                try:
                    async with http.get(f"{base}/healthz") as response:
                        return response.status
                except aiohttp.ClientConnectionError:
                    return 0

            await eventually(health, lambda status: status == 200, within=20)

            await telegram.user_says(ANN, "/start")
            await telegram.wait_for(lambda: len(telegram.messages_to(ANN)) >= 1)
            assert "Which language" in telegram.messages_to(ANN)[0].text

            body = urlencode(
                {"team_id": "T1", "user_id": "U1", "channel_id": "C1", "command": "/gutnudge",
                 "text": "subscribe", "response_url": slack.response_url("sub"),
                 "trigger_id": "1.2.3", "api_app_id": "AAPP"}
            )  # fmt: skip
            stamp = str(int(time.time()))
            signature = SignatureVerifier(SIGNING_SECRET).generate_signature(
                timestamp=stamp, body=body
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signature or "",
            }
            async with http.post(f"{base}/slack/events", data=body, headers=headers) as r:
                assert r.status == 200
            [shown] = await slack.wait_responses("sub")
            assert "every day at 08:00 (Europe/Lisbon)" in shown["text"]

            # Make Ann's nudge due now: the ticker must deliver it through Telegram.
            async with (
                open_store(configured.database_url, migrate=False) as sessions,
                sessions() as session,
            ):
                rows = (await session.exec(select(Subscriber))).all()
                assert {(r.platform, r.address) for r in rows} == {
                    ("telegram", str(ANN)),
                    ("slack", "U1"),
                }
                ann = next(r for r in rows if r.platform == "telegram")
                now = datetime.now(UTC)
                ann.local_time = (
                    now.astimezone(ZoneInfo(ann.timezone)).time().replace(second=0, microsecond=0)
                )
                ann.next_local_date = now.astimezone(ZoneInfo(ann.timezone)).date()
                ann.next_due_utc = now
                session.add(ann)
                await session.commit()
            await telegram.wait_for(lambda: len(telegram.messages_to(ANN)) >= 2, 10)
            nudge = telegram.messages_to(ANN)[1]
            assert nudge.buttons and "📚 " in nudge.html  # its sources

            async def metrics() -> str:
                async with http.get(f"{base}/metrics") as response:
                    return await response.text()

            delivered = 'outcome="delivered",platform="telegram"'
            await eventually(metrics, lambda text: delivered in text)
    finally:
        stop.set()
        await asyncio.wait_for(serving, 30)
