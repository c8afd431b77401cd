"""Preparing a day's nudge for the habits around it: settle the streak, decide the notes.

Called for the days a batch (or ``/today``) creates, in the transaction that creates
their delivery rows (:func:`nudgebot.store.deliveries.create_days`), so a streak is
settled exactly when a nudge is created and never twice: the unique delivery row and
the streak's compare-and-set decide every race. What the nudge says about it (a freeze
used, a milestone, the re-engagement question, the weekly summary, a finished series)
is stored with the streak as :class:`~nudgebot.core.notes.NudgeNotes` for that day, so
a retried send or ``/today`` shows the same lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.content import ContentPack
from nudgebot.core.frequency import Frequency
from nudgebot.core.notes import NudgeNotes
from nudgebot.core.reengage import Step
from nudgebot.core.summary import SUNDAY, WeeklySummary, WeekNudge, summarize_week, summary_due
from nudgebot.store.bulk import upsert_insert
from nudgebot.store.series import finished_between, finished_series, running_series
from nudgebot.store.streaks import (
    MAX_RACES,
    StreakState,
    load_state,
    received_between,
    store_state,
)
from nudgebot.store.tables import Delivery, DeliveryStatus, Engagement, StreakRow, Subscriber


async def week_nudges(
    session: AsyncSession, subscriber_id: int, *, monday: date, before: date
) -> list[WeekNudge]:
    """Nudges received from ``monday`` up to ``before``, each with its first answer."""
    rows = (
        await session.exec(
            select(col(Delivery.id), col(Delivery.local_date), col(Delivery.item_id)).where(
                col(Delivery.subscriber_id) == subscriber_id,
                col(Delivery.status) == DeliveryStatus.SENT,
                col(Delivery.local_date) >= monday,
                col(Delivery.local_date) < before,
            )
        )
    ).all()
    taps = (
        await session.exec(
            select(Engagement.delivery_id, Engagement.answer)
            .where(col(Engagement.delivery_id).in_([delivery_id for delivery_id, _, _ in rows]))
            .order_by(col(Engagement.id).desc())
        )
    ).all()
    first_answer: dict[int | None, str] = dict(taps)  # latest first: the first tap wins
    return sorted(
        (
            WeekNudge(day, item_id, first_answer.get(delivery_id, ""))
            for delivery_id, day, item_id in rows
        ),
        key=lambda nudge: nudge.local_date,
    )


@dataclass(frozen=True, slots=True)
class HabitDay:
    """A day's nudge being created, with what its notes depend on."""

    subscriber_id: int
    local_date: date
    frequency: Frequency = Frequency.DAILY
    summary_day: int = SUNDAY


async def _summary(
    session: AsyncSession, day: HabitDay, *, streak: int, pack: ContentPack
) -> WeeklySummary | None:
    if not summary_due(day.frequency, day.summary_day, day.local_date):
        return None
    monday = day.local_date - timedelta(days=day.local_date.weekday())
    week = await week_nudges(session, day.subscriber_id, monday=monday, before=day.local_date)
    return summarize_week(
        week=week,
        streak=streak,
        pack=pack,
        finished_series=await finished_series(session, day.subscriber_id),
        in_series=await running_series(session, day.subscriber_id) is not None,
        seed=str(day.subscriber_id),
        local_date=day.local_date,
    )


async def prepare_days(
    session: AsyncSession, days: Sequence[HabitDay], *, pack: ContentPack
) -> None:
    """Settle each day's streak and decide its notes. Does not commit.

    A second call for a day already prepared changes nothing. Missing streak rows are
    created in one statement first.
    """
    if not days:
        return
    rows = [{"subscriber_id": day.subscriber_id} for day in days]
    insert = upsert_insert(session, StreakRow).on_conflict_do_nothing(
        index_elements=["subscriber_id"]
    )
    await (await session.connection()).execute(insert, rows)
    for day in days:
        await prepare_day(session, day, pack=pack)


async def prepare_day(session: AsyncSession, day: HabitDay, *, pack: ContentPack) -> NudgeNotes:
    """Settle the streak for the nudge of ``day`` and decide its notes. Does not commit.

    A freeze covers a missed nudge or the streak ends (core.streaks); re-engagement may
    ask, or move a daily or weekdays subscriber to three times a week (core.reengage).
    Compare-and-set on the streak row: a tap committed meanwhile is read and recomputed.
    """
    for _ in range(MAX_RACES):
        old = await load_state(session, day.subscriber_id)
        if old.notes_day == day.local_date:
            return NudgeNotes.from_json(old.notes)
        received = await received_between(
            session, day.subscriber_id, after=old.streak.settled_day, before=day.local_date
        )
        streak, settlement = old.streak.settled(received)
        again, step = old.reengagement.missed(settlement.missed).next_step(day.frequency)
        finished = await finished_between(
            session, day.subscriber_id, since=old.notes_day, before=day.local_date
        )
        notes = NudgeNotes(
            freezes_used=settlement.freezes_used,
            freezes_left=settlement.freezes_left,
            milestone=streak.milestone,
            series_done=finished[0] if finished else "",
            reengage=step.value if step else "",
            frequency=day.frequency.value,
            summary=await _summary(session, day, streak=streak.current, pack=pack),
        )
        new = StreakState(
            streak=streak.announced(),
            reengagement=again,
            notes_day=day.local_date,
            notes=notes.to_json(),
            version=old.version,
        )
        if await store_state(session, day.subscriber_id, old, new):
            if step is Step.SWITCH:
                await session.exec(
                    update(Subscriber)
                    .where(col(Subscriber.id) == day.subscriber_id)
                    .values(frequency=Frequency.THRICE.value)
                )
            return notes
    raise RuntimeError(f"the streak of subscriber {day.subscriber_id} kept changing under us")


async def load_notes(
    session: AsyncSession, days: Sequence[tuple[int, date]]
) -> dict[int, NudgeNotes]:
    """The notes decided for these (subscriber id, local date) nudges, in one query."""
    wanted = dict(days)
    if not wanted:
        return {}
    statement = select(StreakRow).where(col(StreakRow.subscriber_id).in_(list(wanted)))
    notes = {sid: NudgeNotes() for sid in wanted}
    for row in (await session.exec(statement)).all():
        if row.notes_day == wanted[row.subscriber_id]:
            notes[row.subscriber_id] = NudgeNotes.from_json(row.notes)
    return notes


async def notes_for(session: AsyncSession, subscriber_id: int, local_date: date) -> NudgeNotes:
    """The notes decided for the nudge of ``local_date`` (none if it has none)."""
    return (await load_notes(session, [(subscriber_id, local_date)]))[subscriber_id]
