"""The due tick: claim due subscribers in the database, send their nudge, record the outcome.

DESIGN.md invariants 1, 2 and 4 are this module's job:

1. A subscriber is *claimed* by a compare-and-set on ``next_due_utc`` (another engine
   that read the same row loses the update), which also leases the row for
   :attr:`DeliveryEngine.lease`. The day's delivery row is unique per local date; it is
   set to ``sending`` and committed just before the platform call. A claim that died
   before that point is retried when the lease runs out; one that died inside the call
   is found in ``sending`` and marked ``unknown``, never resent.
2. After downtime a nudge late by less than the grace window is still sent; an older one
   is recorded as skipped and the subscriber moves to their next due time.
4. Outcomes come from the adapter as values: gone stops the subscription for good,
   retry-after moves the due time, transient failures back off a bounded number of times.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import assert_never

from sqlalchemy import update
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
from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.core.notes import render_nudge
from nudgebot.core.outbound import Message
from nudgebot.core.timing import due_utc_on
from nudgebot.engine.metrics import TICKS, count_outcome, outcome_label
from nudgebot.store.db import Sessions
from nudgebot.store.deliveries import claim_day, skip_day
from nudgebot.store.habits import notes_for
from nudgebot.store.subscribers import find_subscriber, reschedule, zone_of
from nudgebot.store.tables import Delivery, DeliveryStatus, Status, Subscriber

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MAX_FAILED_DAYS = 3
"""Days in a row an unexplained refusal may skip before the subscription stops."""


@dataclass
class TickReport:
    """What one tick did, for logs, metrics and the simulator."""

    claimed: int = 0
    sent: int = 0
    skipped_late: int = 0
    unknown: int = 0
    gone: int = 0
    retried: int = 0
    failed: int = 0
    already_done: int = 0

    def add(self, other: TickReport) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass
class DeliveryEngine:
    sessions: Sessions
    pack: ContentPack
    adapters: Mapping[str, Adapter]
    clock: Clock
    grace: timedelta = timedelta(hours=3)
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    batch_size: int = 500
    concurrency: int = 100
    _semaphore: asyncio.Semaphore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._semaphore = asyncio.Semaphore(self.concurrency)

    async def tick(self) -> TickReport:
        """Deliver everything due now; returns when every claimed subscriber is handled."""
        report = TickReport()
        TICKS.inc()
        while True:
            claimed = await self.claim_due(self.clock())
            if not claimed:
                return report
            report.claimed += len(claimed)
            results = await asyncio.gather(*(self._guarded(sid) for sid in claimed))
            for result in results:
                report.add(result)
            if len(claimed) < self.batch_size:
                return report

    async def claim_due(self, now_utc: datetime) -> list[int]:
        """Lease due subscribers to this engine: only one engine wins each row."""
        lease_until = now_utc + self.lease
        async with self.sessions() as session:
            statement = (
                select(Subscriber.id, Subscriber.next_due_utc)
                .where(
                    col(Subscriber.status).in_((Status.ACTIVE, Status.PAUSED)),
                    col(Subscriber.next_due_utc) <= now_utc,
                )
                .order_by(col(Subscriber.next_due_utc))
                .limit(self.batch_size)
            )
            bind = session.bind
            if bind is not None and bind.dialect.name == "postgresql":
                # Instances skip each other's locked rows instead of queueing on them.
                statement = statement.with_for_update(skip_locked=True)
            rows = (await session.exec(statement)).all()
            claimed: list[int] = []
            for subscriber_id, seen_due in rows:
                result = await session.exec(
                    update(Subscriber)
                    .where(
                        col(Subscriber.id) == subscriber_id,
                        col(Subscriber.next_due_utc) == seen_due,
                    )
                    .values(next_due_utc=lease_until)
                )
                if result.rowcount == 1 and subscriber_id is not None:
                    claimed.append(subscriber_id)
            await session.commit()
        return claimed

    async def _guarded(self, subscriber_id: int) -> TickReport:
        async with self._semaphore:
            try:
                return await self.deliver(subscriber_id)
            except Exception:
                # A bug for one subscriber must not stop the others; the lease expires
                # and the claim is retried (or found in `sending` and not resent).
                logger.exception("delivery to subscriber %s failed", subscriber_id)
                return TickReport(failed=1)

    async def deliver(self, subscriber_id: int) -> TickReport:
        """Handle one claimed subscriber: send today's nudge at most once."""
        now = self.clock()
        async with self.sessions() as session:
            subscriber = await session.get(Subscriber, subscriber_id)
            if subscriber is None or subscriber.next_local_date is None:
                return TickReport()
            day = subscriber.next_local_date
            due = due_utc_on(day, subscriber.local_time, zone_of(subscriber))
            if subscriber.status == Status.PAUSED:
                subscriber.status = Status.ACTIVE
                subscriber.paused_until = None
            if now - due > self.grace:
                await skip_day(session, subscriber_id=subscriber_id, local_date=day)
                await reschedule(session, subscriber, after_utc=now - self.grace)
                await session.commit()
                logger.info(
                    "skipped %s for subscriber %s: late by %s", day, subscriber_id, now - due
                )
                count_outcome(subscriber.platform, "skipped_late")
                return TickReport(skipped_late=1)
            # A new row is created already `sending`: its commit is the record that the
            # platform call is starting (nothing but rendering happens in between).
            delivery, created = await claim_day(
                session,
                subscriber=subscriber,
                local_date=day,
                pack=self.pack,
                status=DeliveryStatus.SENDING,
            )
            if not created and delivery.status == DeliveryStatus.SENDING:
                delivery.status = DeliveryStatus.UNKNOWN
                session.add(delivery)
                await reschedule(session, subscriber, after_utc=now)
                await session.commit()
                logger.warning("delivery %s died inside the send call; not resent", delivery.id)
                count_outcome(subscriber.platform, "unknown")
                return TickReport(unknown=1)
            if not created and delivery.status != DeliveryStatus.CLAIMED:
                await reschedule(session, subscriber, after_utc=now)
                await session.commit()
                return TickReport(already_done=1)
            if not created:  # a retry of a claim that never reached the platform
                delivery.status = DeliveryStatus.SENDING
                delivery.attempts += 1
                session.add(delivery)
                await session.commit()
            recipient = Recipient(subscriber.platform, subscriber.address, subscriber.workspace)
            item = self.pack.get(delivery.item_id)
            assert item is not None and delivery.id is not None
            message = render_nudge(
                self.pack,
                item,
                subscriber.language,
                delivery_id=delivery.id,
                notes=await notes_for(session, subscriber_id, day),
            )
        result = await self._send(recipient, message)
        return await self.record(subscriber_id, delivery.id, result)

    async def _send(self, recipient: Recipient, message: Message) -> SendResult:
        adapter = self.adapters.get(recipient.platform)
        if adapter is None:
            return TransientFailure(f"no adapter for {recipient.platform!r} in this instance")
        return await adapter.send(recipient, message)

    async def record(self, subscriber_id: int, delivery_id: int, result: SendResult) -> TickReport:
        """Store what the platform said, and when this subscriber is due next."""
        now = self.clock()
        async with self.sessions() as session:
            subscriber = await session.get(Subscriber, subscriber_id)
            delivery = await session.get(Delivery, delivery_id)
            assert subscriber is not None and delivery is not None
            report = TickReport()
            match result:
                case Delivered(ref=ref):
                    delivery.status = DeliveryStatus.SENT
                    delivery.platform_ref = ref or None
                    delivery.sent_utc = now
                    subscriber.failed_days = 0
                    await reschedule(session, subscriber, after_utc=now)
                    report.sent = 1
                case RecipientGone(reason=reason):
                    delivery.status = DeliveryStatus.GONE
                    subscriber.status = Status.STOPPED
                    await reschedule(session, subscriber, after_utc=now)
                    logger.info("subscriber %s is gone (%s); stopped", subscriber_id, reason)
                    report.gone = 1
                case Moved(new_address=new_address):
                    delivery.status = DeliveryStatus.CLAIMED
                    subscriber.next_due_utc = now
                    moved_to = Recipient(subscriber.platform, new_address, subscriber.workspace)
                    if await find_subscriber(session, moved_to) is None:
                        subscriber.address = new_address
                    else:  # the new chat subscribed on its own already: it carries on
                        delivery.status = DeliveryStatus.GONE
                        subscriber.status = Status.STOPPED
                        await reschedule(session, subscriber, after_utc=now)
                    report.retried = 1
                case MaybeDelivered(reason=reason):
                    delivery.status = DeliveryStatus.UNKNOWN
                    await reschedule(session, subscriber, after_utc=now)
                    logger.warning(
                        "delivery %s may have arrived (%s); not resent", delivery_id, reason
                    )
                    report.unknown = 1
                case RetryLater(seconds=seconds):
                    delivery.status = DeliveryStatus.CLAIMED
                    subscriber.next_due_utc = now + timedelta(seconds=max(seconds, 1.0))
                    report.retried = 1
                case TransientFailure(skip_day=True):
                    delivery.status = DeliveryStatus.SKIPPED
                    subscriber.failed_days += 1
                    if subscriber.failed_days >= MAX_FAILED_DAYS:
                        subscriber.status = Status.STOPPED
                    await reschedule(session, subscriber, after_utc=now)
                    report.failed = 1
                case TransientFailure(reason=reason):
                    if delivery.attempts < self.max_attempts:
                        delivery.status = DeliveryStatus.CLAIMED
                        backoff = min(30 * 2 ** (delivery.attempts - 1), 15 * 60)
                        subscriber.next_due_utc = now + timedelta(seconds=backoff)
                        report.retried = 1
                    else:
                        delivery.status = DeliveryStatus.FAILED
                        await reschedule(session, subscriber, after_utc=now)
                        report.failed = 1
                    logger.info("send to %s failed (%s)", subscriber_id, reason)
                case _:
                    assert_never(result)
            session.add_all((subscriber, delivery))
            await session.commit()
        count_outcome(subscriber.platform, outcome_label(result))
        return report
