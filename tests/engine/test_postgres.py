"""The same invariants on PostgreSQL, the store for several instances (invariant 7).

Needs the server at 127.0.0.1:5432 (trust auth); each run gets a fresh database.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.commands import Commands
from nudgebot.core.actions import NudgeAnswer, parse_action
from nudgebot.core.chats import Chat, Recipient
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.store.db import create_engine, create_sessions, upgrade
from nudgebot.store.streaks import StreakState, participants
from nudgebot.store.tables import StreakRow, Subscriber
from nudgebot.store.taps import Tap, change_streak, find_tap, insert_tap
from tests.support.fakes.recording import FakeAdapter

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
            "tests.support.engine_process",
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


async def test_a_tap_that_lost_the_streak_race_reads_again_and_keeps_its_engagement(
    pg_url, pack, settings
):
    """Two members' taps interleaved by hand: the second's compare-and-set finds the row
    moved, reads it again inside its transaction and counts nothing twice."""
    await upgrade(pg_url)
    db = create_engine(pg_url)
    try:
        now = datetime(2026, 6, 2, 5, 0, tzinfo=UTC)  # Tuesday: a challenge
        sessions = create_sessions(db)
        commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=lambda: now)
        group = Recipient("fake", "team")
        await commands.handle(Chat(recipient=group), "/start")
        nudge = (await commands.handle(Chat(recipient=group), "/today")).messages[0]
        parsed = parse_action(nudge.buttons[0].action)
        assert isinstance(parsed, NudgeAnswer)

        def counted(day: date) -> Callable[[StreakState], StreakState]:
            return lambda state: replace(state, streak=state.streak.counted(day))

        async def tap(session: AsyncSession, actor: str) -> tuple[Tap, StreakState]:
            found = await find_tap(session, group, parsed.delivery_id)
            assert found is not None and found.delivery is not None
            day = found.delivery.local_date
            assert await insert_tap(
                session,
                delivery_id=found.delivery.id,
                subscriber_id=found.subscriber_id,
                actor=actor,
                answer="done",
                local_date=day,
            )
            return found, (found.streak or StreakState())

        async with sessions() as late:
            slow, seen = await tap(late, "member1")
            async with sessions() as first:
                fast, _ = await tap(first, "member0")
                assert fast.delivery is not None
                await change_streak(
                    first, fast.subscriber_id, fast.streak, counted(fast.delivery.local_date)
                )
                await first.commit()
            assert slow.delivery is not None
            before, after = await change_streak(
                late, slow.subscriber_id, slow.streak, counted(slow.delivery.local_date)
            )
            await late.commit()
        assert seen.streak.current == 0  # what the late tap had read: the day not yet counted
        assert before.streak.current == after.streak.current == 1  # read again: counted
        async with sessions() as session:
            actors = await participants(session, parsed.delivery_id)
            row = (await session.exec(select(StreakRow))).one()
        assert sorted(actors) == ["member0", "member1"]
        assert (row.current, row.version) == (1, seen.version + 1)  # written once
    finally:
        await db.dispose()
