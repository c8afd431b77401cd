"""The batched delivery engine: claim a batch, create its rows, send, record; repeat.

See docs/architecture.md, the engine. Each kind of work is drained in batches, nudges
first: one statement leases up to ``batch_size`` due items and one insert creates their
rows, not yet started; the batch is sent concurrently, the adapters' rate limiters
setting the pace, and each send is recorded as started just before its platform call,
in small groups (:mod:`.starts`; invariant 1 in docs/architecture.md); all outcomes are
recorded in one transaction. The next batch is
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
   settles those that need no send (already done, found started after a crash:
   unknown), **commits**, and returns a :class:`~nudgebot.engine.work.Batch` of
   :class:`~nudgebot.engine.work.Send` values;
2. ``start(sends)``: records in one statement that these sends start, only where the
   row still waits to start, and commits; returns which it recorded;
3. ``renew(batch, lease_until)``: moves the lease of the batch's rows it still holds;
4. ``record(batch, outcomes, now_utc)``: stores every outcome in one transaction. An
   outcome is an adapter's :data:`~nudgebot.core.sending.SendResult`, or a
   :class:`~nudgebot.engine.work.NotSent` for a send that never started: make that row
   claimable again at once (unless ``taken``: then it is another instance's).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from nudgebot.core.clock import Clock
from nudgebot.core.content import ContentPack
from nudgebot.core.sending import Adapter, MaybeDelivered, TransientFailure
from nudgebot.engine.metrics import TICKS, outcome_label
from nudgebot.engine.nudge_work import NudgeWork
from nudgebot.engine.starts import StartGroups, StartTaken
from nudgebot.engine.work import NOT_SENT, Batch, NotSent, Outcome, Send, TickReport, WorkSource
from nudgebot.store.db import Sessions

logger = logging.getLogger(__name__)

RECORD_RETRY_FIRST = 0.5
RECORD_RETRY_MAX = 10.0
"""Seconds between attempts to record a batch while the database is away (doubling)."""


class _Stopping(Exception):
    """Raised in place of a start once the engine is stopping: the send never begins."""


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
    _starts: dict[int, StartGroups[Send[Any]]] = field(init=False, repr=False)
    _stop_deadline: float | None = field(init=False, default=None)
    last_progress: float = field(init=False, default_factory=time.monotonic)
    """When a batch was last opened, a send ended or outcomes were recorded (monotonic):
    how ``/readyz`` tells a long fan-out from a stuck engine."""

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
        self._starts = {}

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
        self._stop_deadline = time.monotonic() + wait_seconds
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
                self.last_progress = time.monotonic()
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
                    # A bug, not an outage (those are retried): the rows stay `sending`
                    # and leased; found later, they become unknown.
                    logger.error("recording a batch failed", exc_info=result)
                else:
                    report.add(result)
        return report

    async def _send_and_record(self, source: WorkSource[Any], batch: Batch[Any]) -> TickReport:
        if not batch.sends:
            return TickReport()
        flight = _Flight(source, batch)
        flight.tasks = [asyncio.create_task(self._send(source, send)) for send in batch.sends]
        self._flights.add(flight)
        try:
            results = await asyncio.gather(*flight.tasks, return_exceptions=True)
            outcomes = [_outcome(s, r) for s, r in zip(batch.sends, results, strict=True)]
            return await self._record(source, batch, outcomes)
        finally:
            self._flights.discard(flight)

    async def _record(
        self, source: WorkSource[Any], batch: Batch[Any], outcomes: list[Outcome]
    ) -> TickReport:
        """Record the outcomes, retrying with back-off while the database is away.

        The platform has these messages: dropping the record would leave their rows
        ``sending`` and make them unknown. So it is retried until the database answers
        (an instance that marked them unknown meanwhile is corrected: the record sets
        them sent). Only a stop ends the retries; then one line says what was lost.
        """
        delay = RECORD_RETRY_FIRST
        while True:
            try:
                async with self._lease_lock:  # no renewal moves the lease under the record
                    report = await source.record(batch, outcomes, now_utc=self.clock())
                self.last_progress = time.monotonic()
                return report
            except (OSError, SQLAlchemyError) as error:
                if self._stop_deadline is not None and time.monotonic() >= self._stop_deadline:
                    counts = Counter(outcome_label(outcome) for outcome in outcomes)
                    logger.error(
                        "stopping with a batch of %d outcomes not recorded (%s): %s",
                        len(outcomes),
                        type(error).__name__,
                        ", ".join(f"{n} {label}" for label, n in sorted(counts.items())),
                    )
                    return TickReport()
                logger.warning(
                    "recording a batch failed (%s); retrying in %.1f s",
                    type(error).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECORD_RETRY_MAX)

    async def _send(self, source: WorkSource[Any], send: Send[Any]) -> Outcome:
        async with self._sending:
            if self._stopping:
                return NOT_SENT
            adapter = self.adapters.get(send.recipient.platform)
            if adapter is None:
                return TransientFailure(f"no adapter for {send.recipient.platform!r} here")

            async def starting() -> None:
                """Record the start (grouped), just before the adapter's platform call."""
                if self._stopping:
                    raise _Stopping
                await self._starts_of(source).start(send)
                send.started = True

            try:
                return await adapter.send(send.recipient, send.message, starting=starting)
            finally:
                self.last_progress = time.monotonic()

    def _starts_of(self, source: WorkSource[Any]) -> StartGroups[Send[Any]]:
        groups = self._starts.get(id(source))
        if groups is None:
            groups = self._starts[id(source)] = StartGroups(source.start)
        return groups

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
    if isinstance(result, StartTaken):
        return NotSent(taken=True)
    if not send.started:
        if isinstance(result, asyncio.CancelledError | _Stopping):
            return NOT_SENT
        logger.warning(
            "a %s send did not start (%s); it is tried again later",
            send.recipient.platform,
            type(result).__name__,
        )
        return NotSent(failed=True)
    if isinstance(result, asyncio.CancelledError):
        return MaybeDelivered("stopped inside the send call")
    # A bug inside an adapter: the request may have left, so it is never resent.
    logger.error("send to %s raised", send.recipient.platform, exc_info=result)
    return MaybeDelivered(f"send raised {type(result).__name__}")


__all__ = ["DeliveryEngine", "TickReport"]
