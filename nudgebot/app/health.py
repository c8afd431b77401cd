"""``/healthz`` and ``/readyz``: is the process alive, and should it get traffic?

Liveness (``/healthz``) only says that the process serves HTTP: restarting an instance
because its database is down would not bring the database back. Readiness (``/readyz``)
is honest about what this instance can do right now, each check named in the JSON body,
503 when one fails:

* ``database``: a ``SELECT 1`` answers within :data:`DATABASE_TIMEOUT`;
* ``ticker``: the last due tick ended less than :data:`STALE_TICKS` tick intervals ago
  (a tick stuck in a platform call, or failing on every run, makes it stale);
* one entry per platform: the adapter's own :class:`~nudgebot.core.sending.Connection`
  (Telegram polling, waiting for the poller lock, or webhook set; Slack Socket Mode
  connected or HTTP routes mounted).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from nudgebot.core.sending import Adapter, ReportsConnection
from nudgebot.engine.scheduler import Ticker
from nudgebot.store.db import Sessions

DATABASE_TIMEOUT = 1.0
STALE_TICKS = 3


@dataclass(frozen=True, slots=True)
class Check:
    ok: bool
    detail: str


class Readiness:
    """The checks behind ``/readyz``; the ticker and adapters are attached once running.

    Routes must exist before the web server starts, while the ticker starts last, so the
    handler is bound first and :meth:`watch` fills in the rest; until then it is 503.
    """

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._ticker: Ticker | None = None
        self._adapters: Sequence[Adapter] = ()

    def watch(self, *, ticker: Ticker, adapters: Sequence[Adapter]) -> None:
        self._ticker = ticker
        self._adapters = adapters

    async def checks(self) -> dict[str, Check]:
        found = {"database": await self._database(), "ticker": self._ticker_check()}
        for adapter in self._adapters:
            if isinstance(adapter, ReportsConnection):
                connection = await adapter.connection()
                found[adapter.platform] = Check(connection.ready, connection.state)
        return found

    async def _database(self) -> Check:
        started = time.monotonic()
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT), self._sessions() as session:
                connection = await session.connection()
                await connection.exec_driver_sql("SELECT 1")
        except TimeoutError:
            return Check(False, f"no answer within {DATABASE_TIMEOUT:g} s")
        except (OSError, SQLAlchemyError) as error:
            return Check(False, f"unreachable ({type(error).__name__})")
        return Check(True, f"answered in {(time.monotonic() - started) * 1000:.0f} ms")

    def _ticker_check(self) -> Check:
        """Alive, not idle: a long fan-out is ready as long as it moves.

        Ready when the last tick finished within ``STALE_TICKS`` intervals, or when a
        tick is running and the engine moved (a batch opened, a send ended, a record
        landed) within that time. A tick stuck on a dead database or a hung platform
        stops moving and turns this check red.
        """
        if self._ticker is None:
            return Check(False, "not started")
        now = time.monotonic()
        limit = STALE_TICKS * self._ticker.interval_seconds
        if self._ticker.ticking:
            moved = now - self._ticker.last_progress
            if moved < limit:
                return Check(True, f"delivering; last progress {moved:.1f} s ago")
            return Check(False, f"delivering but stuck: no progress for {moved:.1f} s")
        age = now - self._ticker.last_finished
        if age >= limit:
            return Check(False, f"last tick finished {age:.1f} s ago (limit {limit:g} s)")
        return Check(True, f"last tick finished {age:.1f} s ago")

    async def handle(self, _request: web.Request) -> web.Response:
        checks = await self.checks()
        ready = all(check.ok for check in checks.values())
        body: dict[str, Any] = {
            "status": "ready" if ready else "not ready",
            "checks": {name: asdict(check) for name, check in checks.items()},
        }
        return web.json_response(body, status=200 if ready else 503)


async def handle_liveness(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


__all__ = ["Check", "Readiness", "handle_liveness"]
