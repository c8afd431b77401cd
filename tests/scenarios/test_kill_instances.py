"""Kill tests: `nudgebot run` processes on PostgreSQL, killed and stopped mid-delivery.

Real processes against a fake Bot API in a process of its own (it answers 409 to a
second concurrent ``getUpdates``, as Telegram does); 10,000 subscribers seeded due at
once with one SQL statement. Invariants checked from what the fake recorded and what the
database holds (docs/architecture.md, invariants 1, 7, 10):

* SIGKILL of the polling instance, which is then started again: no chat gets two nudges;
  every chat gets one except those recorded ``unknown`` (at most what the killed
  instance had in flight: two batches); its leased subscribers are taken over once its
  lease ends; no two pollers overlap; a new poller polls within 10 s of the kill.
* SIGTERM of one of two instances: it exits 0, and nothing is ``unknown``.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

import aiohttp
import asyncpg
import pytest

from nudgebot.store.db import upgrade_sync
from nudgebot.store.election import to_asyncpg_dsn
from tests.scenarios.test_app import free_port
from tests.support.fakes.telegram_api import TOKEN
from tests.support.fakes.telegram_process import UNLIMITED, start_fake
from tests.support.postgres import fresh_database

pytestmark = [pytest.mark.pg, pytest.mark.slow]

SUBSCRIBERS = 10_000
BATCH = 100
LEASE = 5
FIRST_CHAT = 1_000_000


@dataclass
class FakeBotApi:
    process: BaseProcess
    api_url: str
    stats_url: str

    async def stats(self) -> dict[str, Any]:
        async with aiohttp.ClientSession() as http, http.get(self.stats_url) as response:
            return dict(await response.json())


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    process, url, stats_url = start_fake(UNLIMITED)
    try:
        yield FakeBotApi(process, f"{url}/bot", stats_url)
    finally:
        process.kill()
        process.join(timeout=30)


@dataclass
class Instances:
    url: str
    api_url: str
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, port: int | None = None) -> int:
        port = port or free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("NUDGEBOT_")}
        env |= {
            "NUDGEBOT_DATABASE_URL": self.url,
            "NUDGEBOT_TELEGRAM_TOKEN": TOKEN,
            "NUDGEBOT_TELEGRAM_API_URL": self.api_url,
            "NUDGEBOT_TELEGRAM_RATE_LIMIT": "false",
            "NUDGEBOT_HTTP_PORT": str(port),
            "NUDGEBOT_TICK_SECONDS": "1",
            "NUDGEBOT_LEASE_SECONDS": str(LEASE),
            "NUDGEBOT_BATCH_SIZE": str(BATCH),
            "NUDGEBOT_POLLER_RETRY_SECONDS": "1",
            "NUDGEBOT_LOG_LEVEL": "WARNING",
        }
        self.processes[port] = subprocess.Popen(
            [sys.executable, "-m", "nudgebot", "run"], env=env, stdin=subprocess.DEVNULL
        )
        return port

    async def telegram_state(self, port: int) -> str:
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{port}/readyz") as response,
            ):
                body = await response.json()
                return str(body["checks"]["telegram"]["detail"])
        except (aiohttp.ClientError, KeyError, json.JSONDecodeError):
            return ""

    async def poller(self) -> int:
        """The port of the instance that polls, once every instance is up."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            states = [await self.telegram_state(port) for port in self.processes]
            if all(states) and states.count("polling") == 1:
                return list(self.processes)[states.index("polling")]
            await asyncio.sleep(0.2)
        raise AssertionError(f"no single poller: {states}")

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            process.wait(timeout=60)


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with fresh_database() as url:
        await asyncio.to_thread(upgrade_sync, url)
        connection = await asyncpg.connect(to_asyncpg_dsn(url))
        try:  # every subscriber due now, in UTC, written by one statement
            await connection.execute(
                """
                INSERT INTO subscriber (platform, workspace, address, language, timezone,
                    local_time, status, next_due_utc, next_local_date, failed_days, created_utc)
                SELECT 'telegram', '', ($1 + n)::text, 'en', 'UTC',
                    to_char(now() AT TIME ZONE 'UTC', 'HH24:MI'), 'active',
                    date_trunc('minute', now()), (now() AT TIME ZONE 'UTC')::date, 0, now()
                FROM generate_series(0, $2 - 1) AS n
                """,
                FIRST_CHAT,
                SUBSCRIBERS,
            )
        finally:
            await connection.close()
        yield url


async def delivery_states(url: str) -> dict[str, list[int]]:
    """Chat ids by the status of their delivery row."""
    connection = await asyncpg.connect(to_asyncpg_dsn(url))
    try:
        rows = await connection.fetch(
            "SELECT s.address, d.status FROM delivery d JOIN subscriber s ON s.id = d.subscriber_id"
        )
    finally:
        await connection.close()
    states: dict[str, list[int]] = {}
    for row in rows:
        states.setdefault(row["status"], []).append(int(row["address"]))
    return states


async def until_settled(url: str, within: float) -> dict[str, list[int]]:
    deadline = time.monotonic() + within
    while True:
        states = await delivery_states(url)
        # `claimed` rows were given back unsent (a stop): another instance still sends them.
        settled = sum(
            len(chats) for status, chats in states.items() if status not in ("sending", "claimed")
        )
        if settled == SUBSCRIBERS or time.monotonic() > deadline:
            return states
        await asyncio.sleep(1)


async def until_sent(bot_api: FakeBotApi, count: int, within: float = 120) -> None:
    deadline = time.monotonic() + within
    while sum((await bot_api.stats())["counts"].values()) < count:
        assert time.monotonic() < deadline, "delivery stalled"
        await asyncio.sleep(0.2)


async def test_sigkill_of_the_poller_mid_delivery_loses_no_chat_and_sends_none_twice(
    database, bot_api
):
    instances = Instances(database, bot_api.api_url)
    try:
        for _ in range(3):
            instances.start()
        poller = await instances.poller()
        await until_sent(bot_api, SUBSCRIBERS // 4)

        instances.processes[poller].kill()
        killed_at = time.monotonic()
        instances.processes[poller].wait(timeout=10)
        instances.start(poller)  # the same instance, started again

        states = await until_settled(database, within=240)
        stats = await bot_api.stats()
    finally:
        instances.stop_all()

    counts = {int(chat): n for chat, n in stats["counts"].items()}
    settled = sum(len(chats) for chats in states.values())
    assert settled == SUBSCRIBERS, f"{settled} days settled in time; {len(counts)} chats reached"
    assert max(counts.values()) == 1, "a chat got two nudges"
    unknown = set(states.get("unknown", []))
    assert set(states) <= {"sent", "unknown"}, {k: len(v) for k, v in states.items()}
    assert len(unknown) <= 2 * BATCH  # what the killed instance had in flight at most
    every_chat = set(range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS))
    assert set(counts) <= every_chat
    assert every_chat - unknown <= set(counts), "a chat that is not unknown got nothing"
    assert stats["conflicts"] == 0, "two instances polled at once"
    assert any(killed_at < start < killed_at + 10 for start in stats["poll_starts"])
    print(f"\nSIGKILL: {len(counts)} chats reached, {len(unknown)} unknown")


async def test_sigterm_mid_delivery_exits_cleanly_and_leaves_nothing_unknown(database, bot_api):
    instances = Instances(database, bot_api.api_url)
    try:
        ports = [instances.start(), instances.start()]
        await instances.poller()
        await until_sent(bot_api, SUBSCRIBERS // 4)

        stopped = instances.processes[ports[0]]
        stopped.send_signal(signal.SIGTERM)
        assert stopped.wait(timeout=30) == 0

        states = await until_settled(database, within=240)
        stats = await bot_api.stats()
        assert await instances.telegram_state(ports[1]) == "polling"
    finally:
        instances.stop_all()

    counts = {int(chat): n for chat, n in stats["counts"].items()}
    assert set(states) == {"sent"}, {k: len(v) for k, v in states.items()}
    assert len(states["sent"]) == SUBSCRIBERS
    assert len(counts) == SUBSCRIBERS
    assert max(counts.values()) == 1
    assert stats["conflicts"] == 0
