"""The nudges a subscriber received, with the answer each got: ``/history``'s reading.

Only rows surely delivered (``sent``) are nudges the subscriber saw; retention deletes
old ones, so the history reaches back at most ``NUDGEBOT_RETENTION_DAYS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.store.tables import Delivery, DeliveryStatus, Engagement


@dataclass(frozen=True, slots=True)
class PastNudge:
    """A nudge received: its day row, local date, item and first answer ('' if none)."""

    delivery_id: int
    local_date: date
    item_id: str
    answer: str = ""


async def past_nudges(
    session: AsyncSession, subscriber_id: int, *, limit: int, delivery_id: int | None = None
) -> list[PastNudge]:
    """The last ``limit`` nudges received, newest first (or only ``delivery_id``'s).

    Two queries: the day rows, then their first answers.
    """
    statement = (
        select(col(Delivery.id), col(Delivery.local_date), col(Delivery.item_id))
        .where(
            col(Delivery.subscriber_id) == subscriber_id,
            col(Delivery.status) == DeliveryStatus.SENT,
            col(Delivery.item_id) != "",
        )
        .order_by(col(Delivery.local_date).desc())
        .limit(limit)
    )
    if delivery_id is not None:
        statement = statement.where(col(Delivery.id) == delivery_id)
    rows = (await session.exec(statement)).all()
    taps = (
        await session.exec(
            select(Engagement.delivery_id, Engagement.answer)
            .where(col(Engagement.delivery_id).in_([row[0] for row in rows]))
            .order_by(col(Engagement.id).desc())
        )
    ).all()
    first: dict[int, str] = dict(taps)  # latest first, so the first answer wins
    return [
        PastNudge(row_id, day, item_id, first.get(row_id, ""))
        for row_id, day, item_id in rows
        if row_id is not None
    ]


__all__ = ["PastNudge", "past_nudges"]
