"""Deliveries: one row per subscriber and local date, created before anything is sent.

Every change of a delivery's status is written here. A row comes to exist in one of two
ways, and both choose the item through the subscriber's rotation (:mod:`.rotation`) in
the same transaction: :func:`create_days` for a whole batch of the due tick (one
multi-row ``INSERT ... ON CONFLICT DO NOTHING RETURNING``), and :func:`find_or_create_day`
for a subscriber's ``/today``. The unique constraint on (subscriber, local date) decides
every race; a day that already had its row is left out of the insert's result and the
caller applies the rules for an existing row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, tuple_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.content import ContentPack, Item, Kind
from nudgebot.core.frequency import Frequency
from nudgebot.core.planner import kind_for, parse_kinds, pick_item
from nudgebot.store.bulk import is_postgres, update_by_id, upsert_insert
from nudgebot.store.habits import HabitDay, Prepared, prepare_days
from nudgebot.store.learning import (
    AudienceCounts,
    Chosen,
    add_to_audience,
    prepare_learning,
    record_learning,
)
from nudgebot.store.rotation import load_rotations, save_rotations
from nudgebot.store.series import running_steps
from nudgebot.store.tables import Delivery, DeliveryStatus, Subscriber, utc_now


async def find_delivery(
    session: AsyncSession, subscriber_id: int, local_date: date
) -> Delivery | None:
    statement = select(Delivery).where(
        Delivery.subscriber_id == subscriber_id, Delivery.local_date == local_date
    )
    return (await session.exec(statement)).first()


@dataclass(frozen=True, slots=True)
class DayRow:
    """A day's delivery row as the batch path needs it: plain values, no ORM state.

    Building ORM objects for a batch of 500 cost more than its SQL (profiled).
    """

    id: int
    subscriber_id: int
    local_date: date
    item_id: str
    status: DeliveryStatus
    attempts: int


_DAY_COLUMNS = tuple(col(getattr(Delivery, name)) for name in DayRow.__slots__)


def _day_row(row: Any) -> DayRow:
    return DayRow(row[0], row[1], row[2], row[3], DeliveryStatus(row[4]), row[5])


async def find_days(session: AsyncSession, keys: Sequence[tuple[int, date]]) -> list[DayRow]:
    """The rows of these (subscriber id, local date) pairs that exist."""
    if not keys:
        return []
    statement = select(*_DAY_COLUMNS).where(
        tuple_(col(Delivery.subscriber_id), col(Delivery.local_date)).in_(list(keys))
    )
    result = await (await session.connection()).execute(statement)
    return [_day_row(row) for row in result.all()]


@dataclass(frozen=True, slots=True)
class DayToCreate:
    """A delivery row to create: with today's item, or without one for a skipped day.

    ``frequency`` and ``dropped`` (the kinds not wanted) set the day's kind
    (core.planner); ``summary_day`` whether the nudge carries the weekly summary.
    """

    subscriber_id: int
    local_date: date
    status: DeliveryStatus
    with_item: bool = True
    frequency: Frequency = Frequency.DAILY
    summary_day: int = 6
    dropped: frozenset[Kind] = frozenset()


@dataclass(frozen=True, slots=True)
class CreatedDays:
    """The rows :func:`create_days` created, by subscriber id, and their habits' notes."""

    rows: dict[int, DayRow] = field(default_factory=dict)
    habits: Prepared = field(default_factory=Prepared)
    audience: AudienceCounts = field(default_factory=dict)
    """Answers learned from, for the pooled tallies once the batch commits (add_counts)."""


async def create_days(
    session: AsyncSession, days: Sequence[DayToCreate], *, pack: ContentPack, now_utc: datetime
) -> CreatedDays:
    """Create the rows in one insert, items chosen by rotation; returns the created ones.

    Keyed by subscriber id (one day each). Days that already had a row are absent from
    the result, and their rotation does not move. A row's attempts count from its first
    start (:func:`start_days`). Someone in a challenge series gets its waiting step instead, and
    their rotation stays. Creating a day settles its streak and decides its notes
    (:func:`nudgebot.store.habits.prepare_days`). Does not commit.
    """
    if not days:
        return CreatedDays()
    keys = {
        d.subscriber_id: (d.subscriber_id, kind_for(d.local_date, d.frequency, d.dropped).value)
        for d in days
    }
    steps = await running_steps(session, [d.subscriber_id for d in days if d.with_item], pack)
    rotated = [d.subscriber_id for d in days if d.with_item and d.subscriber_id not in steps]
    rotations = await load_rotations(session, (keys[sid] for sid in rotated))
    learning = await prepare_learning(session, rotated)
    values, moved = [], {}
    for day in days:
        item_id = kind = ""
        if day.with_item:
            key = keys[day.subscriber_id]
            item: Item | None = steps.get(day.subscriber_id)
            if item is None:
                item, moved[key] = pick_item(
                    pack=pack,
                    local_date=day.local_date,
                    seed=str(day.subscriber_id),
                    rotation=rotations[key],
                    frequency=day.frequency,
                    dropped=day.dropped,
                    choose=learning.chooser(day.subscriber_id, day.local_date),
                )
            item_id, kind = item.id, item.kind.value
        values.append(
            {
                "subscriber_id": day.subscriber_id,
                "local_date": day.local_date,
                "item_id": item_id,
                "kind": kind,
                "status": day.status,
                "attempts": 0,
                "claimed_utc": now_utc,
            }
        )
    table = Delivery.__table__  # type: ignore[attr-defined]
    # An executemany with RETURNING: SQLAlchemy sends it as multi-row VALUES pages
    # ("insertmanyvalues") from one cached compilation. Compiling a 1,000-row ``values()``
    # afresh each batch cost a third of a batch's time.
    statement = (
        upsert_insert(session, table)
        .on_conflict_do_nothing(index_elements=["subscriber_id", "local_date"])
        .returning(*(table.c[name] for name in DayRow.__slots__))
    )
    rows = (await (await session.connection()).execute(statement, values)).all()
    created = {row.subscriber_id: _day_row(row) for row in rows}
    await save_rotations(session, {k: r for k, r in moved.items() if k[0] in created})
    chosen = (
        Chosen(row.subscriber_id, row.id, row.item_id, row.local_date)
        for row in created.values()
        if row.subscriber_id not in steps and row.item_id
    )
    audience = await record_learning(session, learning, chosen, pack)
    habits = await prepare_days(
        session,
        [
            HabitDay(d.subscriber_id, d.local_date, d.frequency, d.summary_day)
            for d in days
            if d.subscriber_id in created and d.with_item
        ],
        pack=pack,
    )
    return CreatedDays(created, habits, audience)


async def find_or_create_day(
    session: AsyncSession,
    *,
    subscriber: Subscriber,
    local_date: date,
    pack: ContentPack,
    status: DeliveryStatus,
) -> tuple[Delivery, bool]:
    """The delivery for ``local_date``, created with its item if missing. Commits.

    Returns the row and whether this call created it; see :func:`create_days`.
    """
    subscriber_id = subscriber.id
    assert subscriber_id is not None
    existing = await find_delivery(session, subscriber_id, local_date)
    if existing is not None:
        return existing, False
    if is_postgres(session):
        # The engine locks a subscriber before its day row (a lease, then the insert);
        # taking them in the same order here keeps /today and a batch from deadlocking.
        lock = select(col(Subscriber.id)).where(col(Subscriber.id) == subscriber_id)
        await session.exec(lock.with_for_update())
    day = DayToCreate(
        subscriber_id,
        local_date,
        status,
        frequency=Frequency(subscriber.frequency),
        summary_day=subscriber.summary_day,
        dropped=parse_kinds(subscriber.dropped_kinds),
    )
    made = await create_days(session, [day], pack=pack, now_utc=utc_now())
    created = made.rows
    await session.commit()
    await add_to_audience(session, made.audience)
    await session.commit()
    if subscriber_id in created:
        await session.refresh(subscriber)  # re-engagement may have changed its frequency
    existing = await find_delivery(session, subscriber_id, local_date)
    assert existing is not None
    return existing, subscriber_id in created


@dataclass(frozen=True, slots=True)
class DeliveryState:
    """A status write: what the platform said, or what a rule decided."""

    id: int
    status: DeliveryStatus
    attempts: int
    platform_ref: str | None = None
    sent_utc: datetime | None = None


async def write_states(session: AsyncSession, states: Sequence[DeliveryState]) -> None:
    """Write the statuses of many deliveries in one executemany. Does not commit."""
    await update_by_id(session, Delivery.__table__, states, guard={})  # type: ignore[attr-defined]


_DELIVERY: Table = Delivery.__table__  # type: ignore[attr-defined]
_START_DAYS = (
    update(_DELIVERY)
    .where(
        _DELIVERY.c.id.in_(bindparam("ids", expanding=True)),
        _DELIVERY.c.status == DeliveryStatus.CLAIMED.value,
    )
    .values(status=DeliveryStatus.SENDING.value, attempts=_DELIVERY.c.attempts + 1)
    .returning(_DELIVERY.c.id)
)


async def start_days(session: AsyncSession, ids: Sequence[int]) -> set[int]:
    """Mark these rows ``sending`` (one more attempt) where still ``claimed``; which were.

    One statement for a small group of sends about to call the platform. A row that is
    no longer ``claimed`` was started by another instance after our lease ran out: it is
    left out, and its send must not happen here. Does not commit.
    """
    if not ids:
        return set()
    connection = await session.connection()
    result = await connection.execute(_START_DAYS, {"ids": sorted(ids)})
    return {row[0] for row in result.all()}
