"""Two `nudgebot run` instances on one PostgreSQL database: one Telegram poller, both ready.

The fake Bot API answers 409 to a second concurrent ``getUpdates``, as Telegram does, and
counts those conflicts: there must be none, before and after the poller hands over.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from nudgebot.app.wiring import run
from nudgebot.settings import Settings, TelegramSettings
from tests.scenarios.test_app import free_port
from tests.support.fakes.telegram_api import TOKEN, FakeTelegramApi
from tests.support.fakes.telegram_harness import FAST, limit_settings
from tests.support.postgres import fresh_database
from tests.support.waiting import eventually

pytestmark = [pytest.mark.pg, pytest.mark.slow]


class Instance:
    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.settings = settings.model_copy(update={"http_port": self.port})
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(run(self.settings, stop=self.stop))

    async def readyz(self) -> tuple[int, dict[str, Any]]:
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{self.port}/readyz") as response,
            ):
                return response.status, await response.json()
        except aiohttp.ClientConnectionError:
            return 0, {}

    async def telegram_state(self) -> str:
        status, body = await self.readyz()
        return body["checks"]["telegram"]["detail"] if status == 200 else ""

    async def shut_down(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 30)


@pytest.fixture
async def world(settings) -> AsyncIterator[tuple[FakeTelegramApi, Settings]]:
    fake = await FakeTelegramApi(limits=FAST).start()
    try:
        async with fresh_database() as url:
            yield (
                fake,
                settings.model_copy(
                    update={
                        "database_url": url,
                        "telegram": TelegramSettings(
                            token=SecretStr(TOKEN), api_url=fake.api_url, **limit_settings(FAST)
                        ),
                        "tick_seconds": 0.5,
                        "poller_retry_seconds": 0.3,
                    }
                ),
            )
    finally:
        await fake.stop()


async def test_one_instance_polls_the_other_waits_ready_and_takes_over(world):
    fake, settings = world
    # One after the other: Alembic's context is one global per process (replicas are
    # separate processes, where upgrades take turns through an advisory lock).
    instances = [Instance(settings)]
    try:
        await eventually(instances[0].readyz, lambda answer: answer[0] != 0, within=30)
        instances.append(Instance(settings))

        async def states() -> list[str]:
            return list(await asyncio.gather(*(i.telegram_state() for i in instances)))

        both = ["polling", "waiting for the poller lock"]
        await eventually(states, lambda found: sorted(found) == both, within=30)
        await asyncio.sleep(1)  # several retries of the waiting one: still one poller
        found = await states()
        assert sorted(found) == both
        poller = instances[found.index("polling")]
        await fake.user_says(4711, "/start")
        await fake.wait_for(lambda: len(fake.messages_to(4711)) >= 1, 10)

        handed_over_from = asyncio.get_running_loop().time()
        await poller.shut_down()
        instances.remove(poller)
        (other,) = instances
        await eventually(other.telegram_state, lambda state: state == "polling", within=10)
        assert asyncio.get_running_loop().time() - handed_over_from < 10
        await fake.user_says(4712, "/start")
        await fake.wait_for(lambda: len(fake.messages_to(4712)) >= 1, 10)
        assert fake.conflicts == 0
    finally:
        for instance in instances:
            await instance.shut_down()


async def test_the_fake_refuses_a_second_concurrent_poller_as_telegram_does():
    fake = await FakeTelegramApi(limits=FAST).start()
    try:
        async with aiohttp.ClientSession() as http:
            url = f"{fake.api_url}{TOKEN}/getUpdates"
            first = asyncio.create_task(http.post(url, json={"timeout": 2}))
            await eventually(lambda: asyncio.sleep(0, fake.polling), lambda open_: open_ == 1)
            async with http.post(url, json={"timeout": 2}) as second:
                assert second.status == 409
            (await first).release()
        assert fake.conflicts == 1
    finally:
        await fake.stop()
