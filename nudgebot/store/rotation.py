"""Rotation state per subscriber and kind: which items this round has already sent.

Read for a whole batch in one query and written in the transaction that creates the
deliveries it chose, so a rolled-back batch leaves the rotation where it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.planner import Rotation
from nudgebot.store.bulk import upsert_insert
from nudgebot.store.tables import RotationRow

RotationKey = tuple[int, str]
"""(subscriber id, kind)."""


async def load_rotations(
    session: AsyncSession, keys: Iterable[RotationKey]
) -> dict[RotationKey, Rotation]:
    """Each key's rotation; a subscriber new to a kind starts at round 0."""
    wanted = list(set(keys))
    found: dict[RotationKey, Rotation] = {}
    if wanted:
        statement = select(RotationRow).where(
            tuple_(col(RotationRow.subscriber_id), col(RotationRow.kind)).in_(wanted)
        )
        for row in (await session.exec(statement)).all():
            seen = frozenset(row.seen.split(",")) if row.seen else frozenset()
            found[(row.subscriber_id, row.kind)] = Rotation(row.round_no, seen)
    return {key: found.get(key, Rotation()) for key in wanted}


async def save_rotations(session: AsyncSession, states: Mapping[RotationKey, Rotation]) -> None:
    """Write the given rotations in one multi-row upsert. Does not commit.

    ``RETURNING`` makes SQLAlchemy send the executemany as multi-row ``VALUES`` pages
    ("insertmanyvalues") compiled once; a plain executemany would be one statement per
    row for the PostgreSQL server.
    """
    if not states:
        return
    rows = [
        {
            "subscriber_id": subscriber_id,
            "kind": kind,
            "round_no": rotation.round_no,
            "seen": ",".join(sorted(rotation.seen)),
        }
        for (subscriber_id, kind), rotation in states.items()
    ]
    insert = upsert_insert(session, RotationRow.__table__)  # type: ignore[attr-defined]
    statement = insert.on_conflict_do_update(
        index_elements=["subscriber_id", "kind"],
        set_={"round_no": insert.excluded.round_no, "seen": insert.excluded.seen},
    ).returning(insert.table.c.subscriber_id)
    await (await session.connection()).execute(statement, rows)
