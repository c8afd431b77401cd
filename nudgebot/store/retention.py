"""Old deliveries and taps deleted, in small transactions (the daily retention job).

Only history goes: a delivery older than the cutoff and every row that refers to it
(its taps, found through the foreign keys as :mod:`.personal` finds them). Item rotation
is compact state of its own (``rotation``). Each subscriber's latest nudge received is
kept however old: a streak continues when "the nudge before" was answered, and someone
back from a pause longer than the retention must find it. So nobody's streak or
rotation changes; ``tests/engine/test_retention.py`` holds that.

Deleting a year's worth at once would hold SQLite's one write lock for as long as it
takes, and the due tick would wait behind it: each chunk is its own short transaction.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, select

from nudgebot.store.db import Sessions
from nudgebot.store.personal import delete_cascading, metadata
from nudgebot.store.tables import DeliveryStatus

CHUNK = 2000
"""Deliveries deleted per transaction."""


async def delete_history(sessions: Sessions, *, before: date, chunk: int = CHUNK) -> dict[str, int]:
    """Delete deliveries whose local date is before ``before``, with their taps.

    A subscriber's latest delivery received (``sent``) stays, with anything older that
    was never sent after it.

    Returns the rows deleted per table. Safe to run on several instances at once: a row
    another instance deleted first is simply not found again.
    """
    delivery = metadata().tables["delivery"]
    later = delivery.alias("later")
    superseded = exists().where(
        and_(
            later.c.subscriber_id == delivery.c.subscriber_id,
            later.c.status == DeliveryStatus.SENT,
            later.c.local_date > delivery.c.local_date,
        )
    )
    deleted: dict[str, int] = {}
    while True:
        async with sessions() as session:
            statement = (
                select(delivery.c.id).where(delivery.c.local_date < before, superseded).limit(chunk)
            )
            ids = [row[0] for row in (await session.exec(statement)).all()]  # type: ignore[call-overload]
            if not ids:
                return deleted
            counts = await delete_cascading(session, delivery, delivery.c.id.in_(ids))
            await session.commit()
        for table, count in counts.items():
            deleted[table] = deleted.get(table, 0) + count


__all__ = ["CHUNK", "delete_history"]
