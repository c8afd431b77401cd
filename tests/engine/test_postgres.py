"""The same invariants on PostgreSQL, the store for several instances (DESIGN.md 7).

Needs the server at 127.0.0.1:5432 (trust auth); each run gets a fresh database.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.store.db import create_engine, create_sessions, upgrade
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
