"""The same invariants on PostgreSQL, the store for several instances (DESIGN.md 7).

Needs the server at 127.0.0.1:5432 (trust auth); each run gets a fresh database.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, date, datetime, time

import pytest

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.store.db import create_engine, create_sessions, upgrade
from nudgebot.store.tables import Subscriber
from tests.fakes.recording import FakeAdapter

pytestmark = pytest.mark.pg


async def test_four_instances_on_postgres_send_each_nudge_once(pg_url, pack, settings):
    await upgrade(pg_url)
    clock_value = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
    adapter = FakeAdapter()
    databases = [create_engine(pg_url) for _ in range(4)]
    try:
        engines = [
            DeliveryEngine(
                sessions=create_sessions(db),
                pack=pack,
                adapters={"fake": adapter},
                clock=lambda: clock_value,
                batch_size=9,
            )
            for db in databases
        ]
        commands = Commands(
            sessions=engines[0].sessions, pack=pack, settings=settings, clock=lambda: clock_value
        )
        for n in range(60):
            await commands.handle(Chat(recipient=Recipient("fake", f"user{n}")), "/start")
        clock_value = datetime(2026, 6, 1, 6, 1, tzinfo=UTC)
        await asyncio.gather(*(engine.tick() for engine in engines * 2))
        assert len(adapter.sent) == 60
        assert len({to for to, _ in adapter.sent}) == 60
        # A later tick by any instance sends nothing more today.
        await asyncio.gather(*(engine.tick() for engine in engines))
        assert len(adapter.sent) == 60
    finally:
        for db in databases:
            await db.dispose()


async def seed(url: str, count: int) -> None:
    """``count`` subscribers due at 08:00 Amsterdam on Monday 1 June, written in one go."""
    await upgrade(url)
    db = create_engine(url)
    try:
        async with create_sessions(db)() as session:
            session.add_all(
                Subscriber(
                    platform="fake",
                    address=f"user{n}",
                    language="nl",
                    timezone="Europe/Amsterdam",
                    local_time=time(8, 0),
                    next_local_date=date(2026, 6, 1),
                    next_due_utc=datetime(2026, 6, 1, 6, 0, tzinfo=UTC),
                )
                for n in range(count)
            )
            await session.commit()
    finally:
        await db.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("processes", [2, 3])
async def test_engines_in_separate_processes_send_each_nudge_once(
    pg_url, pack, settings, processes
):
    await seed(pg_url, 300)
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.engine.engine_process",
            pg_url,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(processes)
    ]
    for child in children:
        assert child.stdout is not None
        assert await child.stdout.readline() == b"ready\n"
    for child in children:  # all start at once
        assert child.stdin is not None
        child.stdin.write(b"go\n")
        await child.stdin.drain()
    outputs = [(await child.communicate())[0].decode().split() for child in children]
    assert [child.returncode for child in children] == [0] * processes
    sent = [address for output in outputs for address in output]
    assert len(sent) == 300 and set(sent) == {f"user{n}" for n in range(300)}
    assert all(outputs), "every process took a share"


async def test_streak_taps_racing_on_postgres_count_the_day_once(pg_url, pack, settings):
    await upgrade(pg_url)
    db = create_engine(pg_url)
    try:
        now = datetime(2026, 6, 2, 5, 0, tzinfo=UTC)  # Tuesday: a challenge
        commands = Commands(
            sessions=create_sessions(db), pack=pack, settings=settings, clock=lambda: now
        )
        group = Recipient("fake", "team")
        await commands.handle(Chat(recipient=group), "/start")
        nudge = (await commands.handle(Chat(recipient=group), "/today")).messages[0]
        members = [Chat(recipient=group, actor=f"member{n}") for n in range(8)]
        await asyncio.gather(*(commands.press(m, nudge.buttons[0].action) for m in members))
        reply = await commands.handle(Chat(recipient=group, actor="member0"), "/streak")
        assert "Reeks: 1 dag" in reply.messages[0].text
    finally:
        await db.dispose()
