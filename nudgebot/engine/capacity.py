"""Capacity the operator can see: today's backlog and lateness per slot, and the warning.

Every few minutes (:class:`~nudgebot.engine.scheduler.Ticker`) the watch reads the
schedule (:mod:`nudgebot.store.capacity`), forecasts each platform's day at the rate
the platform allows (:mod:`nudgebot.core.capacity`), sets the ``nudgebot_capacity_*``
gauges of ``/metrics``, and once a UTC day per platform, when a slot cannot be served
within the grace window, logs a warning with the figures and tells the operators.

:func:`capacity_today` is the one call for anything that shows the forecast (``nudgebot
stats``, the admin console): it reads, it changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from nudgebot.core.capacity import Forecast, forecast, warning_text
from nudgebot.core.limits import MARGIN
from nudgebot.engine.metrics import (
    CAPACITY_BACKLOG,
    CAPACITY_DUE,
    CAPACITY_LATENESS,
    CAPACITY_RATE,
    CAPACITY_SKIPPED,
)
from nudgebot.settings import Settings
from nudgebot.store.capacity import due_slots
from nudgebot.store.db import Sessions

logger = logging.getLogger(__name__)

HORIZON = timedelta(hours=24)
"""How far ahead the forecast looks: one day of slots."""

Notify = Callable[[str], Awaitable[None]]
"""Tells the operators a line of English (wired to the Telegram admins' chats)."""


def platform_rates(settings: Settings) -> dict[str, float]:
    """Messages per second each platform with a published bot-wide limit takes.

    Telegram: the configured overall limit less the limiter's margin; it is per token,
    so instances sharing one token share it (another instance adds no capacity). Slack
    publishes no bot-wide figure (about one message a second per channel, an unpublished
    limit per workspace), so it is not forecast. The console sends at once.
    """
    rates: dict[str, float] = {}
    telegram = settings.telegram
    if telegram is not None and telegram.rate_limit:
        rates["telegram"] = telegram.limit_overall.rate / (1 + MARGIN)
    return rates


async def capacity_today(
    sessions: Sessions,
    *,
    rates: Mapping[str, float],
    grace: timedelta,
    now_utc: datetime,
    horizon: timedelta = HORIZON,
) -> list[Forecast]:
    """Each rated platform's next ``horizon``: its slots, backlog and expected lateness."""
    async with sessions() as session:
        slots = await due_slots(session, until=now_utc + horizon)
    return [
        forecast(platform, slots.get(platform, []), rate=rate, grace=grace, now_utc=now_utc)
        for platform, rate in sorted(rates.items())
    ]


def backlog(day: Forecast, now_utc: datetime) -> int:
    """Subscribers due by ``now_utc`` and not yet sent: the queue right now."""
    return sum(slot.count for slot in day.slots if slot.due_utc <= now_utc)


@dataclass
class CapacityWatch:
    """Forecasts, publishes the gauges and warns once a day per platform that falls short."""

    sessions: Sessions
    rates: Mapping[str, float]
    grace: timedelta
    clock: Callable[[], datetime]
    notify: Notify | None = None
    latest: list[Forecast] = field(default_factory=list)
    """The last forecast, for whoever shows it without asking the database again."""
    _warned: dict[str, date] = field(default_factory=dict)

    async def check(self) -> list[Forecast]:
        now = self.clock()
        self.latest = await capacity_today(
            self.sessions, rates=self.rates, grace=self.grace, now_utc=now
        )
        for day in self.latest:
            worst = day.worst
            CAPACITY_RATE.labels(day.platform).set(day.rate)
            CAPACITY_DUE.labels(day.platform).set(day.due)
            CAPACITY_BACKLOG.labels(day.platform).set(backlog(day, now))
            CAPACITY_LATENESS.labels(day.platform).set(
                worst.lateness.total_seconds() if worst else 0
            )
            CAPACITY_SKIPPED.labels(day.platform).set(day.skipped)
            if day.short and self._warned.get(day.platform) != now.date():
                self._warned[day.platform] = now.date()
                await self._warn(warning_text(day))
        return self.latest

    async def _warn(self, text: str) -> None:
        logger.warning("capacity: %s", text)
        if self.notify is None:
            return
        try:
            await self.notify(f"⚠️ nudgebot capacity: {text}")
        except Exception:
            logger.exception("telling the operators about capacity failed; the log has it")


__all__ = ["HORIZON", "CapacityWatch", "Notify", "backlog", "capacity_today", "platform_rates"]
