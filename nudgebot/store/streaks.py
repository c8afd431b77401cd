"""Streaks and taps in the database, race-safe across taps, members and instances.

A tap is an :class:`Engagement` row, unique per delivery and actor, so a double tap
inserts nothing. The streak moves in one conditional UPDATE (``last_day < :day``), the
SQL form of :meth:`nudgebot.core.streaks.Streak.counted`: two instances counting the
same day at once cannot both succeed. "The nudge before" is the latest delivery the
subscriber surely received (``sent``): paused or skipped days are not nudges.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, case, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.streaks import Streak
from nudgebot.store.tables import Delivery, DeliveryStatus, Engagement, StreakRow


async def load_streak(session: AsyncSession, subscriber_id: int) -> Streak:
    row = await session.get(StreakRow, subscriber_id)
    if row is None:
        return Streak()
    return Streak(current=row.current, best=row.best, last_day=row.last_day)


async def record_tap(session: AsyncSession, engagement: Engagement) -> bool:
    """Store a tap; False if this actor already tapped this delivery. Commits."""
    session.add(engagement)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True


def _received(subscriber_id: int) -> tuple[ColumnElement[bool], ...]:
    """Deliveries the subscriber surely received: only those can be answered or missed."""
    return (
        col(Delivery.subscriber_id) == subscriber_id,
        col(Delivery.status) == DeliveryStatus.SENT,
    )


async def _previous_nudge(
    session: AsyncSession, subscriber_id: int, local_date: date
) -> date | None:
    statement = select(func.max(Delivery.local_date)).where(
        *_received(subscriber_id), col(Delivery.local_date) < local_date
    )
    return (await session.exec(statement)).one()


async def unanswered_since(
    session: AsyncSession, subscriber_id: int, *, last_day: date | None, today: date
) -> int:
    """Nudges received after ``last_day`` and before ``today`` that nobody answered."""
    if last_day is None:
        return 0
    statement = select(func.count()).where(
        *_received(subscriber_id),
        col(Delivery.local_date) > last_day,
        col(Delivery.local_date) < today,
    )
    return (await session.exec(statement)).one()


async def advance_streak(session: AsyncSession, subscriber_id: int, local_date: date) -> Streak:
    """Count ``local_date`` for the subscriber's streak (once), and return the streak. Commits."""
    if await session.get(StreakRow, subscriber_id) is None:
        session.add(StreakRow(subscriber_id=subscriber_id))
        try:
            await session.commit()
        except IntegrityError:  # another tap created it first
            await session.rollback()
    previous = await _previous_nudge(session, subscriber_id, local_date)
    current = case((col(StreakRow.last_day) == previous, col(StreakRow.current) + 1), else_=1)
    await session.exec(
        update(StreakRow)
        .where(
            col(StreakRow.subscriber_id) == subscriber_id,
            or_(col(StreakRow.last_day).is_(None), col(StreakRow.last_day) < local_date),
        )
        .values(
            current=current,
            best=case((current > col(StreakRow.best), current), else_=col(StreakRow.best)),
            last_day=local_date,
        )
    )
    await session.commit()
    session.expire_all()
    return await load_streak(session, subscriber_id)


async def counted_days(session: AsyncSession, subscriber_id: int, since: date) -> set[date]:
    statement = select(col(Engagement.local_date)).where(
        Engagement.subscriber_id == subscriber_id, Engagement.local_date >= since
    )
    return set((await session.exec(statement)).all())


async def participants(session: AsyncSession, delivery_id: int) -> list[str]:
    """Who tapped a delivery, first tap first (for channel messages)."""
    statement = (
        select(Engagement.actor)
        .where(Engagement.delivery_id == delivery_id)
        .order_by(col(Engagement.id))
    )
    return list((await session.exec(statement)).all())
