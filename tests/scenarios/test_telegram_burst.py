"""2,000 subscribers due at the same minute: all delivered once, at the configured rate.

The fake enforces its windows and answers 429 beyond them; the limits are raised to
300/s (from Telegram's 30/s) so that the burst takes seconds, and the adapter is given
the same figures. ``benchmarks/telegram_send_rate.py`` measures the real 30/s.
"""

from __future__ import annotations

import time
from datetime import date
from datetime import time as wall_time

import pytest
from sqlalchemy import func
from sqlmodel import select

from nudgebot.store.tables import Delivery, DeliveryStatus, Subscriber
from tests.support.fakes.telegram_harness import at, telegram_world
from tests.support.fakes.telegram_rules import FakeLimits

SUBSCRIBERS = 2000
RATE = 300
LIMITS = FakeLimits(overall=(RATE, 1.0), chat=(1, 1.0), group=(20, 60.0))


async def add_due_subscribers(sessions, count: int) -> None:
    async with sessions() as session:
        for n in range(count):
            session.add(
                Subscriber(
                    platform="telegram",
                    address=str(10_000 + n) if n % 10 else str(-1_001_000_000_000 - n),
                    language="en" if n % 2 else "nl",
                    timezone="Europe/Amsterdam",
                    local_time=wall_time(8, 0),
                    next_due_utc=at(6, 0),
                    next_local_date=date(2026, 6, 1),
                )
            )
        await session.commit()


@pytest.mark.slow
async def test_a_burst_of_2000_is_delivered_at_the_configured_rate(settings, sessions, pack, clock):
    await add_due_subscribers(sessions, SUBSCRIBERS)
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, limits=LIMITS
    ) as world:
        clock.set(at(6, 1))
        started = time.monotonic()
        report = await world.engine.tick()
        elapsed = time.monotonic() - started
        await world.engine.tick()  # nothing is due twice

        sends = world.fake.calls_to("sendMessage")
        assert world.fake.too_many == 0
        assert report.sent == SUBSCRIBERS and len(sends) == SUBSCRIBERS
        assert len({call.params["chat_id"] for call in sends}) == SUBSCRIBERS
        # Paced at 80% of the overall rate (the rest is kept for replies), 5% margin.
        assert elapsed >= SUBSCRIBERS / RATE
        arrivals = sorted(call.at for call in sends)
        busiest = max(
            sum(1 for t in arrivals[i : i + RATE + 1] if t - arrivals[i] < 1.0)
            for i in range(0, len(arrivals), 50)
        )
        assert busiest <= RATE
        async with sessions() as session:
            statuses = await session.exec(
                select(Delivery.status, func.count()).group_by(Delivery.status)
            )
            assert dict(statuses.all()) == {DeliveryStatus.SENT: SUBSCRIBERS}
        print(f"\n{SUBSCRIBERS} nudges in {elapsed:.1f} s: {SUBSCRIBERS / elapsed:.0f}/s")
