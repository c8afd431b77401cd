"""Streaks and taps in the database, race-safe across taps, members and instances.

A tap is an :class:`Engagement` row, unique per delivery and actor, so a double tap
inserts nothing; :mod:`.taps` writes it and its streak in one transaction. The streak
row changes only by compare-and-set on its ``version``: the new state comes from the
pure rules in :mod:`nudgebot.core.streaks` and :mod:`nudgebot.core.reengage`, and an
instance that lost a race reads again and recomputes. Nothing here reads more history
than the nudges since the last one settled, so deleting old deliveries (retention)
changes no streak.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Row, Table, bindparam, update
from sqlalchemy import select as select_columns
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.reengage import Reengagement, Stage
from nudgebot.core.streaks import Streak
from nudgebot.store.bulk import is_postgres, update_rows, upsert_insert
from nudgebot.store.tables import Delivery, DeliveryStatus, Engagement, StreakRow

MAX_RACES = 5
"""Compare-and-set attempts before giving up (only a bug could lose that many races)."""

_STREAK_COLUMNS = ("current", "best", "last_day", "settled_day", "freezes", "run", "milestone")
STATE_COLUMNS = (*_STREAK_COLUMNS, "unanswered", "reengage", "notes_day", "notes", "version")
"""The streak row's columns that hold a :class:`StreakState`."""


@dataclass(frozen=True, slots=True)
class StreakState:
    """The stored row as the core sees it, with the version its change must match."""

    streak: Streak = field(default_factory=Streak)
    reengagement: Reengagement = field(default_factory=Reengagement)
    notes_day: date | None = None
    notes: str = ""
    version: int = 0


def streak_of(row: StreakRow | Row[Any]) -> Streak:
    """The core's streak from its stored row (the simulator's report reads it too)."""
    return Streak(**{name: getattr(row, name) for name in _STREAK_COLUMNS})


def state_of(values: Mapping[str, Any]) -> StreakState:
    """The state from the streak row's columns, however they were read."""
    return StreakState(
        streak=Streak(**{name: values[name] for name in _STREAK_COLUMNS}),
        reengagement=Reengagement(unanswered=values["unanswered"], stage=Stage(values["reengage"])),
        notes_day=values["notes_day"],
        notes=values["notes"],
        version=values["version"],
    )


def _to_state(row: StreakRow | Row[Any]) -> StreakState:
    return state_of({name: getattr(row, name) for name in STATE_COLUMNS})


_STREAK: Table = StreakRow.__table__  # type: ignore[attr-defined]


@functools.cache
def _load_states_statement(for_update: bool) -> Any:
    """Built once (and once locking): every batch of nudges runs it."""
    # Plain rows: ORM objects for a batch cost more than the query.
    statement = (
        select_columns(*_STREAK.c)
        .where(_STREAK.c.subscriber_id.in_(bindparam("ids", expanding=True)))
        .order_by(_STREAK.c.subscriber_id)
    )
    return statement.with_for_update() if for_update else statement


async def find_state(session: AsyncSession, subscriber_id: int) -> StreakState | None:
    """The subscriber's state, read fresh from the database; None if there is no row yet."""
    statement = _load_states_statement(False)  # the batch's read, for one subscriber
    result = await (await session.connection()).execute(statement, {"ids": [subscriber_id]})
    row = result.first()
    return None if row is None else _to_state(row)


async def load_state(session: AsyncSession, subscriber_id: int) -> StreakState:
    """The subscriber's state, read fresh from the database (the defaults if no row yet)."""
    return await find_state(session, subscriber_id) or StreakState()


async def load_streak(session: AsyncSession, subscriber_id: int) -> Streak:
    return (await load_state(session, subscriber_id)).streak


_STORE_STATE = (
    update(_STREAK)
    .where(
        _STREAK.c.subscriber_id == bindparam("key_id"),
        _STREAK.c.version == bindparam("key_version"),
    )
    .values({name: bindparam(f"new_{name}") for name in STATE_COLUMNS})
)
"""Built once: a tap runs it, and building it cost more than running it."""


async def store_state(
    session: AsyncSession, subscriber_id: int, old: StreakState, new: StreakState
) -> bool:
    """Write ``new`` if the row still holds ``old``'s version; False if someone was first.

    Does not commit: the caller commits it together with whatever else belongs to it.
    """
    params = {"key_id": subscriber_id, "key_version": old.version} | {
        f"new_{name}": value for name, value in state_columns(new, old.version + 1).items()
    }
    result = await (await session.connection()).execute(_STORE_STATE, params)
    return result.rowcount == 1


async def ensure_rows(session: AsyncSession, subscriber_ids: Sequence[int]) -> None:
    """Create the missing streak rows of these subscribers in one statement. Does not commit."""
    if subscriber_ids:
        # RETURNING turns the executemany into multi-row VALUES pages (see rotation.py).
        insert = (
            upsert_insert(session, StreakRow)
            .on_conflict_do_nothing(index_elements=["subscriber_id"])
            .returning(col(StreakRow.subscriber_id))
        )
        await (await session.connection()).execute(
            insert, [{"subscriber_id": subscriber_id} for subscriber_id in subscriber_ids]
        )


async def load_states(
    session: AsyncSession, subscriber_ids: Sequence[int], *, lock: bool = False
) -> dict[int, StreakState]:
    """Many subscribers' states in one query (the defaults for those without a row).

    ``lock`` reads the rows ``FOR UPDATE`` on PostgreSQL (in id order, so two batches
    cannot deadlock), so that nobody changes them before this transaction ends; SQLite's
    transactions already hold the one write lock from their start (:mod:`.db`).
    """
    if not subscriber_ids:
        return {}
    statement = _load_states_statement(lock and is_postgres(session))
    params = {"ids": list(subscriber_ids)}
    result = await (await session.connection()).execute(statement, params)
    found = {row.subscriber_id: _to_state(row) for row in result.all()}
    return {
        subscriber_id: found.get(subscriber_id, StreakState()) for subscriber_id in subscriber_ids
    }


async def store_states(
    session: AsyncSession, changes: Sequence[tuple[int, StreakState, StreakState]]
) -> None:
    """Write each (subscriber id, old, new) where the row still holds old's version.

    One statement (:func:`~nudgebot.store.bulk.update_rows`). Does not commit. Meant for
    rows read with ``load_states(lock=True)`` in the same transaction, where the version
    cannot have moved.
    """
    await update_rows(
        session,
        _STREAK,
        keys=[{"subscriber_id": sid, "version": old.version} for sid, old, _ in changes],
        values=[state_columns(new, old.version + 1) for _, old, new in changes],
        guard={},
    )


def state_columns(state: StreakState, version: int) -> dict[str, object]:
    """A state as the streak row's columns."""
    streak, again = state.streak, state.reengagement
    return {
        "current": streak.current,
        "best": streak.best,
        "last_day": streak.last_day,
        "settled_day": streak.settled_day,
        "freezes": streak.freezes,
        "run": streak.run,
        "milestone": streak.milestone,
        "unanswered": again.unanswered,
        "reengage": again.stage.value,
        "notes_day": state.notes_day,
        "notes": state.notes,
        "version": version,
    }


async def received_between(
    session: AsyncSession, subscriber_id: int, *, after: date | None, before: date
) -> list[date]:
    """Local dates of nudges surely received (``sent``) after ``after`` and before ``before``.

    Only those can be answered or missed: paused, skipped or failed days are not nudges.
    """
    statement = select(col(Delivery.local_date)).where(
        col(Delivery.subscriber_id) == subscriber_id,
        col(Delivery.status) == DeliveryStatus.SENT,
        col(Delivery.local_date) < before,
    )
    if after is not None:
        statement = statement.where(col(Delivery.local_date) > after)
    return sorted((await session.exec(statement)).all())


_DELIVERY: Table = Delivery.__table__  # type: ignore[attr-defined]
_RECEIVED_SINCE_SETTLED = (
    select_columns(_DELIVERY.c.subscriber_id, _DELIVERY.c.local_date)
    .join(_STREAK, _STREAK.c.subscriber_id == _DELIVERY.c.subscriber_id)
    .where(
        _DELIVERY.c.subscriber_id.in_(bindparam("ids", expanding=True)),
        _DELIVERY.c.status == DeliveryStatus.SENT,
        _DELIVERY.c.local_date < bindparam("before"),
        or_(_STREAK.c.settled_day.is_(None), _DELIVERY.c.local_date > _STREAK.c.settled_day),
    )
)
"""Built once: every batch of nudges runs it."""


async def received_since_settled(
    session: AsyncSession, before: Mapping[int, date]
) -> dict[int, list[date]]:
    """Per subscriber, the days of nudges surely received and not yet settled, in one query.

    Those are the ``sent`` nudges after the streak's settled day and before
    ``before[subscriber]`` (see :func:`received_between`). Joined to the streak row so
    that only unsettled days are read, never the history.
    """
    found: dict[int, list[date]] = {subscriber_id: [] for subscriber_id in before}
    if not before:
        return found
    params = {"ids": list(before), "before": max(before.values())}
    rows = await (await session.connection()).execute(_RECEIVED_SINCE_SETTLED, params)
    for subscriber_id, day in rows.all():
        if day < before[subscriber_id]:
            found[subscriber_id].append(day)
    return {subscriber_id: sorted(days) for subscriber_id, days in found.items()}


async def counted_days(session: AsyncSession, subscriber_id: int, since: date) -> set[date]:
    statement = select(col(Engagement.local_date)).where(
        Engagement.subscriber_id == subscriber_id, Engagement.local_date >= since
    )
    return set((await session.exec(statement)).all())


async def participants(session: AsyncSession, delivery_id: int) -> list[str]:
    """Who tapped a delivery, first tap first (for channel messages)."""
    statement = (
        select(Engagement.actor)
        .where(Engagement.delivery_id == delivery_id)
        .order_by(col(Engagement.id))
    )
    return list((await session.exec(statement)).all())
