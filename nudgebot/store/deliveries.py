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

from nudgebot.core.content import ContentPack
from nudgebot.core.planner import pick_item
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
    counts as the first attempt.
    """
    assert subscriber.id is not None
    existing = await find_delivery(session, subscriber.id, local_date)
    if existing is not None:
        return existing, False
    history = await delivered_item_ids(session, subscriber.id)
    item = pick_item(pack=pack, local_date=local_date, seed=str(subscriber.id), history=history)
    row = Delivery(
        subscriber_id=subscriber.id,
        local_date=local_date,
        item_id=item.id,
        kind=item.kind.value,
        status=status,
        attempts=1 if status == DeliveryStatus.SENDING else 0,
    )
    session.add(row)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        existing = await find_delivery(session, subscriber.id, local_date)
        assert existing is not None
        return existing, False
    return row, True


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
