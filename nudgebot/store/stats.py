"""Counts for ``nudgebot stats``: who subscribes, what was delivered, what was answered.

Windows count local dates (``delivery.local_date``), the date the subscriber lived the
nudge on, which also keeps the queries free of per-dialect date functions. A delivery
counts as answered when anyone tapped it at least once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import Select, case, distinct, func
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Mapped
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.store.tables import (
    Delivery,
    DeliveryStatus,
    Engagement,
    Status,
    StreakRow,
    Subscriber,
)

_T = TypeVar("_T")
STREAK_BUCKETS = ((0, 0), (1, 2), (3, 6), (7, 13), (14, 29), (30, None))


@dataclass(frozen=True, slots=True)
class Answered:
    delivered: int
    answered: int

    @property
    def rate(self) -> float:
        return self.answered / self.delivered if self.delivered else 0.0


async def subscribers_by(session: AsyncSession) -> Counter[tuple[str, str, str]]:
    """Subscribers per (platform, language, status)."""
    statement = select(
        col(Subscriber.platform), col(Subscriber.language), col(Subscriber.status), func.count()
    ).group_by(col(Subscriber.platform), col(Subscriber.language), col(Subscriber.status))
    rows = (await session.exec(statement)).all()
    return Counter({(p, lang, status): n for p, lang, status, n in rows})


def _answered(group: Mapped[_T], *, since: date) -> Select[_T, int, int]:
    """Sent deliveries and answered ones since ``since``, per value of ``group``."""
    return (
        select_columns(
            group,
            func.count(distinct(col(Delivery.id))),
            func.count(distinct(col(Engagement.delivery_id))),
        )
        .select_from(Delivery)
        .outerjoin(Engagement, col(Engagement.delivery_id) == col(Delivery.id))
        .where(col(Delivery.status) == DeliveryStatus.SENT, col(Delivery.local_date) >= since)
        .group_by(group)
    )


async def answered_by_kind(session: AsyncSession, since: date) -> dict[str, Answered]:
    result = await (await session.connection()).execute(_answered(col(Delivery.kind), since=since))
    return {str(kind): Answered(int(n), int(a)) for kind, n, a in result.all()}


async def answered_by_item(session: AsyncSession, since: date) -> dict[str, Answered]:
    statement = _answered(col(Delivery.item_id), since=since)
    result = await (await session.connection()).execute(statement)
    return {str(item): Answered(int(n), int(a)) for item, n, a in result.all()}


async def answered_by_day(session: AsyncSession, since: date) -> dict[date, Answered]:
    statement = _answered(col(Delivery.local_date), since=since)
    result = await (await session.connection()).execute(statement)
    return {day: Answered(int(n), int(a)) for day, n, a in result.all()}


async def streak_distribution(session: AsyncSession) -> Counter[str]:
    """Subscribers who are not stopped, per bucket of current streak (no row: 0)."""
    current = func.coalesce(col(StreakRow.current), 0)
    bucket = case(
        *((current.between(low, high), f"{low}-{high}") for low, high in STREAK_BUCKETS if high),
        else_=f"{STREAK_BUCKETS[-1][0]}+",
    )
    statement = (
        select(bucket, func.count())
        .select_from(Subscriber)
        .outerjoin(StreakRow, col(StreakRow.subscriber_id) == col(Subscriber.id))
        .where(col(Subscriber.status) != Status.STOPPED)
        .group_by(bucket)
    )
    rows = (await session.exec(statement)).all()
    return Counter({str(name): int(n) for name, n in rows})


def bucket_names() -> list[str]:
    return [f"{low}-{high}" if high else f"{low}+" for low, high in STREAK_BUCKETS]
