"""The schedule as the capacity model reads it: how many subscribers fall due when.

One grouped query over ``subscriber.next_due_utc`` (indexed), per platform: the due
times are the schedule itself (zones, wall times, frequencies and pauses are already
folded into them), so nothing is recomputed per subscriber here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, bindparam, func
from sqlalchemy import select as select_columns
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.capacity import Slot
from nudgebot.store.tables import Status, Subscriber

_SUBSCRIBER: Table = Subscriber.__table__  # type: ignore[attr-defined]
_SLOTS = (
    select_columns(_SUBSCRIBER.c.platform, _SUBSCRIBER.c.next_due_utc, func.count())
    .where(
        _SUBSCRIBER.c.status == Status.ACTIVE,
        _SUBSCRIBER.c.next_due_utc < bindparam("until"),
    )
    .group_by(_SUBSCRIBER.c.platform, _SUBSCRIBER.c.next_due_utc)
)
"""Built once: the capacity watch runs it every few minutes."""


async def due_slots(session: AsyncSession, *, until: datetime) -> dict[str, list[Slot]]:
    """Per platform, the active subscribers due before ``until``, grouped by due instant.

    Those already due (waiting now) are included: they are the backlog.
    """
    rows = await (await session.connection()).execute(_SLOTS, {"until": until})
    slots: dict[str, list[Slot]] = {}
    for platform, due_utc, count in rows.all():
        slots.setdefault(platform, []).append(Slot(due_utc, int(count)))
    return slots
