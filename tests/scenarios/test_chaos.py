"""Chaos: real `nudgebot run` processes killed again and again while the platform misbehaves.

Two instances on PostgreSQL deliver 10,000 nudges due at once through a fake Bot API (in
a process of its own) that answers some calls with 500, some with 429 and a
``retry_after``, resets some connections before and some after taking the message, and
stalls some answers for 30 s; meanwhile one instance or the other is SIGKILLed every
~11 s, eight times in 90 s, and started again. Then the same kills on SQLite with one
instance. What must hold (invariant 1 in docs/architecture.md):

* no chat gets two nudges, and no chat is called again before its ``retry_after``;
* every day ends ``sent`` or ``unknown``; a chat that got nothing is recorded ``unknown``;
* chats that got nothing are the ones the fake dropped unread (a reset after our bytes
  left cannot be told from one after the platform took the message, so both are
  unknown) plus, per kill, at most the start window of :mod:`nudgebot.engine.starts`
  (sends recorded as started whose call had not yet left).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from nudgebot.engine.starts import GROUP
from tests.scenarios.test_app import free_port
from tests.scenarios.test_kill_instances import (
    FIRST_CHAT,
    SUBSCRIBERS,
    FakeBotApi,
    database,  # noqa: F401  (the fixture: 10,000 due at once on PostgreSQL)
    delivery_states,
)
from tests.support.fakes.telegram_api import TOKEN
from tests.support.fakes.telegram_process import UNLIMITED, start_fake
from tests.support.fakes.telegram_rules import Chaos

pytestmark = [pytest.mark.slow]

Running = dict[int, subprocess.Popen[bytes]]

KILLS = 8
KILL_EVERY = 11.0
CHAOS = Chaos(
    server_error=0.005, flood=0.005, retry_after=2, reset_before=0.002, reset_after=0.002,
    stall=0.0005, stall_seconds=30,
)  # fmt: skip


@pytest.fixture
def chaotic_api() -> Iterator[FakeBotApi]:
    process, url, stats_url = start_fake(UNLIMITED, CHAOS)
    try:
        yield FakeBotApi(process, f"{url}/bot", stats_url)
    finally:
        process.kill()
        process.join(timeout=30)


def start(url: str, api_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NUDGEBOT_")}
    env |= {
        "NUDGEBOT_DATABASE_URL": url,
        "NUDGEBOT_TELEGRAM_TOKEN": TOKEN,
        "NUDGEBOT_TELEGRAM_API_URL": api_url,
        "NUDGEBOT_TELEGRAM_LIMIT_OVERALL": "100/1",  # 100/s per instance
        "NUDGEBOT_TELEGRAM_LIMIT_CHAT": "100/1",
        "NUDGEBOT_HTTP_PORT": str(port),
        "NUDGEBOT_TICK_SECONDS": "1",
        "NUDGEBOT_LEASE_SECONDS": "5",
        "NUDGEBOT_BATCH_SIZE": "500",
        "NUDGEBOT_POLLER_RETRY_SECONDS": "1",
        "NUDGEBOT_LOG_LEVEL": "ERROR",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "nudgebot", "run"], env=env, stdin=subprocess.DEVNULL
    )


async def kill_repeatedly(
    url: str, api_url: str, instances: int
) -> dict[int, subprocess.Popen[bytes]]:
    ports = [free_port() for _ in range(instances)]
    running = {port: start(url, api_url, port) for port in ports}
    for kill in range(KILLS):
        await asyncio.sleep(KILL_EVERY)
        port = ports[kill % instances]
        running[port].kill()
        running[port].wait(timeout=10)
        running[port] = start(url, api_url, port)
    return running


def stop(running: Running) -> None:
    for process in running.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in running.values():
        process.wait(timeout=60)


async def settled(
    states_of: Callable[[], Awaitable[dict[str, list[int]]]], within: float
) -> dict[str, list[int]]:
    deadline = time.monotonic() + within
    while True:
        states = await states_of()
        done = sum(len(c) for s, c in states.items() if s not in ("sending", "claimed"))
        if done == SUBSCRIBERS or time.monotonic() > deadline:
            return states
        await asyncio.sleep(1)


def check(states: dict[str, list[int]], stats: dict[str, Any], kills: int) -> str:
    counts = {int(chat): n for chat, n in stats["counts"].items()}
    summary = {status: len(chats) for status, chats in states.items()}
    assert sum(summary.values()) == SUBSCRIBERS, summary
    assert set(states) <= {"sent", "unknown"}, summary
    assert max(counts.values()) == 1, "a chat got two nudges"
    assert stats["early"] == 0, "a chat was called again before its retry_after"
    every_chat = set(range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS))
    missing = every_chat - set(counts)
    assert missing <= set(states.get("unknown", [])), "a chat got nothing and is not unknown"
    dropped_unread = set(stats["faults"].get("reset_before", []))
    lost_to_kills = missing - dropped_unread
    assert len(lost_to_kills) <= kills * GROUP, (len(lost_to_kills), kills * GROUP)
    faults = {name: len(chats) for name, chats in stats["faults"].items()}
    return (
        f"{len(counts)} chats reached, {summary.get('unknown', 0)} unknown, "
        f"{len(dropped_unread)} dropped unread by the fake, {len(lost_to_kills)} lost to "
        f"{kills} kills (window {GROUP} each), faults {faults}"
    )


@pytest.mark.pg
async def test_two_instances_killed_eight_times_on_a_misbehaving_platform(
    database,  # noqa: F811
    chaotic_api,
):
    running = await kill_repeatedly(database, chaotic_api.api_url, instances=2)
    try:
        states = await settled(lambda: delivery_states(database), within=240)
        stats = await chaotic_api.stats()
    finally:
        stop(running)
    print("\nchaos, PostgreSQL, 2 instances:", check(states, stats, KILLS))


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nudgebot.db'}"
    from nudgebot.store.db import upgrade_sync

    await asyncio.to_thread(upgrade_sync, url)
    async with aiosqlite.connect(tmp_path / "nudgebot.db") as db:
        await db.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
            INSERT INTO subscriber (platform, workspace, address, language, timezone,
                local_time, status, next_due_utc, next_local_date, failed_days, created_utc)
            SELECT 'telegram', '', CAST(? + i AS TEXT), 'en', 'UTC',
                strftime('%H:%M', 'now'), 'active', strftime('%Y-%m-%d %H:%M:00', 'now'),
                date('now'), 0, datetime('now')
            FROM n
            """,
            (SUBSCRIBERS, FIRST_CHAT),
        )
        await db.commit()
    return url


async def sqlite_states(url: str) -> dict[str, list[int]]:
    async with aiosqlite.connect(url.split("///", 1)[1]) as db:
        rows = await db.execute_fetchall(
            "SELECT s.address, d.status FROM delivery d JOIN subscriber s ON s.id = d.subscriber_id"
        )
    states: dict[str, list[int]] = {}
    for address, status in rows:
        states.setdefault(status, []).append(int(address))
    return states


async def test_one_sqlite_instance_killed_eight_times_on_a_misbehaving_platform(
    sqlite_database, chaotic_api
):
    running = await kill_repeatedly(sqlite_database, chaotic_api.api_url, instances=1)
    try:
        states = await settled(lambda: sqlite_states(sqlite_database), within=240)
        stats = await chaotic_api.stats()
    finally:
        stop(running)
    print("\nchaos, SQLite, 1 instance:", check(states, stats, KILLS))
