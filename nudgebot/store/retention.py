"""Old deliveries and taps deleted, in small transactions (the daily retention job).

Only history goes: a delivery older than the cutoff and every row that refers to it
(its taps, found through the foreign keys as :mod:`.personal` finds them). Streaks and
item rotation are stored as compact state of their own (``streak``, ``rotation``), so
they stay exactly as they were; ``tests/engine/test_retention.py`` holds that.

Deleting a year's worth at once would hold SQLite's one write lock for as long as it
takes, and the due tick would wait behind it: each chunk is its own short transaction.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from nudgebot.store.db import Sessions
from nudgebot.store.personal import delete_cascading, metadata

CHUNK = 2000
"""Deliveries deleted per transaction."""


async def delete_history(sessions: Sessions, *, before: date, chunk: int = CHUNK) -> dict[str, int]:
    """Delete deliveries whose local date is before ``before``, with their taps.

    Returns the rows deleted per table. Safe to run on several instances at once: a row
    another instance deleted first is simply not found again.
    """
    delivery = metadata().tables["delivery"]
    deleted: dict[str, int] = {}
    while True:
        async with sessions() as session:
            statement = select(delivery.c.id).where(delivery.c.local_date < before).limit(chunk)
            ids = [row[0] for row in (await session.exec(statement)).all()]  # type: ignore[call-overload]
            if not ids:
                return deleted
            counts = await delete_cascading(session, delivery, delivery.c.id.in_(ids))
            await session.commit()
        for table, count in counts.items():
            deleted[table] = deleted.get(table, 0) + count


__all__ = ["CHUNK", "delete_history"]
