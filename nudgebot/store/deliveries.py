"""Deliveries: one row per subscriber and local date, created before anything is sent.

:func:`claim_day` is the only way a delivery row comes to exist, for the engine's due
tick and for a subscriber's ``/today`` alike, so both pick the same item and neither
can create a second row for a day (the unique constraint decides races).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.content import ContentPack, Item
from nudgebot.core.frequency import Frequency
from nudgebot.core.planner import pick_item
from nudgebot.store.habits import prepare_day
from nudgebot.store.series import running_series
from nudgebot.store.streaks import MAX_RACES, ensure_row
from nudgebot.store.subscribers import delivered_item_ids
from nudgebot.store.tables import Delivery, DeliveryStatus, Subscriber


async def find_delivery(
    session: AsyncSession, subscriber_id: int, local_date: date
) -> Delivery | None:
    statement = select(Delivery).where(
        Delivery.subscriber_id == subscriber_id, Delivery.local_date == local_date
    )
    return (await session.exec(statement)).first()


async def latest_delivery(session: AsyncSession, subscriber_id: int) -> Delivery | None:
    statement = (
        select(Delivery)
        .where(Delivery.subscriber_id == subscriber_id, Delivery.item_id != "")
        .order_by(col(Delivery.local_date).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def claim_day(
    session: AsyncSession,
    *,
    subscriber: Subscriber,
    local_date: date,
    pack: ContentPack,
    status: DeliveryStatus = DeliveryStatus.CLAIMED,
) -> tuple[Delivery, bool]:
    """The delivery for ``local_date``, created with today's item if missing. Commits.

    Returns the row and whether this call created it. A row created as ``sending``
    counts as the first attempt. Creating it settles the streak and decides the day's
    notes (:func:`nudgebot.store.habits.prepare_day`) in the same transaction.
    """
    subscriber_id = subscriber.id
    assert subscriber_id is not None
    existing = await find_delivery(session, subscriber_id, local_date)
    if existing is not None:
        return existing, False
    await ensure_row(session, subscriber_id)
    for _ in range(MAX_RACES):
        item = await _todays_item(session, subscriber, local_date, pack)
        row = Delivery(
            subscriber_id=subscriber_id,
            local_date=local_date,
            item_id=item.id,
            kind=item.kind.value,
            status=status,
            attempts=1 if status == DeliveryStatus.SENDING else 0,
        )
        session.add(row)
        try:
            notes = await prepare_day(
                session, subscriber=subscriber, local_date=local_date, pack=pack
            )
            if notes is not None:
                await session.commit()
                return row, True
        except IntegrityError:
            pass
        await session.rollback()
        await session.refresh(subscriber)
        existing = await find_delivery(session, subscriber_id, local_date)
        if existing is not None:
            return existing, False
    raise RuntimeError(f"the streak of subscriber {subscriber_id} kept changing under us")


async def _todays_item(
    session: AsyncSession, subscriber: Subscriber, local_date: date, pack: ContentPack
) -> Item:
    """The waiting step of the subscriber's running series, else the planner's pick."""
    assert subscriber.id is not None
    running = await running_series(session, subscriber.id)
    series = pack.get_series(running.series_id) if running is not None else None
    if running is not None and series is not None and running.steps_done < len(series.steps):
        return series.steps[running.steps_done]
    history = await delivered_item_ids(session, subscriber.id)
    return pick_item(
        pack=pack,
        local_date=local_date,
        seed=str(subscriber.id),
        history=history,
        frequency=Frequency(subscriber.frequency),
    )


async def skip_day(session: AsyncSession, *, subscriber_id: int, local_date: date) -> None:
    """Record a day that was not sent (too late after downtime). Does not commit."""
    if await find_delivery(session, subscriber_id, local_date) is None:
        session.add(
            Delivery(
                subscriber_id=subscriber_id,
                local_date=local_date,
                item_id="",
                kind="",
                status=DeliveryStatus.SKIPPED,
            )
        )
