"""The process clock: APScheduler runs the due tick, the outbox and the nightly retention.

Per-subscriber timing lives in the database (docs/architecture.md, the engine), so the scheduler
holds one periodic job however many subscribers there are. ``coalesce`` and
``max_instances=1`` keep a slow tick from piling up copies of itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from nudgebot.engine.capacity import CapacityWatch
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.outbox import OutboxWork, tick_with_outbox
from nudgebot.engine.retention import Retention

logger = logging.getLogger(__name__)

RETENTION_AT_UTC = {"hour": 3, "minute": 17}
"""When the retention job runs each day: a quiet hour in Europe, off the hour."""
RETENTION_JITTER_SECONDS = 600
"""Instances started together do not all delete at the same second."""
CAPACITY_EVERY_SECONDS = 300
"""How often the capacity forecast is renewed: a grouped query over the due index."""


class Ticker:
    def __init__(
        self,
        engine: DeliveryEngine,
        *,
        interval_seconds: float,
        outbox: OutboxWork | None = None,
        retention: Retention | None = None,
        capacity: CapacityWatch | None = None,
    ) -> None:
        self._engine = engine
        self._capacity = capacity
        self._outbox = outbox
        self._retention = retention
        self._interval = interval_seconds
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: asyncio.Task[object] | None = None
        self.last_finished = time.monotonic()
        """When the last tick ended without an error (``time.monotonic``); start-up counts."""

    @property
    def interval_seconds(self) -> float:
        return self._interval

    @property
    def ticking(self) -> bool:
        """Whether a tick is running now (a fan-out can run for many intervals)."""
        return self._running is not None

    @property
    def last_progress(self) -> float:
        """When the engine last moved: a batch opened, a send ended, a record landed."""
        return self._engine.last_progress

    def start(self) -> None:
        self.last_finished = time.monotonic()
        self._scheduler.add_job(
            self._tick,
            "interval",
            seconds=self._interval,
            next_run_time=datetime.now(UTC),
            coalesce=True,
            max_instances=1,
            id="due-tick",
        )
        if self._retention is not None:
            self._scheduler.add_job(
                self._retain,
                "cron",
                **RETENTION_AT_UTC,
                jitter=RETENTION_JITTER_SECONDS,
                coalesce=True,
                max_instances=1,
                id="retention",
            )
        if self._capacity is not None:
            self._scheduler.add_job(
                self._forecast,
                "interval",
                seconds=CAPACITY_EVERY_SECONDS,
                next_run_time=datetime.now(UTC),
                coalesce=True,
                max_instances=1,
                id="capacity",
            )
        self._scheduler.start()

    async def _forecast(self) -> None:
        assert self._capacity is not None
        try:
            await self._capacity.check()
        except Exception:
            logger.exception("capacity forecast failed; it runs again in a few minutes")

    async def _retain(self) -> None:
        assert self._retention is not None
        try:
            await self._retention.run()
        except Exception:
            logger.exception("retention failed; it runs again tomorrow")

    async def _tick(self) -> None:
        self._running = asyncio.current_task()
        try:
            report = await tick_with_outbox(self._engine, self._outbox)
            if report.claimed:
                logger.info("tick: %s", report)
            self.last_finished = time.monotonic()
        except Exception:
            logger.exception("due tick failed; the next tick retries")
        finally:
            self._running = None

    async def stop(self, *, wait_seconds: float = 20.0) -> None:
        """Stop ticking; in-flight sends get ``wait_seconds`` (see :meth:`DeliveryEngine.stop`).

        The engine gives back unsent claims at once; waiting inside APScheduler's
        ``shutdown`` would block the loop, so the running tick is awaited here first.
        """
        self._scheduler.pause()
        await self._engine.stop(wait_seconds=wait_seconds)
        if self._running is not None:
            await asyncio.wait({self._running}, timeout=wait_seconds)
        self._scheduler.shutdown(wait=False)
