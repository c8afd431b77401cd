"""Broadcast outboxes as a kind of batched work, riding the nudges' delivery path.

Invariant 9 of docs/architecture.md, through :class:`~nudgebot.engine.delivery.DeliveryEngine`'s
:class:`~nudgebot.engine.work.WorkSource` protocol: :meth:`OutboxWork.open_batch` leases
outbox rows in one statement; the engine sends them through the same adapters, rate
limiters and error mapping as nudges, marking each ``sending`` just before its platform
call (:meth:`OutboxWork.start`, a few rows a statement); :meth:`OutboxWork.record` stores
every outcome in one transaction. A row still ``sending`` once its lease ran out died
inside its call and becomes ``unknown``: counted, never resent; one leased but never
started is sent by the next claim. A second instance claims other
rows (``SKIP LOCKED``), so it helps instead of duplicating.

Nudges go first: the engine drains the nudges before this source in every tick, and a
batch here is at most ``batch_size`` rows (much less than the engine's), so the drain
stops after one batch. :class:`~nudgebot.engine.scheduler.Ticker` ticks again while
:attr:`OutboxWork.has_more`: due nudges, then the next outbox batch, and so on. A nudge
that falls due during a broadcast waits at most for the one outbox batch in flight.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import assert_never

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.broadcast import BroadcastText
from nudgebot.core.clock import Clock
from nudgebot.core.content import Lang
from nudgebot.core.outbound import Message
from nudgebot.core.sending import (
    Delivered,
    MaybeDelivered,
    Moved,
    RecipientGone,
    RetryLater,
    TransientFailure,
)
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.metrics import BROADCAST_OUTCOMES, OUTBOX_BACKLOG
from nudgebot.engine.work import (
    START_FAILED_RETRY_SECONDS,
    Batch,
    NotSent,
    Outcome,
    Send,
    TickReport,
)
from nudgebot.store.broadcasts import due_scheduled, finish_sent, start_sending
from nudgebot.store.db import Sessions
from nudgebot.store.outbox import (
    OutboxItem,
    OutboxOutcome,
    claim_outbox,
    expire_stale,
    move_subscriber,
    outbox_backlog,
    outbox_has_work,
    record_outbox,
    renew_outbox,
    start_outbox,
)
from nudgebot.store.tables import Broadcast, OutboxStatus

logger = logging.getLogger(__name__)


@dataclass
class OutboxWork:
    sessions: Sessions
    clock: Clock
    default_language: Lang
    lease: timedelta = timedelta(seconds=60)
    batch_size: int = 50
    max_attempts: int = 5
    has_more: bool = field(default=False, init=False)
    """The last claim filled a whole batch: tick again (nudges first) for the next one."""
    _texts: dict[int, BroadcastText] = field(default_factory=dict, init=False, repr=False)

    async def open_batch(
        self, *, now_utc: datetime, lease_until: datetime, limit: int
    ) -> Batch[OutboxItem]:
        """Start due broadcasts, expire dead claims, claim one batch ``sending``; commits.

        With no broadcast sending or due and no row in flight (most ticks), all of that
        is skipped after one query.
        """
        batch: Batch[OutboxItem] = Batch(lease_until=lease_until)
        async with self.sessions() as session:
            if not await outbox_has_work(session, now_utc):  # the usual tick: one query
                self.has_more = False
                OUTBOX_BACKLOG.set(0)
                return batch
            for broadcast_id in await due_scheduled(session, now_utc):
                await start_sending(session, broadcast_id, now_utc)
            expired = await expire_stale(session, now_utc=now_utc, lease=self.lease)
            items = await claim_outbox(
                session, now_utc=now_utc, lease=self.lease, limit=min(limit, self.batch_size)
            )
            if not items:  # the last rows may have expired rather than been recorded
                await self._finish(session, now_utc)
        if expired:
            logger.warning("%s broadcast sends died inside the call; not resent", expired)
            batch.settled.unknown = expired
        self.has_more = len(items) == min(limit, self.batch_size)
        batch.leased = len(items)
        messages = await self._messages(items)
        batch.sends = [
            Send(item.recipient, messages[(item.broadcast_id, item.language)], item)
            for item in items
            if not item.stopped
        ]
        stopped = [item for item in items if item.stopped]
        if stopped:  # stopped after the audience was expanded: they get nothing
            async with self.sessions() as session:
                gone = [OutboxOutcome(item.row_id, OutboxStatus.GONE) for item in stopped]
                await record_outbox(session, gone, now_utc=now_utc)
            batch.settled.gone += len(stopped)
        return batch

    async def start(self, sends: Sequence[Send[OutboxItem]]) -> set[int]:
        ids = [send.work.row_id for send in sends]
        async with self.sessions() as session:
            started = await start_outbox(session, ids)
        return {n for n, row_id in enumerate(ids) if row_id in started}

    async def renew(self, batch: Batch[OutboxItem], *, lease_until: datetime) -> None:
        async with self.sessions() as session:
            await renew_outbox(
                session, [send.work.row_id for send in batch.sends], claimed_utc=self.clock()
            )

    async def record(
        self, batch: Batch[OutboxItem], outcomes: list[Outcome], *, now_utc: datetime
    ) -> TickReport:
        """Every outcome of the batch in one transaction; then finish what is done."""
        report = TickReport()
        rows: list[OutboxOutcome] = []
        gone: list[int] = []
        moves: dict[int, str] = {}
        for send, outcome in zip(batch.sends, outcomes, strict=True):
            item = send.work
            if isinstance(outcome, NotSent) and outcome.taken:
                continue  # another instance started this row: its outcome is theirs
            status, not_before = self._status(item, outcome, now_utc)
            rows.append(OutboxOutcome(item.row_id, status, not_before))
            if isinstance(outcome, RecipientGone):
                gone.append(item.subscriber_id)
            if isinstance(outcome, Moved):
                moves[item.subscriber_id] = outcome.new_address
            label = _count(report, status, outcome)
            BROADCAST_OUTCOMES.labels(platform=item.recipient.platform, outcome=label).inc()
        async with self.sessions() as session:
            for subscriber_id, address in moves.items():
                await move_subscriber(session, subscriber_id, address)
            await record_outbox(session, rows, now_utc=now_utc, stop_subscribers=gone)
            await self._finish(session, now_utc)
        return report

    async def _finish(self, session: AsyncSession, now_utc: datetime) -> None:
        for broadcast_id in await finish_sent(session, now_utc):
            logger.info("broadcast %s done", broadcast_id)
        OUTBOX_BACKLOG.set(await outbox_backlog(session))

    def _status(
        self, item: OutboxItem, outcome: Outcome, now: datetime
    ) -> tuple[OutboxStatus, datetime | None]:
        match outcome:
            case NotSent(failed=True):  # its start could not be recorded: a bit later
                return OutboxStatus.PENDING, now + timedelta(seconds=START_FAILED_RETRY_SECONDS)
            case NotSent():  # the engine stopped first: claimable again at once
                return OutboxStatus.PENDING, None
            case Delivered():
                return OutboxStatus.SENT, None
            case RecipientGone():
                return OutboxStatus.GONE, None
            case MaybeDelivered():
                return OutboxStatus.UNKNOWN, None
            case RetryLater(seconds=seconds):
                return OutboxStatus.PENDING, now + timedelta(seconds=max(seconds, 1.0))
            case Moved():
                return OutboxStatus.PENDING, None
            case TransientFailure(skip_day=True):
                return OutboxStatus.FAILED, None
            case TransientFailure():
                if item.attempts >= self.max_attempts:
                    return OutboxStatus.FAILED, None
                backoff = min(30 * 2 ** (item.attempts - 1), 15 * 60)
                return OutboxStatus.PENDING, now + timedelta(seconds=backoff)
            case _:
                assert_never(outcome)

    async def _messages(self, batch: list[OutboxItem]) -> dict[tuple[int, str], Message]:
        missing = {item.broadcast_id for item in batch} - set(self._texts)
        if missing:
            async with self.sessions() as session:
                rows = await session.exec(select(Broadcast).where(col(Broadcast.id).in_(missing)))
                for broadcast in rows.all():
                    assert broadcast.id is not None
                    texts: dict[Lang, str] = {"nl": broadcast.text_nl, "en": broadcast.text_en}
                    self._texts[broadcast.id] = BroadcastText(texts=texts, link=broadcast.link)
        return {
            (item.broadcast_id, item.language): self._texts[item.broadcast_id].render(
                item.language, default_language=self.default_language
            )
            for item in batch
        }


async def tick_with_outbox(engine: DeliveryEngine, outbox: OutboxWork | None) -> TickReport:
    """One round of the ticker: engine ticks until the outbox has nothing more due.

    Each engine tick sends the due nudges, then one outbox batch; a tick that claims
    nothing (the engine is stopping) ends the round.
    """
    report = last = await engine.tick()
    while last.claimed and outbox is not None and outbox.has_more:
        last = await engine.tick()
        report.add(last)
    return report


def _count(report: TickReport, status: OutboxStatus, outcome: Outcome) -> str:
    """Add one outcome to the report; returns its metrics label."""
    if isinstance(outcome, NotSent):
        report.released += 1
        return "released"
    if status == OutboxStatus.PENDING:
        report.retried += 1
        return "retried"
    setattr(report, status.value, getattr(report, status.value) + 1)
    return status.value


__all__ = ["OutboxWork", "tick_with_outbox"]
