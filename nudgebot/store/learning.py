"""What the bandit learns, read and written for a whole batch at a time.

A subscriber's :class:`~nudgebot.core.bandit.Taste` lives in one ``taste`` row as JSON
with its words spelled out (``/mydata`` exports it as it is, so it must read well). The
answer to the last nudge learning chose is counted when the next day is created: by then
it was answered or its day is over. The pooled ``audience_tally`` is incremented after
the batch's commit, in a transaction of its own, rows in item order: batches of several
instances then never wait for each other on these few hot rows (a crash in between
loses one batch's counts from the prior, nothing else).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.bandit import Audience, Tally, Taste, chooser
from nudgebot.core.content import ContentPack
from nudgebot.core.planner import Chooser
from nudgebot.store.bulk import upsert_insert
from nudgebot.store.db import Sessions
from nudgebot.store.tables import (
    AudienceTally,
    Delivery,
    DeliveryStatus,
    Engagement,
    TasteRow,
    utc_now,
)

FORGET_ITEM_AFTER = timedelta(days=120)
"""An item's last-sent date is dropped after this: its rest is long over by then."""


@dataclass(frozen=True, slots=True)
class Learned:
    """A subscriber's learning state: on or off, the taste, the nudge still to count.

    Off unless the subscriber turned it on (``/learning on``): see :func:`load_learned`.
    """

    enabled: bool = False
    taste: Taste = field(default_factory=Taste)
    pending_delivery_id: int | None = None
    pending_item: str = ""


def encode(taste: Taste, today: date) -> str:
    oldest = today - FORGET_ITEM_AFTER
    return json.dumps(
        {
            "answers": [taste.overall.sent, taste.overall.answered],
            "tags": {tag: [t.sent, t.answered] for tag, t in sorted(taste.tags.items())},
            "tag_last_sent": {tag: d.isoformat() for tag, d in sorted(taste.last_tag.items())},
            "item_last_sent": {
                item: d.isoformat() for item, d in sorted(taste.last_item.items()) if d >= oldest
            },
        },
        separators=(",", ":"),
    )


def decode(data: str) -> Taste:
    if not data:
        return Taste()
    raw = json.loads(data)
    return Taste(
        overall=Tally(*raw["answers"]),
        tags={tag: Tally(*pair) for tag, pair in raw["tags"].items()},
        last_tag={tag: date.fromisoformat(d) for tag, d in raw["tag_last_sent"].items()},
        last_item={item: date.fromisoformat(d) for item, d in raw["item_last_sent"].items()},
    )


async def load_learned(session: AsyncSession, subscriber_ids: Iterable[int]) -> dict[int, Learned]:
    """Each subscriber's state; one without a row has not turned learning on.

    Opt-in, and not only for consent's sake: a subscriber who learns costs the batch a
    taste row read and written per nudge and the scoring of every candidate, which for
    everyone at once would slow the batch path by about a third (benchmarks/pipeline.py);
    a batch of people who do not learn pays one indexed read that finds nothing.
    """
    wanted = set(subscriber_ids)
    if not wanted:
        return {}
    table = TasteRow.__table__  # type: ignore[attr-defined]
    statement = sa.select(
        table.c.subscriber_id,
        table.c.enabled,
        table.c.data,
        table.c.pending_delivery_id,
        table.c.pending_item,
    ).where(table.c.subscriber_id.in_(wanted))
    result = await (await session.connection()).execute(statement)
    found = {row[0]: Learned(bool(row[1]), decode(row[2]), row[3], row[4]) for row in result.all()}
    return {sid: found.get(sid, Learned()) for sid in wanted}


async def answers_to(session: AsyncSession, delivery_ids: Iterable[int]) -> dict[int, bool]:
    """Of these deliveries, the ones that went out, and whether each was answered.

    A day skipped, failed or gone teaches nothing, and a delivery the retention job
    already deleted is not found either.
    """
    wanted = set(delivery_ids)
    if not wanted:
        return {}
    delivery = Delivery.__table__  # type: ignore[attr-defined]
    answered = sa.exists().where(col(Engagement.delivery_id) == delivery.c.id)
    statement = sa.select(delivery.c.id, answered).where(
        delivery.c.id.in_(wanted), delivery.c.status == DeliveryStatus.SENT
    )
    result = await (await session.connection()).execute(statement)
    return {int(row[0]): bool(row[1]) for row in result.all()}


async def save_learned(session: AsyncSession, states: Mapping[int, Learned], today: date) -> None:
    """Upsert these subscribers' states in one executemany. Does not commit."""
    if not states:
        return
    now = utc_now()
    rows = [
        {
            "subscriber_id": subscriber_id,
            "enabled": state.enabled,
            "data": encode(state.taste, today) if state.enabled else "",
            "pending_delivery_id": state.pending_delivery_id,
            "pending_item": state.pending_item,
            "updated_utc": now,
        }
        for subscriber_id, state in sorted(states.items())
    ]
    insert = upsert_insert(session, TasteRow.__table__)  # type: ignore[attr-defined]
    statement = insert.on_conflict_do_update(
        index_elements=["subscriber_id"],
        set_={
            name: getattr(insert.excluded, name)
            for name in ("enabled", "data", "pending_delivery_id", "pending_item", "updated_utc")
        },
    ).returning(insert.table.c.subscriber_id)
    await (await session.connection()).execute(statement, rows)


async def set_learning(session: AsyncSession, subscriber_id: int, *, on: bool, today: date) -> None:
    """Turn learning on (from nothing) or off (what was learned is erased). Does not commit."""
    if on and (await load_learned(session, [subscriber_id]))[subscriber_id].enabled:
        return
    await save_learned(session, {subscriber_id: Learned(on)}, today)


async def load_audience(session: AsyncSession) -> Audience:
    """The pooled tallies per item, and per kind as their sums."""
    statement = select(
        col(AudienceTally.item_id),
        col(AudienceTally.kind),
        col(AudienceTally.sent),
        col(AudienceTally.answered),
    )
    items: dict[str, Tally] = {}
    kinds: dict[str, Tally] = {}
    for item_id, kind, sent, answered in (await session.exec(statement)).all():
        items[item_id] = Tally(sent, answered)
        total = kinds.get(kind, Tally())
        kinds[kind] = Tally(total.sent + sent, total.answered + answered)
    return Audience(items=items, kinds=kinds)


async def add_to_audience(session: AsyncSession, counts: Mapping[tuple[str, str], Tally]) -> None:
    """Add ``(item id, kind) -> tally`` to the pooled counts, in item order. Does not commit."""
    if not counts:
        return
    rows = [
        {"item_id": item_id, "kind": kind, "sent": tally.sent, "answered": tally.answered}
        for (item_id, kind), tally in sorted(counts.items())
    ]
    insert = upsert_insert(session, AudienceTally.__table__)  # type: ignore[attr-defined]
    table = insert.table
    statement = insert.on_conflict_do_update(
        index_elements=["item_id"],
        set_={
            "sent": table.c.sent + insert.excluded.sent,
            "answered": table.c.answered + insert.excluded.answered,
        },
    ).returning(table.c.item_id)
    await (await session.connection()).execute(statement, rows)


@dataclass(frozen=True, slots=True)
class BatchLearning:
    """A batch's learning state: read once before its items are chosen."""

    states: Mapping[int, Learned] = field(default_factory=dict)
    audience: Audience = field(default_factory=Audience)

    def chooser(self, subscriber_id: int, local_date: date) -> Chooser | None:
        """The bandit for this subscriber's day, or None (the fixed rotation) when off."""
        state = self.states.get(subscriber_id)
        if state is None or not state.enabled:
            return None
        return chooser(taste=state.taste, audience=self.audience, local_date=local_date)


async def prepare_learning(session: AsyncSession, subscriber_ids: Iterable[int]) -> BatchLearning:
    """The states of the subscribers whose items the rotation chooses, and the audience."""
    states = await load_learned(session, subscriber_ids)
    if not any(state.enabled for state in states.values()):
        return BatchLearning(states)
    return BatchLearning(states, await load_audience(session))


@dataclass(frozen=True, slots=True)
class Chosen:
    """A day the rotation chose an item for, created by this batch."""

    subscriber_id: int
    delivery_id: int
    item_id: str
    local_date: date


AudienceCounts = dict[tuple[str, str], Tally]
"""(item id, kind) -> answers to add to the pooled tallies."""


async def record_learning(
    session: AsyncSession, learning: BatchLearning, chosen: Iterable[Chosen], pack: ContentPack
) -> AudienceCounts:
    """Count each subscriber's pending answer, note today's item; the audience's share.

    Writes the tastes (does not commit); the returned counts go to :func:`add_counts`
    once the batch has committed.
    """
    days = [c for c in chosen if learning.states.get(c.subscriber_id, Learned()).enabled]
    if not days:
        return {}
    pending = {learning.states[day.subscriber_id].pending_delivery_id for day in days} - {None}
    answers = await answers_to(session, (p for p in pending if p is not None))
    counts: AudienceCounts = {}
    updates: dict[int, Learned] = {}
    for day in days:
        state = learning.states[day.subscriber_id]
        taste = state.taste
        before = pack.get(state.pending_item)
        answered = answers.get(state.pending_delivery_id or -1)
        if before is not None and answered is not None:
            taste = taste.answered(before, answered)
            key = (before.id, before.kind.value)
            counts[key] = counts.get(key, Tally()).add(answered)
        today = pack.get(day.item_id)
        if today is not None:
            taste = taste.sent(today, day.local_date)
        updates[day.subscriber_id] = Learned(True, taste, day.delivery_id, day.item_id)
    await save_learned(session, updates, max(day.local_date for day in days))
    return counts


async def add_counts(sessions: Sessions, counts: AudienceCounts) -> None:
    """Add a committed batch's counts to the pooled tallies, in a short transaction."""
    if counts:
        async with sessions() as session:
            await add_to_audience(session, counts)
            await session.commit()
