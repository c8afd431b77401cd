"""The retention job deletes old deliveries and taps, and changes nobody's streak or rotation.

Two stores live the same months side by side, one nudge a day through the real engine
and taps through the commands; the retention job runs in one of them only. From then on
both must show the same streak and send the same items, day after day: whatever the
streak and the item choice read, it is not the history that retention deleted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.retention import Retention
from nudgebot.engine.scheduler import RETENTION_AT_UTC, Ticker
from nudgebot.store.db import Sessions, open_store
from nudgebot.store.personal import metadata
from tests.conftest import FakeClock
from tests.support.fakes.recording import FakeAdapter

ANN = Chat(recipient=Recipient("fake", "ann"), language_hint="en")
FIRST_DAY = date(2026, 1, 5)  # a Monday
KEEP_DAYS = 30


@dataclass
class Life:
    """One store with Ann in it, her nudges sent by the engine and answered by her."""

    sessions: Sessions
    commands: Commands
    engine: DeliveryEngine
    adapter: FakeAdapter
    clock: FakeClock

    async def morning(self, day: date) -> tuple[str, str]:
        """Nudge time on ``day`` (08:00 Amsterdam): the nudge's text and first button."""
        before = len(self.adapter.sent)
        self.clock.set(datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC))
        await self.engine.tick()
        sent = [message for _, message in self.adapter.sent[before:]]
        return (sent[-1].plain(), sent[-1].buttons[0].action) if sent else ("", "")

    async def answer(self, action: str) -> str:
        reply = await self.commands.press(ANN, action)
        return reply.notice or ""

    async def streak(self) -> str:
        return (await self.commands.handle(ANN, "/streak")).messages[0].text

    async def rows(self, table: str) -> int:
        async with self.sessions() as session:
            count = select(func.count()).select_from(metadata().tables[table])
            return int((await session.exec(count)).one()[0])  # type: ignore[call-overload]


@pytest.fixture
async def lives(tmp_path: Path, pack, settings) -> AsyncIterator[tuple[Life, Life]]:
    async with AsyncExitStack() as stack:
        made = []
        for name in ("kept", "trimmed"):
            sessions = await stack.enter_async_context(
                open_store(f"sqlite+aiosqlite:///{tmp_path / name}.db")
            )
            clock = FakeClock(datetime(2026, 1, 5, 6, 0, tzinfo=UTC))
            adapter = FakeAdapter()
            commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
            engine = DeliveryEngine(
                sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=clock
            )
            made.append(Life(sessions, commands, engine, adapter, clock))
        for life in made:
            await life.commands.handle(ANN, "/start")
            await life.commands.press(ANN, "set:lang:en")
        yield made[0], made[1]


async def both(lives: tuple[Life, Life], day: date, *, answer: bool) -> str:
    """The same morning in both stores: the same nudge, answered or not the same way."""
    sent = [await life.morning(day) for life in lives]
    assert sent[0][0] == sent[1][0]  # the same item (delivery ids may differ)
    if answer and sent[0][1]:
        notices = [await life.answer(action) for life, (_, action) in zip(lives, sent, strict=True)]
        assert notices[0] == notices[1]
    return sent[0][0]


@pytest.mark.slow
async def test_retention_deletes_old_history_and_changes_no_streak_or_rotation(lives):
    kept, trimmed = lives
    day = FIRST_DAY
    for n in range(25):  # 10 answered, 5 missed, 10 answered: a streak of 10, best 10
        await both(lives, day, answer=not 10 <= n < 15)
        day += timedelta(days=1)
    for life in lives:  # a long holiday: nothing is sent, nothing breaks the streak
        await life.commands.handle(ANN, "/pause 40")
    for _ in range(39):
        assert await both(lives, day, answer=True) == ""
        day += timedelta(days=1)
    assert await kept.streak() == await trimmed.streak()
    streak_before = await kept.streak()

    trimmed.clock.set(datetime(day.year, day.month, day.day, 3, 17, tzinfo=UTC))
    deleted = await Retention(sessions=trimmed.sessions, days=KEEP_DAYS, clock=trimmed.clock).run()
    # All but the last nudge before the holiday, which the streak goes on from.
    assert deleted == {"delivery": 24, "engagement": 19}
    assert (await trimmed.rows("delivery"), await trimmed.rows("engagement")) == (1, 1)
    assert (await kept.rows("delivery"), await kept.rows("engagement")) == (25, 20)
    assert await trimmed.streak() == streak_before

    # Back from holiday: the streak carries on from before it, and the items come in the
    # same order as in the store that kept its history, through a whole round and more.
    for _ in range(30):
        await both(lives, day, answer=True)
        assert await kept.streak() == await trimmed.streak()
        day += timedelta(days=1)
    assert "Streak: 40 days" in await trimmed.streak()


async def test_retention_keeps_what_is_younger_than_the_retention(lives):
    kept, _ = lives
    day = FIRST_DAY
    for _ in range(5):
        await both(lives, day, answer=True)
        day += timedelta(days=1)
    kept.clock.set(datetime(2026, 1, 9, 12, 0, tzinfo=UTC))
    # Deliveries of 5-9 January; a cutoff of 3 days before the 9th deletes the 5th.
    assert await Retention(sessions=kept.sessions, days=3, clock=kept.clock).run() == {
        "delivery": 1,
        "engagement": 1,
    }
    assert await kept.rows("delivery") == 4
    assert await Retention(sessions=kept.sessions, days=3, clock=kept.clock).run() == {}


async def test_the_ticker_runs_retention_once_a_day_at_night(lives):
    kept, _ = lives
    retention = Retention(sessions=kept.sessions, days=KEEP_DAYS, clock=kept.clock)
    ticker = Ticker(kept.engine, interval_seconds=3600, retention=retention)
    ticker.start()
    try:
        job = ticker._scheduler.get_job("retention")
        assert job is not None
        fields = {f.name: str(f) for f in job.trigger.fields}
        assert (fields["hour"], fields["minute"]) == tuple(
            str(v) for v in RETENTION_AT_UTC.values()
        )
        assert (fields["day"], fields["day_of_week"]) == ("*", "*")
    finally:
        await ticker.stop(wait_seconds=1)
