"""Queries about subscribers and their schedule.

The schedule is two columns, ``next_due_utc`` and ``next_local_date``; every change of
time, zone, pause or status goes through :func:`reschedule` so the rule "never a second
nudge for a local date that already has one" lives in one place.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.chats import Recipient
from nudgebot.core.frequency import Frequency
from nudgebot.core.timing import next_due_from
from nudgebot.store.tables import Delivery, Status, Subscriber


async def find_subscriber(session: AsyncSession, recipient: Recipient) -> Subscriber | None:
    statement = select(Subscriber).where(
        Subscriber.platform == recipient.platform,
        Subscriber.workspace == recipient.workspace,
        Subscriber.address == recipient.address,
    )
    return (await session.exec(statement)).first()


def zone_of(subscriber: Subscriber) -> ZoneInfo:
    return ZoneInfo(subscriber.timezone)


def today_of(subscriber: Subscriber, now_utc: datetime) -> date:
    return now_utc.astimezone(zone_of(subscriber)).date()


async def last_delivered_date(session: AsyncSession, subscriber_id: int) -> date | None:
    statement = select(func.max(Delivery.local_date)).where(Delivery.subscriber_id == subscriber_id)
    return (await session.exec(statement)).one()


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
    if subscriber.status == Status.STOPPED or (
        subscriber.status == Status.PAUSED and subscriber.paused_until is None
    ):
        subscriber.next_due_utc = None
        subscriber.next_local_date = None
        session.add(subscriber)
        return
    assert subscriber.id is not None
    floor = first_date
    last = await last_delivered_date(session, subscriber.id)
    if last is not None:
        floor = max(floor or last, last + timedelta(days=1))
    if subscriber.status == Status.PAUSED and subscriber.paused_until is not None:
        floor = max(floor or subscriber.paused_until, subscriber.paused_until)
    day, due = next_due_from(
        local_time=subscriber.local_time,
        tz=zone_of(subscriber),
        after_utc=after_utc,
        first_date=floor,
        frequency=Frequency(subscriber.frequency),
    )
    subscriber.next_local_date = day
    subscriber.next_due_utc = due
    session.add(subscriber)


async def delivered_item_ids(session: AsyncSession, subscriber_id: int) -> list[str]:
    """Ids of the items a subscriber has received (or may have), oldest first."""
    statement = (
        select(Delivery.item_id)
        .where(Delivery.subscriber_id == subscriber_id, Delivery.item_id != "")
        .order_by(col(Delivery.local_date))
    )
    return list((await session.exec(statement)).all())
