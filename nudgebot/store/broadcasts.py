"""Broadcast records and their audience, in the database.

The audience is a query, not a list kept in memory: a dry run counts it, and starting a
broadcast copies it into the outbox with one ``INSERT ... SELECT`` in the same
transaction that moves the broadcast to ``sending``. That move is a compare-and-set on
the state, so two instances (or a CLI ``send`` racing the ticker) expand it once.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, insert, literal, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.broadcast import Audience
from nudgebot.store.tables import (
    Broadcast,
    BroadcastState,
    Delivery,
    DeliveryStatus,
    OutboxRow,
    OutboxStatus,
    Status,
    StreakRow,
    Subscriber,
)


def audience_of(broadcast: Broadcast) -> Audience:
    return Audience(
        platform=broadcast.platform,
        language=broadcast.language,
        workspace=broadcast.workspace,
        status=broadcast.status,
        min_streak=broadcast.min_streak,
        subscribed_after=broadcast.subscribed_after,
        subscribed_before=broadcast.subscribed_before,
    )


def _audience_select(audience: Audience, *columns: Any, today: date) -> Select[Any]:
    statement: Select[Any] = select(*columns).select_from(Subscriber)
    wanted = audience.status or Status.ACTIVE
    statement = statement.where(col(Subscriber.status) == wanted)
    if audience.platform is not None:
        statement = statement.where(col(Subscriber.platform) == audience.platform)
    if audience.language is not None:
        statement = statement.where(col(Subscriber.language) == audience.language)
    if audience.workspace is not None:
        statement = statement.where(col(Subscriber.workspace) == audience.workspace)
    if audience.min_streak:
        # The streak as its subscriber sees it: broken by a nudge received after its last
        # counted day and left unanswered (core.streaks.Streak.shown). Their local today's
        # nudge may still be answered, and a local today is never before UTC yesterday.
        missed = select(Delivery.id).where(
            col(Delivery.subscriber_id) == col(Subscriber.id),
            col(Delivery.status) == DeliveryStatus.SENT,
            col(Delivery.local_date) > col(StreakRow.last_day),
            col(Delivery.local_date) < today - timedelta(days=1),
        )
        statement = statement.join(
            StreakRow, col(StreakRow.subscriber_id) == col(Subscriber.id)
        ).where(col(StreakRow.current) >= audience.min_streak, ~missed.exists())
    if audience.subscribed_after is not None:
        after = datetime.combine(audience.subscribed_after, time(), tzinfo=UTC)
        statement = statement.where(col(Subscriber.created_utc) >= after)
    if audience.subscribed_before is not None:
        before = datetime.combine(audience.subscribed_before, time(), tzinfo=UTC)
        statement = statement.where(col(Subscriber.created_utc) < before)
    return statement


async def count_audience(
    session: AsyncSession, audience: Audience, *, now_utc: datetime
) -> Counter[tuple[str, str]]:
    """Recipients per (platform, language)."""
    statement = _audience_select(
        audience,
        col(Subscriber.platform),
        col(Subscriber.language),
        func.count(),
        today=now_utc.date(),
    ).group_by(col(Subscriber.platform), col(Subscriber.language))
    rows = (await session.exec(statement)).all()  # type: ignore[call-overload]
    return Counter({(platform, language): count for platform, language, count in rows})


async def start_sending(session: AsyncSession, broadcast_id: int, now_utc: datetime) -> bool:
    """Move a draft or scheduled broadcast to ``sending`` and fill its outbox. Commits.

    False when another caller moved it first (or it is no longer startable).
    """
    moved = await session.exec(
        update(Broadcast)
        .where(
            col(Broadcast.id) == broadcast_id,
            col(Broadcast.state).in_((BroadcastState.DRAFT, BroadcastState.SCHEDULED)),
        )
        .values(state=BroadcastState.SENDING, started_utc=now_utc)
    )
    if moved.rowcount != 1:
        await session.rollback()
        return False
    broadcast = await session.get(Broadcast, broadcast_id)
    assert broadcast is not None
    recipients = _audience_select(
        audience_of(broadcast),
        literal(broadcast_id),
        col(Subscriber.id),
        col(Subscriber.platform),
        literal(OutboxStatus.PENDING.value),
        literal(0),
        today=now_utc.date(),
    )
    await session.exec(
        insert(OutboxRow).from_select(
            ["broadcast_id", "subscriber_id", "platform", "status", "attempts"], recipients
        )
    )
    await session.commit()
    return True


async def due_scheduled(session: AsyncSession, now_utc: datetime) -> list[int]:
    statement = select(Broadcast.id).where(
        col(Broadcast.state) == BroadcastState.SCHEDULED, col(Broadcast.due_utc) <= now_utc
    )
    return [bid for bid in (await session.exec(statement)).all() if bid is not None]


async def outbox_counts(session: AsyncSession, broadcast_id: int) -> Counter[tuple[str, str]]:
    """Outbox rows per (platform, status)."""
    statement = (
        select(col(OutboxRow.platform), col(OutboxRow.status), func.count())
        .where(col(OutboxRow.broadcast_id) == broadcast_id)
        .group_by(col(OutboxRow.platform), col(OutboxRow.status))
    )
    rows = (await session.exec(statement)).all()
    return Counter({(platform, status): count for platform, status, count in rows})


async def finish_sent(session: AsyncSession, now_utc: datetime) -> list[int]:
    """Mark ``done`` every sending broadcast with nothing pending or sending. Commits."""
    open_rows = select(OutboxRow.id).where(
        col(OutboxRow.broadcast_id) == col(Broadcast.id),
        col(OutboxRow.status).in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
    )
    candidates = select(Broadcast.id).where(
        col(Broadcast.state) == BroadcastState.SENDING, ~open_rows.exists()
    )
    finished = [bid for bid in (await session.exec(candidates)).all() if bid is not None]
    if finished:
        await session.exec(
            update(Broadcast)
            .where(col(Broadcast.id).in_(finished), col(Broadcast.state) == BroadcastState.SENDING)
            .values(state=BroadcastState.DONE, finished_utc=now_utc)
        )
    await session.commit()
    return finished


async def list_broadcasts(session: AsyncSession, limit: int = 50) -> list[Broadcast]:
    statement = select(Broadcast).order_by(col(Broadcast.id).desc()).limit(limit)
    return list((await session.exec(statement)).all())
