"""Counts for ``nudgebot stats`` and the admin console: subscribers, nudges, answers.

Who subscribes, what was delivered, what was answered, how today's fan-out is going.

Windows count local dates (``delivery.local_date``), the date the subscriber lived the
nudge on, which also keeps the queries free of per-dialect date functions. A delivery
counts as answered when anyone tapped it at least once.

Every query takes an optional Slack ``workspace``: a workspace admin's console sees that
workspace's subscribers only, through the same queries the operator's figures come from,
so the two can never disagree on what a number means.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

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
_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])
STREAK_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 0),
    (1, 2),
    (3, 6),
    (7, 13),
    (14, 29),
    (30, None),
)
"""Current-streak buckets, ``(low, high)`` inclusive; ``None``: no upper end."""


@dataclass(frozen=True, slots=True)
class Answered:
    delivered: int
    answered: int

    @property
    def rate(self) -> float:
        return self.answered / self.delivered if self.delivered else 0.0


@dataclass(frozen=True, slots=True)
class FanOut:
    """Today's nudges (UTC day): sent so far, still due, and how late the most overdue is."""

    sent: int
    due: int
    latest_late: timedelta | None


def _in_workspace(statement: _S, workspace: str | None) -> _S:
    """Only Slack subscribers of ``workspace`` (None: everyone); joins nothing itself."""
    if workspace is None:
        return statement
    return statement.where(
        col(Subscriber.platform) == "slack", col(Subscriber.workspace) == workspace
    )


async def subscribers_by(
    session: AsyncSession, *, workspace: str | None = None
) -> Counter[tuple[str, str, str]]:
    """Subscribers per (platform, language, status)."""
    statement = select(
        col(Subscriber.platform), col(Subscriber.language), col(Subscriber.status), func.count()
    ).group_by(col(Subscriber.platform), col(Subscriber.language), col(Subscriber.status))
    rows = (await session.exec(_in_workspace(statement, workspace))).all()
    return Counter({(p, lang, status): n for p, lang, status, n in rows})


def _answered(group: Mapped[_T], *, since: date, workspace: str | None) -> Select[_T, int, int]:
    """Sent deliveries and answered ones since ``since``, per value of ``group``."""
    statement = (
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
    if workspace is not None:
        statement = _in_workspace(
            statement.join(Subscriber, col(Subscriber.id) == col(Delivery.subscriber_id)),
            workspace,
        )
    return statement


async def answered_by_kind(
    session: AsyncSession, since: date, *, workspace: str | None = None
) -> dict[str, Answered]:
    statement = _answered(col(Delivery.kind), since=since, workspace=workspace)
    result = await (await session.connection()).execute(statement)
    return {str(kind): Answered(int(n), int(a)) for kind, n, a in result.all()}


async def answered_by_item(
    session: AsyncSession, since: date, *, workspace: str | None = None
) -> dict[str, Answered]:
    statement = _answered(col(Delivery.item_id), since=since, workspace=workspace)
    result = await (await session.connection()).execute(statement)
    return {str(item): Answered(int(n), int(a)) for item, n, a in result.all()}


async def answered_by_day(
    session: AsyncSession, since: date, *, workspace: str | None = None
) -> dict[date, Answered]:
    statement = _answered(col(Delivery.local_date), since=since, workspace=workspace)
    result = await (await session.connection()).execute(statement)
    return {day: Answered(int(n), int(a)) for day, n, a in result.all()}


def bucket_name(low: int, high: int | None) -> str:
    """``"0"``, ``"1-2"``, ``"30+"``: how a bucket is labelled in every table and chart."""
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}-{high}"


def bucket_names() -> list[str]:
    return [bucket_name(low, high) for low, high in STREAK_BUCKETS]


async def streak_distribution(
    session: AsyncSession, *, workspace: str | None = None
) -> Counter[str]:
    """Subscribers who are not stopped, per bucket of current streak (no row: 0)."""
    current = func.coalesce(col(StreakRow.current), 0)
    # `is not None`, not truthiness: the (0, 0) bucket's upper end is 0.
    bounded = [(low, high) for low, high in STREAK_BUCKETS if high is not None]
    bucket = case(
        *((current.between(low, high), bucket_name(low, high)) for low, high in bounded),
        else_=bucket_name(*STREAK_BUCKETS[-1]),
    )
    statement = (
        select(bucket, func.count())
        .select_from(Subscriber)
        .outerjoin(StreakRow, col(StreakRow.subscriber_id) == col(Subscriber.id))
        .where(col(Subscriber.status) != Status.STOPPED)
        .group_by(bucket)
    )
    rows = (await session.exec(_in_workspace(statement, workspace))).all()
    return Counter({str(name): int(n) for name, n in rows})


async def fan_out(
    session: AsyncSession, *, now_utc: datetime, workspace: str | None = None
) -> FanOut:
    """Today's (UTC) fan-out: nudges sent since midnight, those still due before the next.

    "How late" is how long the most overdue nudge still waiting has been due: with the
    engine keeping up it stays under a tick or two; a growing figure says it is not.
    """
    midnight = now_utc.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = midnight + timedelta(days=1)
    sent_statement = (
        select(func.count())
        .select_from(Delivery)
        .join(Subscriber, col(Subscriber.id) == col(Delivery.subscriber_id))
        .where(col(Delivery.status) == DeliveryStatus.SENT, col(Delivery.sent_utc) >= midnight)
    )
    sent = (await session.exec(_in_workspace(sent_statement, workspace))).one()
    due_statement = (
        select(func.count(), func.min(col(Subscriber.next_due_utc)))
        .select_from(Subscriber)
        .where(col(Subscriber.status) == Status.ACTIVE, col(Subscriber.next_due_utc) < tomorrow)
    )
    due, earliest = (await session.exec(_in_workspace(due_statement, workspace))).one()
    late = None
    if earliest is not None:
        earliest = earliest if earliest.tzinfo else earliest.replace(tzinfo=UTC)
        late = max(timedelta(0), now_utc - earliest)
    return FanOut(sent=int(sent), due=int(due), latest_late=late)
