"""What a platform's answer does to a nudge's row and its subscriber: pure rules.

Invariants 1 and 4. Outcomes come from the adapter as values: delivered moves
the subscriber to their next day; gone stops the subscription for good; retry-after
moves the due time (obeyed, not fought); a send that may have arrived is ``unknown``
and never resent; transient failures back off a bounded number of times. A send that
never started (the engine stopped) is given back: claimable again at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import assert_never

from nudgebot.core.frequency import Frequency
from nudgebot.core.sending import (
    Delivered,
    MaybeDelivered,
    Moved,
    RecipientGone,
    RetryLater,
    TransientFailure,
)
from nudgebot.engine.work import START_FAILED_RETRY_SECONDS, NotSent, Outcome, TickReport
from nudgebot.store.deliveries import DayRow, DeliveryState
from nudgebot.store.due import LeasedSubscriber, ScheduleChange
from nudgebot.store.subscribers import next_schedule
from nudgebot.store.tables import DeliveryStatus, Status

MAX_FAILED_DAYS = 3
"""Days in a row an unexplained refusal may skip before the subscription stops."""


@dataclass(frozen=True, slots=True)
class Settled:
    """The writes one outcome asks for, and how it counts."""

    delivery: DeliveryState
    subscriber: ScheduleChange
    report: TickReport


def due_again(
    subscriber: LeasedSubscriber,
    *,
    status: Status | None = None,
    after_utc: datetime,
    day_done: bool = True,
    failed_days: int | None = None,
) -> ScheduleChange:
    """The subscriber's next due time: the day after this one when ``day_done``.

    A subscriber leased while paused was due because the pause ended: they are active.
    """
    status = status or (Status.ACTIVE if subscriber.status == Status.PAUSED else subscriber.status)
    day = subscriber.next_local_date
    floor = day + timedelta(days=1) if day is not None and day_done else day
    next_date, next_due = next_schedule(
        status=status,
        paused_until=None,
        local_time=subscriber.local_time,
        timezone=subscriber.timezone,
        after_utc=after_utc,
        floor=floor,
        frequency=Frequency(subscriber.frequency),
    )
    return ScheduleChange(
        id=subscriber.id,
        status=status,
        failed_days=subscriber.failed_days if failed_days is None else failed_days,
        paused_until=None,
        next_local_date=next_date,
        next_due_utc=next_due,
    )


def retry_at(subscriber: LeasedSubscriber, when_utc: datetime) -> ScheduleChange:
    """Due again at ``when_utc``, for the same local date (a retry)."""
    return ScheduleChange(
        id=subscriber.id,
        status=Status.ACTIVE if subscriber.status == Status.PAUSED else subscriber.status,
        failed_days=subscriber.failed_days,
        paused_until=None,
        next_local_date=subscriber.next_local_date,
        next_due_utc=when_utc,
    )


def settle(
    subscriber: LeasedSubscriber,
    delivery: DayRow,
    outcome: Outcome,
    *,
    now_utc: datetime,
    max_attempts: int,
    moved_onto_existing: bool = False,
) -> Settled:
    """The rule for one outcome. ``moved_onto_existing``: a Moved chat that subscribed itself."""
    delivery_id, attempts = delivery.id, delivery.attempts

    def state(
        status: DeliveryStatus, *, ref: str | None = None, sent_utc: datetime | None = None
    ) -> DeliveryState:
        return DeliveryState(delivery_id, status, attempts, ref, sent_utc)

    match outcome:
        case Delivered(ref=ref):
            return Settled(
                state(DeliveryStatus.SENT, ref=ref or None, sent_utc=now_utc),
                due_again(subscriber, after_utc=now_utc, failed_days=0),
                TickReport(sent=1),
            )
        case RecipientGone():
            return Settled(
                state(DeliveryStatus.GONE),
                due_again(subscriber, status=Status.STOPPED, after_utc=now_utc),
                TickReport(gone=1),
            )
        case Moved():
            if moved_onto_existing:  # the new chat carries on with its own subscription
                return Settled(
                    state(DeliveryStatus.GONE),
                    due_again(subscriber, status=Status.STOPPED, after_utc=now_utc),
                    TickReport(retried=1),
                )
            return Settled(
                state(DeliveryStatus.CLAIMED), retry_at(subscriber, now_utc), TickReport(retried=1)
            )
        case MaybeDelivered():
            return Settled(
                state(DeliveryStatus.UNKNOWN),
                due_again(subscriber, after_utc=now_utc),
                TickReport(unknown=1),
            )
        case RetryLater(seconds=seconds):
            later = now_utc + timedelta(seconds=max(seconds, 1.0))
            return Settled(
                state(DeliveryStatus.CLAIMED), retry_at(subscriber, later), TickReport(retried=1)
            )
        case TransientFailure(skip_day=True):
            failed = subscriber.failed_days + 1
            status = Status.STOPPED if failed >= MAX_FAILED_DAYS else None
            return Settled(
                state(DeliveryStatus.SKIPPED),
                due_again(subscriber, status=status, after_utc=now_utc, failed_days=failed),
                TickReport(failed=1),
            )
        case TransientFailure():
            if attempts < max_attempts:
                backoff = min(30 * 2 ** (attempts - 1), 15 * 60)
                later = now_utc + timedelta(seconds=backoff)
                return Settled(
                    state(DeliveryStatus.CLAIMED),
                    retry_at(subscriber, later),
                    TickReport(retried=1),
                )
            return Settled(
                state(DeliveryStatus.FAILED),
                due_again(subscriber, after_utc=now_utc),
                TickReport(failed=1),
            )
        case NotSent(failed=failed):
            attempts -= 1  # the attempt never reached the platform
            later = now_utc + timedelta(seconds=START_FAILED_RETRY_SECONDS if failed else 0)
            return Settled(
                state(DeliveryStatus.CLAIMED),
                retry_at(subscriber, later),
                TickReport(released=1),
            )
        case _:
            assert_never(outcome)
