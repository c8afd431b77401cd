"""A batch prepares its subscribers' habits together and says what each alone would.

Streaks, freezes, milestones, re-engagement and the weekly summary are settled for a
whole batch in a few queries. Eight subscribers who answer in different patterns live
through four weeks twice, in two stores: once in batches of 500 (all eight together),
once in batches of one. Every nudge must read the same in both, on SQLite and
PostgreSQL, and the four weeks must have produced every kind of note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import ContentPack
from nudgebot.core.notes import NudgeNotes
from nudgebot.core.outbound import Message
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions, open_store
from nudgebot.store.tables import StreakRow
from tests.conftest import FakeClock
from tests.engine.test_batches import MONDAY_DUE
from tests.support.fakes.recording import FakeAdapter
from tests.support.postgres import fresh_database

DAYS = 28
ANSWERS: dict[str, Callable[[int], bool]] = {
    "ann": lambda day: True,
    "bob": lambda day: day not in (9, 17),  # a freeze covers each miss
    "cas": lambda day: False,  # asked after a week, moved to three times a week later
    "dirk": lambda day: day % 2 == 0,
    "eva": lambda day: day < 8,
    "fay": lambda day: day % 3 != 0,
    "gus": lambda day: day >= 10,
    "hal": lambda day: day in (0, 1, 2, 20, 21, 22, 23),
}

Seen = tuple[str, str, tuple[str, ...], tuple[str, ...]]


def seen(message: Message) -> Seen:
    """What a subscriber reads: delivery ids in button actions differ between stores."""
    return (
        message.title or "",
        message.text,
        tuple(message.caution or ()),
        tuple(button.label for button in message.buttons),
    )


async def four_weeks(
    sessions: Sessions, pack: ContentPack, settings: Settings, *, batch_size: int
) -> tuple[dict[str, list[Seen]], list[NudgeNotes]]:
    """Every nudge each subscriber read, and every day's notes as stored."""
    clock = FakeClock(MONDAY_DUE)
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    adapter = FakeAdapter()
    engine = DeliveryEngine(
        sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=clock, batch_size=batch_size
    )
    for name in ANSWERS:
        await commands.handle(Chat(recipient=Recipient("fake", name)), "/start")
    notes: list[NudgeNotes] = []
    for day in range(DAYS):
        clock.set(MONDAY_DUE + timedelta(days=day))
        before = len(adapter.sent)
        await engine.tick()
        for address, message in adapter.sent[before:]:
            if ANSWERS[address](day) and message.buttons:
                chat = Chat(recipient=Recipient("fake", address))
                await commands.press(chat, message.buttons[0].action)
        async with sessions() as session:
            rows = (await session.exec(select(StreakRow))).all()
            notes += [NudgeNotes.from_json(row.notes) for row in rows if row.notes]
    return {name: [seen(m) for m in adapter.to(name)] for name in ANSWERS}, notes


async def compare(urls: tuple[str, str], pack: ContentPack, settings: Settings) -> None:
    async with open_store(urls[0]) as together_store, open_store(urls[1]) as alone_store:
        together, notes = await four_weeks(together_store, pack, settings, batch_size=500)
        alone, _ = await four_weeks(alone_store, pack, settings, batch_size=1)
    assert set(together) == set(ANSWERS)
    for name in ANSWERS:
        assert len(together[name]) >= DAYS * 3 // 7, name  # three a week at the least
        assert together[name] == alone[name], name
    assert any(n.freezes_used for n in notes), "no freeze was used"
    assert any(n.milestone for n in notes), "no milestone was reached"
    assert any(n.reengage for n in notes), "nobody was asked to re-engage"
    assert any(n.summary is not None for n in notes), "no weekly summary"


async def test_a_batch_settles_habits_as_one_subscriber_at_a_time_would_on_sqlite(
    tmp_path: Path, pack: ContentPack, settings: Settings
) -> None:
    urls = (
        f"sqlite+aiosqlite:///{tmp_path / 'together.db'}",
        f"sqlite+aiosqlite:///{tmp_path / 'alone.db'}",
    )
    await compare(urls, pack, settings)


@pytest.mark.pg
async def test_a_batch_settles_habits_as_one_subscriber_at_a_time_would_on_postgres(
    pg_url: str, pack: ContentPack, settings: Settings
) -> None:
    async with fresh_database() as second:
        await compare((pg_url, second), pack, settings)
