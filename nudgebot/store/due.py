"""The due set: leasing subscribers whose nudge is due, renewing the lease, and writing back.

A lease is ``next_due_utc`` moved to the lease's end: a due subscriber is leased by one
statement (``UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING``), with ``FOR UPDATE
SKIP LOCKED`` on PostgreSQL so that instances take disjoint batches instead of queueing
(SQLite takes its one write lock at ``BEGIN IMMEDIATE``, see :mod:`.db`). Every later
write is a compare-and-set on the lease's end: if a user changed their time, paused or
stopped while their nudge was in flight, ``next_due_utc`` no longer holds the lease and
the user's change wins. Nothing here commits.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Table, bindparam, func, update
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.chats import Recipient
from nudgebot.core.content import Lang
from nudgebot.store.bulk import is_postgres, update_by_id
from nudgebot.store.tables import Status, Subscriber


@dataclass(frozen=True, slots=True)
class LeasedSubscriber:
    """The columns of a leased subscriber that sending and rescheduling need."""

    id: int
    platform: str
    workspace: str
    address: str
    language: Lang
    timezone: str
    local_time: time
    status: Status
    paused_until: date | None
    next_local_date: date | None
    failed_days: int
    frequency: str
    summary_day: int
    dropped_kinds: str

    @property
    def recipient(self) -> Recipient:
        return Recipient(self.platform, self.address, self.workspace)


_LEASED = tuple(col(getattr(Subscriber, name)) for name in LeasedSubscriber.__slots__)


@functools.cache
def _lease_statement(postgres: bool) -> Any:
    """The lease, built once per dialect: every tick runs it, most of them leasing little."""
    table: Table = Subscriber.__table__  # type: ignore[attr-defined]
    due = (
        select_columns(table.c.id)
        .where(
            table.c.status.in_((Status.ACTIVE, Status.PAUSED)),
            table.c.next_due_utc <= bindparam("now_utc"),
        )
        .order_by(table.c.next_due_utc)
        .limit(bindparam("limit"))
    )
    if postgres:
        due = due.with_for_update(skip_locked=True)
    return (
        update(table)
        .where(table.c.id.in_(due.scalar_subquery()))
        .values(next_due_utc=bindparam("lease_until"))
        .returning(*(table.c[name] for name in LeasedSubscriber.__slots__))
    )


async def lease_due_subscribers(
    session: AsyncSession, *, now_utc: datetime, lease_until: datetime, limit: int
) -> list[LeasedSubscriber]:
    """Lease up to ``limit`` subscribers due at ``now_utc``, earliest first, in one statement."""
    params = {"now_utc": now_utc, "lease_until": lease_until, "limit": limit}
    statement = _lease_statement(is_postgres(session))
    rows = (await (await session.connection()).execute(statement, params)).all()
    return [LeasedSubscriber(*row) for row in rows]


_NEXT_DUE = select_columns(func.min(Subscriber.__table__.c.next_due_utc))  # type: ignore[attr-defined]


async def earliest_due(session: AsyncSession) -> datetime | None:
    """The earliest instant any subscriber is due (or leased until): when to tick next.

    The simulator asks after every tick, so it is built once and read without the ORM.
    """
    result = await (await session.connection()).execute(_NEXT_DUE)
    due: datetime | None = result.scalar()
    return due


async def renew_leases(
    session: AsyncSession, ids: Sequence[int], *, held_until: datetime, lease_until: datetime
) -> int:
    """Extend the leases this engine still holds; returns how many it still held."""
    if not ids:
        return 0
    statement = (
        update(Subscriber)
        .where(col(Subscriber.id).in_(ids), col(Subscriber.next_due_utc) == held_until)
        .values(next_due_utc=lease_until)
    )
    return (await (await session.connection()).execute(statement)).rowcount


@dataclass(frozen=True, slots=True)
class ScheduleChange:
    """What a finished delivery does to its subscriber: status, failures, next due time."""

    id: int
    status: Status
    failed_days: int
    paused_until: date | None
    next_local_date: date | None
    next_due_utc: datetime | None


async def write_schedules(
    session: AsyncSession, changes: Sequence[ScheduleChange], *, held_until: datetime
) -> None:
    """Apply ``changes`` to subscribers still leased until ``held_until`` (one executemany)."""
    table = Subscriber.__table__  # type: ignore[attr-defined]
    await update_by_id(session, table, changes, guard={"next_due_utc": held_until})


async def frequencies(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    """The subscribers' frequencies now (re-engagement may have changed them)."""
    if not ids:
        return {}
    statement = select(col(Subscriber.id), col(Subscriber.frequency)).where(
        col(Subscriber.id).in_(ids)
    )
    return {sid: frequency for sid, frequency in (await session.exec(statement)).all() if sid}


async def move_leased(
    session: AsyncSession, subscriber_id: int, *, address: str, held_until: datetime
) -> None:
    """A chat that moved (a Telegram group became a supergroup) keeps its lease."""
    await session.exec(
        update(Subscriber)
        .where(col(Subscriber.id) == subscriber_id, col(Subscriber.next_due_utc) == held_until)
        .values(address=address)
    )
