"""The batched delivery engine: claim a batch, create its rows, send, record; repeat.

See docs/architecture.md, the engine. Each kind of work is drained in batches, nudges
first: one statement leases up to ``batch_size`` due items and one insert creates their
rows already ``sending`` (that commit is the record that the platform calls start,
invariant 1 of docs/architecture.md); the batch is sent concurrently, the adapters' rate limiters
setting the pace; all outcomes are recorded in one transaction. The next batch is
claimed while the previous one is still sending, so the database and the platform work
at the same time (at most two batches in flight per kind).

Leases are short (``lease``, a minute by default) and renewed every third of it while
a batch is in flight, so a slow platform never loses its work to another instance, and
an instance that dies leaves its subscribers waiting at most one lease.

Stopping: :meth:`DeliveryEngine.stop` stops claiming, gives back at once
every claimed row whose send had not started, lets sends already in a platform call
finish within a timeout, and marks those it had to cut off ``unknown``.

How a second kind of work plugs in
----------------------------------
Implement :class:`~nudgebot.engine.work.WorkSource` (the nudges are
:class:`~nudgebot.engine.nudge_work.NudgeWork`) and pass it to :meth:`DeliveryEngine.add_work`;
kinds are drained in the order added, after the nudges. A source:

1. ``open_batch(now_utc, lease_until, limit)``: leases up to ``limit`` due rows in one
   statement (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, through :mod:`nudgebot.store`),
   marks them ``sending``, settles those that need no send (already done, found
   ``sending`` after a crash: unknown), **commits**, and returns a
   :class:`~nudgebot.engine.work.Batch` of :class:`~nudgebot.engine.work.Send` values;
2. ``renew(batch, lease_until)``: moves the lease of the batch's rows it still holds;
3. ``record(batch, outcomes, now_utc)``: stores every outcome in one transaction. An
   outcome is an adapter's :data:`~nudgebot.core.sending.SendResult`, or
   :data:`~nudgebot.engine.work.NOT_SENT` for a send that never started: make that row
   claimable again at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from nudgebot.core.clock import Clock
from nudgebot.core.content import ContentPack
from nudgebot.core.sending import Adapter, MaybeDelivered, TransientFailure
from nudgebot.engine.metrics import TICKS
from nudgebot.engine.nudge_work import NudgeWork
from nudgebot.engine.work import NOT_SENT, Batch, Outcome, Send, TickReport, WorkSource
from nudgebot.store.db import Sessions

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class _Flight:
    """A batch between its claim and its record."""

    source: WorkSource[Any]
    batch: Batch[Any]
    tasks: list[asyncio.Task[Outcome]] = field(default_factory=list)


@dataclass
class DeliveryEngine:
    sessions: Sessions
    pack: ContentPack
    adapters: Mapping[str, Adapter]
    clock: Clock
    grace: timedelta = timedelta(hours=3)
    lease: timedelta = timedelta(seconds=60)
    max_attempts: int = 5
    batch_size: int = 500
    concurrency: int = 100
    renew_every: float | None = None
    """Real seconds between lease renewals; a third of ``lease`` when None."""
    nudges: NudgeWork = field(init=False)
    _work: list[WorkSource[Any]] = field(init=False)
    _sending: asyncio.Semaphore = field(init=False, repr=False)
    _lease_lock: asyncio.Lock = field(init=False, repr=False)
    _flights: set[_Flight] = field(init=False, repr=False)
    _stopping: bool = field(init=False, default=False)
    _ticks: int = field(init=False, default=0)
    _idle: asyncio.Event = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.nudges = NudgeWork(
            sessions=self.sessions, pack=self.pack, grace=self.grace, max_attempts=self.max_attempts
        )
        self._work = [self.nudges]
        self._sending = asyncio.Semaphore(self.concurrency)
        self._lease_lock = asyncio.Lock()
        self._flights = set()
        self._idle = asyncio.Event()
        self._idle.set()

    def add_work(self, source: WorkSource[Any]) -> None:
        """Deliver another kind of work on this path, after the nudges (and earlier kinds)."""
        self._work.append(source)

    async def tick(self) -> TickReport:
        """Deliver everything due now; returns when every claimed item is recorded."""
        report = TickReport()
        if self._stopping:
            return report
        TICKS.inc()
        self._ticks += 1
        self._idle.clear()
        renewer = asyncio.create_task(self._renew_leases())
        try:
            for source in self._work:
                report.add(await self._drain(source))
        finally:
            renewer.cancel()
            self._ticks -= 1
            if self._ticks == 0:
                self._idle.set()
        return report

    async def stop(self, *, wait_seconds: float) -> None:
        """Stop delivering, for a graceful shutdown (SIGTERM); returns when all is recorded.

        At once: no new batch is claimed, and every claimed row whose send has not
        started is given back (claimable by any instance now, not after the lease).
        Sends already in a platform call get ``wait_seconds`` to finish; those still
        running then are cut off and recorded ``unknown`` (they may have arrived).
        Later calls of :meth:`tick` do nothing.
        """
        self._stopping = True
        for flight in self._flights:
            for send, task in zip(flight.batch.sends, flight.tasks, strict=False):
                if not send.started:
                    task.cancel()
        try:
            await asyncio.wait_for(self._idle.wait(), wait_seconds)
        except TimeoutError:
            for flight in self._flights:
                for task in flight.tasks:
                    task.cancel()
            await self._idle.wait()

    async def _drain(self, source: WorkSource[Any]) -> TickReport:
        report = TickReport()
        in_flight = asyncio.Semaphore(2)  # one batch sending while the next is claimed
        recording: list[asyncio.Task[TickReport]] = []
        try:
            while not self._stopping:
                await in_flight.acquire()
                now = self.clock()
                try:
                    batch = await source.open_batch(
                        now_utc=now, lease_until=now + self.lease, limit=self.batch_size
                    )
                except BaseException:
                    in_flight.release()
                    raise
                report.claimed += batch.leased
                report.add(batch.settled)
                task = asyncio.create_task(self._send_and_record(source, batch))
                task.add_done_callback(lambda _: in_flight.release())
                recording.append(task)
                if batch.leased < self.batch_size:
                    break
        finally:
            for result in await asyncio.gather(*recording, return_exceptions=True):
                if isinstance(result, BaseException):
                    # The rows stay `sending` and leased: found later, they become unknown.
                    logger.error("recording a batch failed", exc_info=result)
                else:
                    report.add(result)
        return report

    async def _send_and_record(self, source: WorkSource[Any], batch: Batch[Any]) -> TickReport:
        if not batch.sends:
            return TickReport()
        flight = _Flight(source, batch)
        flight.tasks = [asyncio.create_task(self._send(send)) for send in batch.sends]
        self._flights.add(flight)
        try:
            results = await asyncio.gather(*flight.tasks, return_exceptions=True)
            outcomes = [_outcome(s, r) for s, r in zip(batch.sends, results, strict=True)]
            async with self._lease_lock:  # no renewal moves the lease under the record
                return await source.record(batch, outcomes, now_utc=self.clock())
        finally:
            self._flights.discard(flight)

    async def _send(self, send: Send[Any]) -> Outcome:
        async with self._sending:
            if self._stopping:
                return NOT_SENT
            adapter = self.adapters.get(send.recipient.platform)
            if adapter is None:
                return TransientFailure(f"no adapter for {send.recipient.platform!r} here")
            send.started = True
            return await adapter.send(send.recipient, send.message)

    async def _renew_leases(self) -> None:
        every = self.renew_every or self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            for flight in list(self._flights):
                async with self._lease_lock:
                    if flight not in self._flights:
                        continue
                    lease_until = self.clock() + self.lease
                    try:
                        await flight.source.renew(flight.batch, lease_until=lease_until)
                    except Exception:
                        logger.exception("renewing a lease failed; it may run out")
                        continue
                    flight.batch.lease_until = lease_until


def _outcome(send: Send[Any], result: Outcome | BaseException) -> Outcome:
    if not isinstance(result, BaseException):
        return result
    if not send.started:
        return NOT_SENT
    if isinstance(result, asyncio.CancelledError):
        return MaybeDelivered("stopped inside the send call")
    # A bug inside an adapter: the request may have left, so it is never resent.
    logger.error("send to %s raised", send.recipient.platform, exc_info=result)
    return MaybeDelivered(f"send raised {type(result).__name__}")


__all__ = ["DeliveryEngine", "TickReport"]
