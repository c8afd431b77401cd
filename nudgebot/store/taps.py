"""A tap on a nudge in one transaction: one read, the engagement, the streak; one commit.

A nudge answer is the commonest write there is (every subscriber, every day), so it
reads everything it decides on in one query (:func:`find_tap`: the subscriber, the
tapped delivery and whether a later nudge replaced it, the streak row), inserts the
engagement with ``ON CONFLICT DO NOTHING`` (a double tap inserts nothing and the
transaction goes on), and settles the streak by compare-and-set
(:func:`settle_streak`). A lost race is read again inside the same transaction, never
rolled back: the engagement just inserted must stay. On SQLite the transaction holds the
write lock from ``BEGIN IMMEDIATE`` (:mod:`.db`), so no race is lost there; on
PostgreSQL (read committed) the losing ``UPDATE`` waits for the winner's commit, and the
next read sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, literal, select, update
from sqlalchemy.orm import aliased
from sqlmodel import col, or_
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.chats import Recipient
from nudgebot.core.content import Lang
from nudgebot.store.bulk import upsert_insert
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


_Later = aliased(Delivery)


async def find_tap(
    session: AsyncSession, recipient: Recipient, delivery_id: int | None
) -> Tap | None:
    """The tap's subscriber, delivery (if it is theirs) and streak row, in one query.

    None if the recipient has no subscription.
    """
    later = exists().where(
        col(_Later.subscriber_id) == col(Delivery.subscriber_id),
        col(_Later.item_id) != "",
        col(_Later.local_date) > col(Delivery.local_date),
    )
    delivery_matches = and_(
        col(Delivery.id) == (delivery_id if delivery_id is not None else literal(None)),
        col(Delivery.subscriber_id) == col(Subscriber.id),
    )
    streak = [col(getattr(StreakRow, name)) for name in STATE_COLUMNS]
    statement = (
        select(
            col(Subscriber.id),
            col(Subscriber.language),
            col(Delivery.id),
            col(Delivery.item_id),
            col(Delivery.local_date),
            ~later,
            col(StreakRow.subscriber_id),
            *streak,
        )
        .select_from(Subscriber)
        .outerjoin(Delivery, delivery_matches)
        .outerjoin(StreakRow, col(StreakRow.subscriber_id) == col(Subscriber.id))
        .where(
            col(Subscriber.platform) == recipient.platform,
            col(Subscriber.workspace) == recipient.workspace,
            col(Subscriber.address) == recipient.address,
        )
    )
    row = (await (await session.connection()).execute(statement)).first()
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
    statement = (
        upsert_insert(session, Engagement)
        .values(
            delivery_id=delivery_id,
            subscriber_id=subscriber_id,
            actor=actor,
            answer=answer,
            local_date=local_date,
            created_utc=utc_now(),
        )
        .on_conflict_do_nothing(index_elements=["delivery_id", "actor"])
        .returning(col(Engagement.id))
    )
    return (await (await session.connection()).execute(statement)).first() is not None


Change = Callable[[StreakState], StreakState]


async def settle_streak(
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
    statement = (
        upsert_insert(session, StreakRow)
        .values({"subscriber_id": subscriber_id, **state_columns(state, state.version + 1)})
        .on_conflict_do_nothing(index_elements=["subscriber_id"])
        .returning(col(StreakRow.subscriber_id))
    )
    return (await (await session.connection()).execute(statement)).first() is not None


async def reset_reengagement(session: AsyncSession, recipient: Recipient) -> None:
    """A tap on anything: the count of unanswered nudges starts over. Does not commit.

    One statement, found by the recipient. Writes nothing when there is nothing to reset,
    so a tap that changes nothing else (a refused or cancelled button) leaves the store
    exactly as it was.
    """
    subscriber = select(col(Subscriber.id)).where(
        col(Subscriber.platform) == recipient.platform,
        col(Subscriber.workspace) == recipient.workspace,
        col(Subscriber.address) == recipient.address,
    )
    await session.exec(
        update(StreakRow)
        .where(
            col(StreakRow.subscriber_id) == subscriber.scalar_subquery(),
            or_(col(StreakRow.unanswered) > 0, col(StreakRow.reengage) != ""),
        )
        .values(unanswered=0, reengage="", version=col(StreakRow.version) + 1)
    )


__all__ = [
    "Tap",
    "TappedDelivery",
    "find_tap",
    "insert_tap",
    "reset_reengagement",
    "settle_streak",
]
