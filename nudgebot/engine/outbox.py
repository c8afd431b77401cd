"""Working through broadcast outboxes, in batches, on every instance (DESIGN.md 9).

Each round claims a batch of outbox rows in one statement (they are ``sending`` from that
commit on), sends them concurrently through the same adapters, limiters and error mapping
as nudges, and records every outcome in one transaction. A crash leaves the batch in
``sending``; once the lease has run out those rows become ``unknown``, counted and never
resent, and the rest of the outbox carries on from where it stopped. A second instance
claims other rows (``SKIP LOCKED``), so it helps instead of duplicating.

Nudges go first: before each batch :class:`OutboxSender` runs the nudge tick it was
given, so a nudge that falls due during a broadcast waits for at most one batch in
flight (``batch_size`` rows at the platform's rate).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import assert_never, cast

from sqlmodel import col, select

from nudgebot.adapters.base import (
    Adapter,
    Delivered,
    MaybeDelivered,
    Moved,
    RecipientGone,
    RetryLater,
    SendResult,
    TransientFailure,
)
from nudgebot.core.broadcast import BroadcastText
from nudgebot.core.content import Lang
from nudgebot.core.outbound import Message
from nudgebot.engine.metrics import BROADCAST_OUTCOMES, OUTBOX_BACKLOG
from nudgebot.store.broadcast_tables import Broadcast, OutboxStatus
from nudgebot.store.broadcasts import due_scheduled, finish_sent, start_sending
from nudgebot.store.db import Sessions
from nudgebot.store.outbox import (
    OutboxItem,
    OutboxOutcome,
    claim_outbox,
    expire_stale,
    move_subscriber,
    outbox_backlog,
    record_outbox,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass
class OutboxReport:
    sent: int = 0
    gone: int = 0
    unknown: int = 0
    failed: int = 0
    retried: int = 0
    expired: int = 0


@dataclass
class OutboxSender:
    sessions: Sessions
    adapters: Mapping[str, Adapter]
    clock: Clock
    default_language: Lang
    batch_size: int = 50
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    _texts: dict[int, BroadcastText] = field(default_factory=dict, init=False, repr=False)

    async def tick(
        self, nudges_first: Callable[[], Awaitable[object]] | None = None
    ) -> OutboxReport:
        """Start due broadcasts and send until the outboxes are empty (nudges before each batch)."""
        report = OutboxReport()
        async with self.sessions() as session:
            for broadcast_id in await due_scheduled(session, self.clock()):
                await start_sending(session, broadcast_id, self.clock())
            report.expired = await expire_stale(session, now_utc=self.clock(), lease=self.lease)
        if report.expired:
            logger.warning("%s broadcast sends died inside the call; not resent", report.expired)
        while True:
            if nudges_first is not None:
                await nudges_first()
            async with self.sessions() as session:
                batch = await claim_outbox(session, now_utc=self.clock(), limit=self.batch_size)
            if not batch:
                break
            await self._send_batch(batch, report)
        async with self.sessions() as session:
            for broadcast_id in await finish_sent(session, self.clock()):
                logger.info("broadcast %s done", broadcast_id)
            OUTBOX_BACKLOG.set(await outbox_backlog(session))
        return report

    async def _send_batch(self, batch: list[OutboxItem], report: OutboxReport) -> None:
        messages = await self._messages(batch)
        results = await asyncio.gather(*(self._send(item, messages) for item in batch))
        now = self.clock()
        outcomes: list[OutboxOutcome] = []
        gone: list[int] = []
        moves: dict[int, str] = {}
        for item, result in zip(batch, results, strict=True):
            status, not_before = self._outcome(item, result, now)
            if isinstance(result, RecipientGone) and not item.stopped:
                gone.append(item.subscriber_id)
            if isinstance(result, Moved):
                moves[item.subscriber_id] = result.new_address
            outcomes.append(OutboxOutcome(item.row_id, status, not_before))
            label = "retried" if status == OutboxStatus.PENDING else status.value
            setattr(report, label, getattr(report, label) + 1)
            BROADCAST_OUTCOMES.labels(platform=item.recipient.platform, outcome=label).inc()
        async with self.sessions() as session:
            for subscriber_id, address in moves.items():
                await move_subscriber(session, subscriber_id, address)
            await record_outbox(session, outcomes, now_utc=now, stop_subscribers=gone)

    def _outcome(
        self, item: OutboxItem, result: SendResult | None, now: datetime
    ) -> tuple[OutboxStatus, datetime | None]:
        match result:
            case None:  # the subscriber stopped after the audience was expanded
                return OutboxStatus.GONE, None
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
                assert_never(result)

    async def _send(
        self, item: OutboxItem, messages: dict[tuple[int, str], Message]
    ) -> SendResult | None:
        if item.stopped:
            return None
        adapter = self.adapters.get(item.recipient.platform)
        if adapter is None:
            return TransientFailure(f"no adapter for {item.recipient.platform!r} in this instance")
        try:
            return await adapter.send(item.recipient, messages[(item.broadcast_id, item.language)])
        except Exception:
            # A bug must not lose the batch's other outcomes; this row may have left.
            logger.exception("broadcast send to subscriber %s failed", item.subscriber_id)
            return MaybeDelivered("the send raised")

    async def _messages(self, batch: list[OutboxItem]) -> dict[tuple[int, str], Message]:
        missing = {item.broadcast_id for item in batch} - set(self._texts)
        if missing:
            async with self.sessions() as session:
                rows = await session.exec(select(Broadcast).where(col(Broadcast.id).in_(missing)))
                for broadcast in rows.all():
                    assert broadcast.id is not None
                    texts = {"nl": broadcast.text_nl, "en": broadcast.text_en}
                    self._texts[broadcast.id] = BroadcastText(
                        texts=cast(dict[Lang, str], texts), link=broadcast.link
                    )
        return {
            (item.broadcast_id, item.language): self._texts[item.broadcast_id].render(
                cast(Lang, item.language), default_language=self.default_language
            )
            for item in batch
        }


__all__ = ["OutboxReport", "OutboxSender"]
