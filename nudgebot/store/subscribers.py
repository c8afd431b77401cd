"""Queries about subscribers and their schedule.

The schedule is two columns, ``next_due_utc`` and ``next_local_date``; every change of
time, zone, pause or status goes through :func:`reschedule` so the rule "never a second
nudge for a local date that already has one" lives in one place.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.chats import Recipient
from nudgebot.core.frequency import Frequency
from nudgebot.core.timing import next_due_from, zone
from nudgebot.store.tables import Delivery, Status, Subscriber


async def stop_subscriptions(
    session: AsyncSession,
    *,
    ids: Collection[int] | None = None,
    platform: str | None = None,
    workspace: str | None = None,
) -> int:
    """The one writer of "stop a subscription": stopped, and nothing due any more.

    Stops the subscribers ``ids``, or every one of a ``platform``'s ``workspace``; returns
    how many were live. Idempotent: stopped ones are left as they are. Does not commit.
    """
    if ids is None and (platform is None or workspace is None):
        raise ValueError("stop_subscriptions needs ids, or a platform and a workspace")
    statement = update(Subscriber).where(col(Subscriber.status) != Status.STOPPED)
    if ids is not None:
        statement = statement.where(col(Subscriber.id).in_(ids))
    if platform is not None and workspace is not None:
        statement = statement.where(
            col(Subscriber.platform) == platform, col(Subscriber.workspace) == workspace
        )
    stopped = statement.values(status=Status.STOPPED, next_due_utc=None, next_local_date=None)
    return int((await session.exec(stopped)).rowcount)


async def find_subscriber(session: AsyncSession, recipient: Recipient) -> Subscriber | None:
    statement = select(Subscriber).where(
        Subscriber.platform == recipient.platform,
        Subscriber.workspace == recipient.workspace,
        Subscriber.address == recipient.address,
    )
    return (await session.exec(statement)).first()


def zone_of(subscriber: Subscriber) -> ZoneInfo:
    return zone(subscriber.timezone)


def today_of(subscriber: Subscriber, now_utc: datetime) -> date:
    return now_utc.astimezone(zone_of(subscriber)).date()


async def last_delivered_date(session: AsyncSession, subscriber_id: int) -> date | None:
    statement = select(func.max(Delivery.local_date)).where(Delivery.subscriber_id == subscriber_id)
    return (await session.exec(statement)).one()


def next_schedule(
    *,
    status: Status,
    paused_until: date | None,
    local_time: time,
    timezone: str,
    after_utc: datetime,
    floor: date | None,
    frequency: Frequency = Frequency.DAILY,
) -> tuple[date | None, datetime | None]:
    """The next local date and due instant after ``after_utc``, never before ``floor``.

    None for a stopped subscriber or one paused without an end date; a pause with an
    end date moves the floor to that date.
    """
    if status == Status.STOPPED or (status == Status.PAUSED and paused_until is None):
        return None, None
    if status == Status.PAUSED and paused_until is not None:
        floor = max(floor or paused_until, paused_until)
    return next_due_from(
        local_time=local_time,
        tz=zone(timezone),
        after_utc=after_utc,
        first_date=floor,
        frequency=frequency,
    )


async def reschedule(
    session: AsyncSession,
    subscriber: Subscriber,
    *,
    after_utc: datetime,
    first_date: date | None = None,
) -> None:
    """Set the next due instant after ``after_utc``, on a local date that has no delivery yet.

    Does nothing to a stopped subscriber, or to one paused without an end date.
    """
    floor = first_date
    if subscriber.id is not None and subscriber.status != Status.STOPPED:
        last = await last_delivered_date(session, subscriber.id)
        if last is not None:
            floor = max(floor or last, last + timedelta(days=1))
    subscriber.next_local_date, subscriber.next_due_utc = next_schedule(
        status=subscriber.status,
        paused_until=subscriber.paused_until,
        local_time=subscriber.local_time,
        timezone=subscriber.timezone,
        after_utc=after_utc,
        floor=floor,
        frequency=subscriber.frequency,
    )
    session.add(subscriber)
