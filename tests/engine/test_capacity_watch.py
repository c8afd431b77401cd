"""The capacity watch: the schedule read from the store, gauges set, one warning a day."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest
from prometheus_client import REGISTRY

from nudgebot.engine.capacity import CapacityWatch, capacity_today, platform_rates
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.tables import Status, Subscriber

SEVEN = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
GRACE = timedelta(minutes=10)


async def _audience(sessions: Sessions, count: int, *, at: datetime, platform: str) -> None:
    async with sessions() as session:
        session.add_all(
            Subscriber(
                platform=platform,
                address=f"{platform}{n}",
                language="en",
                timezone="Europe/Amsterdam",
                local_time=time(7, 0),
                status=Status.STOPPED if n % 10 == 9 else Status.ACTIVE,
                next_due_utc=at,
                next_local_date=date(2026, 6, 1),
            )
            for n in range(count)
        )
        await session.commit()


def _gauge(name: str, platform: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"platform": platform})


async def test_the_forecast_counts_active_subscribers_per_platform(sessions: Sessions) -> None:
    await _audience(sessions, 50, at=SEVEN, platform="telegram")
    await _audience(sessions, 20, at=SEVEN, platform="slack")
    (day,) = await capacity_today(
        sessions, rates={"telegram": 0.05}, grace=GRACE, now_utc=SEVEN - timedelta(hours=1)
    )
    assert (day.platform, day.due) == ("telegram", 45)  # the stopped ones are not due
    assert day.skipped == 45 - 30  # ten minutes at one message in 20 seconds


async def test_the_watch_warns_once_a_day_with_the_figures(
    sessions: Sessions, caplog: pytest.LogCaptureFixture
) -> None:
    await _audience(sessions, 50, at=SEVEN, platform="telegram")
    now = SEVEN - timedelta(hours=1)
    told: list[str] = []

    async def notify(text: str) -> None:
        told.append(text)

    watch = CapacityWatch(
        sessions=sessions,
        rates={"telegram": 0.05},
        grace=GRACE,
        clock=lambda: now,
        notify=notify,
    )
    with caplog.at_level(logging.WARNING, logger="nudgebot.engine.capacity"):
        await watch.check()
        await watch.check()
    assert len(told) == 1 and "15 of today's 45 nudges" in told[0]
    assert [r.getMessage() for r in caplog.records] == [f"capacity: {told[0].split(': ', 1)[1]}"]
    assert _gauge("nudgebot_capacity_expected_skipped", "telegram") == 15
    assert _gauge("nudgebot_capacity_due", "telegram") == 45
    assert _gauge("nudgebot_capacity_backlog", "telegram") == 0
    assert _gauge("nudgebot_capacity_rate", "telegram") == 0.05
    now += timedelta(days=1)  # the same schedule the next day warns again
    await watch.check()
    assert len(told) == 2
    assert _gauge("nudgebot_capacity_backlog", "telegram") == 45  # all due and waiting


async def test_a_day_that_fits_warns_nobody(sessions: Sessions) -> None:
    await _audience(sessions, 30, at=SEVEN, platform="telegram")
    told: list[str] = []

    async def notify(text: str) -> None:
        told.append(text)

    watch = CapacityWatch(
        sessions=sessions,
        rates={"telegram": 0.05},
        grace=GRACE,
        clock=lambda: SEVEN - timedelta(hours=1),
        notify=notify,
    )
    (day,) = await watch.check()
    assert told == [] and day.skipped == 0 and watch.latest == [day]


def test_telegram_is_rated_at_its_limit_less_the_margin() -> None:
    settings = Settings(_env_file=None, telegram={"token": "1:x"})
    assert platform_rates(settings) == {"telegram": pytest.approx(30 / 1.04)}
    assert platform_rates(Settings(_env_file=None)) == {}
