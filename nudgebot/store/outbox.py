"""The outbox in batches: claim many rows in one statement, record many outcomes in one.

Shaped like the nudge pipeline (docs/architecture.md, the engine): :func:`claim_outbox`
leases a batch of pending rows of broadcasts that are ``sending`` by stamping their
``claimed_utc`` (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so a second instance takes the
next rows instead of waiting; SQLite's ``BEGIN IMMEDIATE`` serialises claims); a pending
row whose stamp is older than the lease is free again. :func:`start_outbox` marks rows
``sending`` just before their platform calls, a few at a time: that commit is the
record that the call starts. A row still ``sending`` when its lease has run out died
inside its call, and :func:`expire_stale` makes it ``unknown``, never pending again
(invariant 9); a row leased but never started is simply sent by the next claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, exists, func, update
from sqlalchemy import select as select_columns
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.chats import Recipient
from nudgebot.core.content import Lang
from nudgebot.store.tables import (
    Broadcast,
    BroadcastState,
    OutboxRow,
    OutboxStatus,
    Status,
    Subscriber,
)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One claimed row, with what sending it needs."""

    row_id: int
    broadcast_id: int
    subscriber_id: int
    recipient: Recipient
    language: Lang
    attempts: int
    stopped: bool


@dataclass(frozen=True, slots=True)
class OutboxOutcome:
    row_id: int
    status: OutboxStatus
    not_before_utc: datetime | None = None


_BROADCAST: Table = Broadcast.__table__  # type: ignore[attr-defined]
_OUTBOX: Table = OutboxRow.__table__  # type: ignore[attr-defined]
_HAS_WORK = select_columns(
    or_(
        exists().where(_BROADCAST.c.state == BroadcastState.SENDING),
        exists().where(
            _BROADCAST.c.state == BroadcastState.SCHEDULED,
            _BROADCAST.c.due_utc <= bindparam("now_utc"),
        ),
        exists().where(_OUTBOX.c.status == OutboxStatus.SENDING),
    )
)


async def outbox_has_work(session: AsyncSession, now_utc: datetime) -> bool:
    """Whether a broadcast is sending or due to start, or a row is in flight: one query.

    Nearly every tick has no broadcast at all; the outbox's several steps (start, expire,
    claim, finish, count) each need one of these, so without any the tick skips them.
    Reads the indexed ``state`` and ``status`` columns only.
    """
    result = await (await session.connection()).execute(_HAS_WORK, {"now_utc": now_utc})
    return bool(result.scalar())


async def expire_stale(session: AsyncSession, *, now_utc: datetime, lease: timedelta) -> int:
    """Rows left ``sending`` past their lease become ``unknown``. Commits."""
    result = await session.exec(
        update(OutboxRow)
        .where(
            col(OutboxRow.status) == OutboxStatus.SENDING,
            col(OutboxRow.claimed_utc) < now_utc - lease,
        )
        .values(status=OutboxStatus.UNKNOWN)
    )
    await session.commit()
    return int(result.rowcount)


async def claim_outbox(
    session: AsyncSession, *, now_utc: datetime, lease: timedelta, limit: int
) -> list[OutboxItem]:
    """Lease up to ``limit`` sendable rows for this caller, and return them. Commits."""
    statement = (
        select_columns(  # sqlmodel's select types at most four columns
            col(OutboxRow.id),
            col(OutboxRow.broadcast_id),
            col(OutboxRow.subscriber_id),
            col(OutboxRow.attempts),
            col(Subscriber.platform),
            col(Subscriber.address),
            col(Subscriber.workspace),
            col(Subscriber.language),
            col(Subscriber.status),
        )
        .join(Broadcast, col(Broadcast.id) == col(OutboxRow.broadcast_id))
        .join(Subscriber, col(Subscriber.id) == col(OutboxRow.subscriber_id))
        .where(
            col(OutboxRow.status) == OutboxStatus.PENDING,
            col(Broadcast.state) == BroadcastState.SENDING,
            or_(col(OutboxRow.not_before_utc).is_(None), col(OutboxRow.not_before_utc) <= now_utc),
            or_(col(OutboxRow.claimed_utc).is_(None), col(OutboxRow.claimed_utc) < now_utc - lease),
        )
        .order_by(col(OutboxRow.id))
        .limit(limit)
    )
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=OutboxRow)
    # The core connection of the session's transaction takes any Select; AsyncSession.exec
    # is typed for sqlmodel's own.
    rows = (await (await session.connection()).execute(statement)).all()
    if not rows:
        await session.rollback()
        return []
    ids = [row[0] for row in rows]
    await session.exec(
        update(OutboxRow)
        .where(col(OutboxRow.id).in_(ids), col(OutboxRow.status) == OutboxStatus.PENDING)
        .values(claimed_utc=now_utc)
    )
    await session.commit()
    return [
        OutboxItem(
            row_id=row_id,
            broadcast_id=broadcast_id,
            subscriber_id=subscriber_id,
            recipient=Recipient(platform, address, workspace),
            language=language,
            attempts=attempts + 1,
            stopped=status == Status.STOPPED,
        )
        for (
            row_id,
            broadcast_id,
            subscriber_id,
            attempts,
            platform,
            address,
            workspace,
            language,
            status,
        ) in rows
        if row_id is not None
    ]


_OUTBOX_START = (
    update(_OUTBOX)
    .where(
        _OUTBOX.c.id.in_(bindparam("ids", expanding=True)),
        _OUTBOX.c.status == OutboxStatus.PENDING.value,
    )
    .values(status=OutboxStatus.SENDING.value, attempts=_OUTBOX.c.attempts + 1)
    .returning(_OUTBOX.c.id)
)


async def start_outbox(session: AsyncSession, row_ids: Sequence[int]) -> set[int]:
    """Mark these rows ``sending`` where still pending; returns those it marked. Commits.

    A row left out was started by another instance after our lease ran out: its send
    must not happen here.
    """
    if not row_ids:
        return set()
    result = await (await session.connection()).execute(_OUTBOX_START, {"ids": sorted(row_ids)})
    started = {row[0] for row in result.all()}
    await session.commit()
    return started


async def renew_outbox(session: AsyncSession, row_ids: list[int], *, claimed_utc: datetime) -> None:
    """Keep a batch's rows from expiring: their claim counts from ``claimed_utc``. Commits."""
    if row_ids:
        await session.exec(
            update(OutboxRow)
            .where(
                col(OutboxRow.id).in_(row_ids),
                col(OutboxRow.status).in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
            )
            .values(claimed_utc=claimed_utc)
        )
    await session.commit()


async def record_outbox(
    session: AsyncSession,
    outcomes: Iterable[OutboxOutcome],
    *,
    now_utc: datetime,
    stop_subscribers: Iterable[int] = (),
) -> None:
    """Store a batch's outcomes, and stop recipients found gone, in one transaction."""
    groups: dict[tuple[OutboxStatus, datetime | None], list[int]] = defaultdict(list)
    for outcome in outcomes:
        groups[(outcome.status, outcome.not_before_utc)].append(outcome.row_id)
    for (status, not_before), ids in groups.items():
        values: dict[str, object] = {"status": status, "not_before_utc": not_before}
        if status == OutboxStatus.PENDING:
            values["claimed_utc"] = None  # given back: any instance may claim it again
        if status == OutboxStatus.SENT:
            values["sent_utc"] = now_utc
        await session.exec(update(OutboxRow).where(col(OutboxRow.id).in_(ids)).values(**values))
    stopped = list(stop_subscribers)
    if stopped:
        await session.exec(
            update(Subscriber)
            .where(col(Subscriber.id).in_(stopped))
            .values(status=Status.STOPPED, next_due_utc=None, next_local_date=None)
        )
    await session.commit()


async def move_subscriber(session: AsyncSession, subscriber_id: int, new_address: str) -> None:
    """A chat got a new address (a Telegram group became a supergroup). Does not commit.

    If the new address already subscribed on its own, that subscription carries on and
    this one stops, as the nudge engine does.
    """
    subscriber = await session.get(Subscriber, subscriber_id)
    if subscriber is None:
        return
    clash = await session.exec(
        select(Subscriber.id).where(
            col(Subscriber.platform) == subscriber.platform,
            col(Subscriber.workspace) == subscriber.workspace,
            col(Subscriber.address) == new_address,
        )
    )
    if clash.first() is None:
        subscriber.address = new_address
    else:
        subscriber.status = Status.STOPPED
        subscriber.next_due_utc = None
        subscriber.next_local_date = None
    session.add(subscriber)


async def outbox_backlog(session: AsyncSession) -> int:
    """Rows still to send, across broadcasts that are sending (for ``/metrics``)."""
    statement = (
        select(func.count())
        .select_from(OutboxRow)
        .join(Broadcast, col(Broadcast.id) == col(OutboxRow.broadcast_id))
        .where(
            col(OutboxRow.status) == OutboxStatus.PENDING,
            col(Broadcast.state) == BroadcastState.SENDING,
        )
    )
    return int((await session.exec(statement)).one())


__all__ = [
    "OutboxItem",
    "OutboxOutcome",
    "claim_outbox",
    "expire_stale",
    "move_subscriber",
    "outbox_backlog",
    "outbox_has_work",
    "record_outbox",
    "renew_outbox",
]
