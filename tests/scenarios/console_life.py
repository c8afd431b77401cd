"""A subscriber living through weeks of nudges in the console: typed lines in, text out.

The real console adapter, commands, delivery engine and SQLite store; only the clock is
simulated. Each day, the engine ticks just after 08:00 Amsterdam time, so whatever the
subscriber's schedule holds for that day arrives as the console prints it.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from nudgebot.adapters.console import ConsoleAdapter
from nudgebot.commands import Commands
from nudgebot.core.content import ContentPack
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.streaks import load_state
from nudgebot.store.tables import Delivery, Engagement, SeriesProgress, Subscriber
from tests.conftest import FakeClock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 6, 1)


class ConsoleLife:
    def __init__(
        self, *, sessions: Sessions, pack: ContentPack, settings: Settings, clock: FakeClock
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.out = io.StringIO()
        self.commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
        self.console = ConsoleAdapter(commands=self.commands, done=asyncio.Event(), out=self.out)
        self.engine = DeliveryEngine(
            sessions=sessions, pack=pack, adapters={"console": self.console}, clock=clock
        )

    async def type(self, line: str) -> str:
        """Type a line (a command, or a button's number); what the console printed."""
        before = len(self.out.getvalue())
        await self.console.handle_line(line)
        return self.out.getvalue()[before:]

    async def sign_up(self, *more: str) -> None:
        """Subscribe in English, every day at 08:00 Amsterdam (set-up done), then type ``more``."""
        await self.type("/start")
        await self.type("2")  # English
        for line in ("/tz Europe/Amsterdam", "/time 08:00", "daily", *more):
            await self.type(line)

    async def morning(self, day: date) -> str:
        """The engine's tick just after 08:00 on ``day``; what arrived ('' if nothing)."""
        wall = datetime.combine(day, time(8, 1), tzinfo=AMSTERDAM)
        self.clock.set(wall.astimezone(UTC))
        before = len(self.out.getvalue())
        await self.engine.tick()
        return self.out.getvalue()[before:]

    async def answer(self) -> str:
        """Tap the nudge's first button (done, got it, or myth)."""
        return await self.type("1")

    async def subscriber(self) -> Subscriber:
        async with self.sessions() as session:
            row = (await session.exec(select(Subscriber))).one()
            return row

    async def streak_row(self) -> tuple[int, int, int]:
        """(current, best, freezes) as stored."""
        subscriber = await self.subscriber()
        assert subscriber.id is not None
        async with self.sessions() as session:
            streak = (await load_state(session, subscriber.id)).streak
        return streak.current, streak.best, streak.freezes

    async def series(self) -> list[SeriesProgress]:
        async with self.sessions() as session:
            statement = select(SeriesProgress).order_by(col(SeriesProgress.id))
            return list((await session.exec(statement)).all())

    async def deliveries(self) -> list[Delivery]:
        async with self.sessions() as session:
            statement = select(Delivery).order_by(col(Delivery.local_date))
            return list((await session.exec(statement)).all())

    async def taps(self) -> list[Engagement]:
        async with self.sessions() as session:
            statement = select(Engagement).order_by(col(Engagement.id))
            return list((await session.exec(statement)).all())


def days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]
