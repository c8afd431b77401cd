"""Rotation state per subscriber and kind: which items this round has already sent.

Read for a whole batch in one query and written in the transaction that creates the
deliveries it chose, so a rolled-back batch leaves the rotation where it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
    wanted = set(keys)
    found: dict[RotationKey, Rotation] = {}
    if wanted:
        # Two plain IN lists (a batch has one to three kinds) rather than a row-value IN
        # of a thousand pairs; the few extra rows are dropped here.
        statement = select(
            col(RotationRow.subscriber_id),
            col(RotationRow.kind),
            col(RotationRow.round_no),
            col(RotationRow.seen),
        ).where(
            col(RotationRow.subscriber_id).in_({key[0] for key in wanted}),
            col(RotationRow.kind).in_({key[1] for key in wanted}),
        )
        for subscriber_id, kind, round_no, seen in (await session.exec(statement)).all():
            if (subscriber_id, kind) in wanted:
                items = frozenset(seen.split(",")) if seen else frozenset()
                found[(subscriber_id, kind)] = Rotation(round_no, items)
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
