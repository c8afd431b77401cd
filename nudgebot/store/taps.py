"""A tap on a nudge in one transaction: one read, the engagement, the streak; one commit.

A nudge answer is the commonest write there is (every subscriber, every day), so it
reads everything it decides on in one query (:func:`find_tap`: the subscriber, the
tapped delivery and whether a later nudge replaced it, the streak row), inserts the
engagement with ``ON CONFLICT DO NOTHING`` (a double tap inserts nothing and the
transaction goes on), and changes the streak row by compare-and-set
(:func:`change_streak`, the one writer of a streak row outside the nudge batches; a
press on any other button writes through it too). A lost race is read again inside the
same transaction, never rolled back: the engagement just inserted must stay. On SQLite
the transaction holds the write lock from ``BEGIN IMMEDIATE`` (:mod:`.db`), so no race
is lost there; on PostgreSQL (read committed) the losing ``UPDATE`` waits for the
winner's commit, and the next read sees it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, and_, bindparam, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.chats import Recipient
from nudgebot.core.content import Lang
from nudgebot.store.streaks import (
    MAX_RACES,
    STATE_COLUMNS,
    StreakState,
    find_state,
    state_columns,
    state_of,
    store_state,
)
from nudgebot.store.tables import Delivery, Engagement, StreakRow, Subscriber, utc_now


@dataclass(frozen=True, slots=True)
class TappedDelivery:
    """The tapped nudge's row, as far as a tap needs it.

    ``latest``: no later nudge with an item exists, so the buttons are not stale.
    """

    id: int
    item_id: str
    local_date: date
    latest: bool


@dataclass(frozen=True, slots=True)
class Tap:
    """What one query found about a tap: its subscriber, delivery and streak row.

    ``delivery`` is None when the id names no delivery of this subscriber; ``streak`` is
    None when the subscriber has no streak row yet.
    """

    subscriber_id: int
    language: Lang
    delivery: TappedDelivery | None
    streak: StreakState | None


# Statements a tap runs, built once: a tap is the commonest write there is, and building
# a statement costs more Python than running it (values are bound at execution).
_SUBSCRIBER: Table = Subscriber.__table__  # type: ignore[attr-defined]
_DELIVERY: Table = Delivery.__table__  # type: ignore[attr-defined]
_STREAK: Table = StreakRow.__table__  # type: ignore[attr-defined]
_ENGAGEMENT: Table = Engagement.__table__  # type: ignore[attr-defined]
_LATER = _DELIVERY.alias("later")
_RECIPIENT = and_(
    _SUBSCRIBER.c.platform == bindparam("platform"),
    _SUBSCRIBER.c.workspace == bindparam("workspace"),
    _SUBSCRIBER.c.address == bindparam("address"),
)
_FIND = (
    select(
        _SUBSCRIBER.c.id,
        _SUBSCRIBER.c.language,
        _DELIVERY.c.id,
        _DELIVERY.c.item_id,
        _DELIVERY.c.local_date,
        ~exists().where(
            _LATER.c.subscriber_id == _DELIVERY.c.subscriber_id,
            _LATER.c.item_id != "",
            _LATER.c.local_date > _DELIVERY.c.local_date,
        ),
        _STREAK.c.subscriber_id,
        *(_STREAK.c[name] for name in STATE_COLUMNS),
    )
    .select_from(_SUBSCRIBER)
    .outerjoin(
        _DELIVERY,
        and_(
            _DELIVERY.c.id == bindparam("delivery_id"),
            _DELIVERY.c.subscriber_id == _SUBSCRIBER.c.id,
        ),
    )
    .outerjoin(_STREAK, _STREAK.c.subscriber_id == _SUBSCRIBER.c.id)
    .where(_RECIPIENT)
)


@functools.cache
def _inserts(dialect: str) -> tuple[Any, Any]:
    """This dialect's inserts of a tap and of a new streak row, each ignoring a conflict."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # No RETURNING: the row count says whether it went in, and no rows need fetching.
    tap = insert(_ENGAGEMENT).on_conflict_do_nothing(index_elements=["delivery_id", "actor"])
    streak = insert(_STREAK).on_conflict_do_nothing(index_elements=["subscriber_id"])
    return tap, streak


def _where(recipient: Recipient) -> dict[str, str]:
    return {
        "platform": recipient.platform,
        "workspace": recipient.workspace,
        "address": recipient.address,
    }


async def find_tap(
    session: AsyncSession, recipient: Recipient, delivery_id: int | None
) -> Tap | None:
    """The tap's subscriber, delivery (if it is theirs) and streak row, in one query.

    None if the recipient has no subscription.
    """
    params = _where(recipient) | {"delivery_id": delivery_id}
    row = (await (await session.connection()).execute(_FIND, params)).first()
    if row is None:
        return None
    return _tap_of(tuple(row))


def _tap_of(row: Sequence[Any]) -> Tap:
    subscriber_id, language, found, item_id, local_date, latest, has_streak, *columns = row
    delivery = (
        TappedDelivery(found, item_id, local_date, bool(latest)) if found is not None else None
    )
    if has_streak is None:
        return Tap(subscriber_id, language, delivery, None)
    streak = state_of(dict(zip(STATE_COLUMNS, columns, strict=True)))
    return Tap(subscriber_id, language, delivery, streak)


async def insert_tap(
    session: AsyncSession,
    *,
    delivery_id: int,
    subscriber_id: int,
    actor: str,
    answer: str,
    local_date: date,
) -> bool:
    """Store a tap; False if this actor already tapped this delivery. Does not commit.

    ``ON CONFLICT DO NOTHING`` instead of catching the unique violation, so the rest of
    the transaction (the streak) goes on either way.
    """
    connection = await session.connection()
    values = {
        "delivery_id": delivery_id,
        "subscriber_id": subscriber_id,
        "actor": actor,
        "answer": answer,
        "local_date": local_date,
        "created_utc": utc_now(),
    }
    insert, _ = _inserts(connection.dialect.name)
    return (await connection.execute(insert, values)).rowcount == 1


Change = Callable[[StreakState], StreakState]


async def change_streak(
    session: AsyncSession, subscriber_id: int, found: StreakState | None, change: Change
) -> tuple[StreakState, StreakState]:
    """Apply ``change`` to the streak row by compare-and-set; returns (before, after).

    ``found`` is the row as read in this transaction (None: no row yet). Writes nothing
    when the change changes nothing, so a tap that counts nothing leaves the store as it
    was. A lost race is read again and recomputed in this transaction. Does not commit.
    """
    for _ in range(MAX_RACES):
        old = found or StreakState()
        new = change(old)
        if new == old:
            return old, old
        if found is None:
            if await _insert_row(session, subscriber_id, new):
                return old, new
        elif await store_state(session, subscriber_id, old, new):
            return old, new
        found = await find_state(session, subscriber_id)
    raise RuntimeError(f"streak of subscriber {subscriber_id} kept changing under us")


async def _insert_row(session: AsyncSession, subscriber_id: int, state: StreakState) -> bool:
    """Create the streak row holding ``state``; False if another tap created it first."""
    connection = await session.connection()
    _, insert = _inserts(connection.dialect.name)
    values = {"subscriber_id": subscriber_id, **state_columns(state, state.version + 1)}
    return (await connection.execute(insert, values)).rowcount == 1


__all__ = [
    "Tap",
    "TappedDelivery",
    "change_streak",
    "find_tap",
    "insert_tap",
]
