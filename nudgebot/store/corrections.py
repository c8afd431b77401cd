"""The corrections a batch of nudges carries: two queries in, one insert out.

:func:`corrections_for` reads what each subscriber received of a corrected item in the
window, and which corrections they were told, and lets
:func:`nudgebot.core.corrections.corrections_due` decide; :func:`record_told` remembers
the notices a nudge carries, so each is told once. A pack without corrections costs no
query at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.content import ContentPack
from nudgebot.core.corrections import (
    WINDOW_DAYS,
    Notice,
    Received,
    corrected_items,
    corrections_due,
)
from nudgebot.store.bulk import upsert_insert
from nudgebot.store.tables import CorrectionNotice, Delivery, DeliveryStatus

RECEIVED = (DeliveryStatus.SENT, DeliveryStatus.UNKNOWN)
"""A delivery that reached the subscriber, or may have: either way they may have read it."""


async def corrections_for(
    session: AsyncSession, days: Mapping[int, date], *, pack: ContentPack
) -> dict[int, tuple[Notice, ...]]:
    """The corrections each subscriber's nudge on its day carries (subscriber id -> notices).

    ``days`` maps a subscriber id to the local date of the nudge being decided.
    """
    corrected = corrected_items(pack)
    if not days or not corrected:
        return {}
    ids = list(days)
    since = min(days.values()) - timedelta(days=WINDOW_DAYS)
    rows = (
        await session.exec(
            select(
                col(Delivery.subscriber_id),
                col(Delivery.item_id),
                col(Delivery.item_version),
                col(Delivery.local_date),
            ).where(
                col(Delivery.subscriber_id).in_(ids),
                col(Delivery.item_id).in_(list(corrected)),
                col(Delivery.status).in_(RECEIVED),
                col(Delivery.local_date) >= since,
            )
        )
    ).all()
    if not rows:
        return {}
    received: dict[int, list[Received]] = {}
    for subscriber_id, item_id, version, local_date in rows:
        received.setdefault(subscriber_id, []).append(Received(item_id, version, local_date))
    told_rows = (
        await session.exec(
            select(
                col(CorrectionNotice.subscriber_id),
                col(CorrectionNotice.item_id),
                col(CorrectionNotice.version),
            ).where(col(CorrectionNotice.subscriber_id).in_(list(received)))
        )
    ).all()
    told: dict[int, list[Notice]] = {}
    for subscriber_id, item_id, version in told_rows:
        told.setdefault(subscriber_id, []).append(Notice(item_id, version))
    found = {
        subscriber_id: corrections_due(
            items, told.get(subscriber_id, ()), pack, today=days[subscriber_id]
        )
        for subscriber_id, items in received.items()
    }
    return {subscriber_id: notices for subscriber_id, notices in found.items() if notices}


async def record_told(
    session: AsyncSession, told: Mapping[int, tuple[Notice, ...]], days: Mapping[int, date]
) -> None:
    """Remember that these notices ride in these subscribers' nudges; does not commit."""
    values = [
        {
            "subscriber_id": subscriber_id,
            "item_id": notice.item_id,
            "version": notice.version,
            "local_date": days[subscriber_id],
        }
        for subscriber_id, notices in told.items()
        for notice in notices
    ]
    if not values:
        return
    table = CorrectionNotice.__table__  # type: ignore[attr-defined]
    statement = upsert_insert(session, table).on_conflict_do_nothing(
        index_elements=["subscriber_id", "item_id", "version"]
    )
    await (await session.connection()).execute(statement, values)
