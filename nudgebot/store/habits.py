"""Preparing a day's nudge for the habits around it: settle the streak, decide the notes.

Called for the days a batch (or ``/today``) creates, in the transaction that creates
their delivery rows (:func:`nudgebot.store.deliveries.create_days`), so a streak is
settled exactly when a nudge is created and never twice: the unique delivery row and
the streak rows (read locked, written by compare-and-set) decide every race. What the
nudge says about it (a freeze used, a milestone, the re-engagement question, the weekly
summary, a finished series) is stored with the streak as
:class:`~nudgebot.core.notes.NudgeNotes` for that day, so a retried send or ``/today``
shows the same lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.content import ContentPack
from nudgebot.core.frequency import Frequency
from nudgebot.core.notes import NudgeNotes
from nudgebot.core.reengage import Reengagement, Step
from nudgebot.core.streaks import Settlement, Streak
from nudgebot.core.summary import SUNDAY, WeeklySummary, WeekNudge, summarize_week, summary_due
from nudgebot.store.series import finished_on, running_among
from nudgebot.store.streaks import (
    StreakState,
    ensure_rows,
    load_states,
    received_since_settled,
    store_states,
)
from nudgebot.store.tables import Delivery, DeliveryStatus, Engagement, StreakRow, Subscriber


@dataclass(frozen=True, slots=True)
class HabitDay:
    """A day's nudge being created, with what its notes depend on."""

    subscriber_id: int
    local_date: date
    frequency: Frequency = Frequency.DAILY
    summary_day: int = SUNDAY


@dataclass(frozen=True, slots=True)
class Prepared:
    """What preparing days decided, so the batch need not read it back.

    ``notes`` holds every prepared day's notes by subscriber id (also those prepared
    before); ``switched`` the subscribers re-engagement just moved to three times a week.
    """

    notes: dict[int, NudgeNotes] = field(default_factory=dict)
    switched: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class _Settled:
    """One day's streak settled in memory, before its notes and its write."""

    day: HabitDay
    old: StreakState
    streak: Streak
    settlement: Settlement
    reengagement: Reengagement
    step: Step | None


async def prepare_days(
    session: AsyncSession, days: Sequence[HabitDay], *, pack: ContentPack
) -> Prepared:
    """Settle each day's streak and decide its notes, a few queries for the whole batch.

    A day already prepared changes nothing. Does not commit. The streak rows are read
    locked (:func:`~nudgebot.store.streaks.load_states`), so no tap changes them
    between this read and the write; each write still compares the version it read.
    Per-subscriber queries here were the batch's largest cost (252 nudges/s).
    """
    if not days:
        return Prepared()
    ids = sorted({day.subscriber_id for day in days})
    olds = await load_states(session, ids, lock=True)
    if missing := [sid for sid in ids if olds[sid].version == 0]:  # new, or never changed
        await ensure_rows(session, missing)
        olds |= await load_states(session, missing, lock=True)
    decided = {
        day.subscriber_id: NudgeNotes.from_json(olds[day.subscriber_id].notes)
        for day in days
        if olds[day.subscriber_id].notes_day == day.local_date
    }
    todo = [day for day in days if day.subscriber_id not in decided]
    if not todo:
        return Prepared(decided)
    received = await received_since_settled(
        session, {day.subscriber_id: day.local_date for day in todo}
    )
    settled = [_settle(day, olds[day.subscriber_id], received[day.subscriber_id]) for day in todo]
    finished = await finished_on(session, [day.subscriber_id for day in todo])
    summaries = await _summaries(session, settled, finished, pack=pack)
    changes: list[tuple[int, StreakState, StreakState]] = []
    for one in settled:
        day = one.day
        since, before = one.old.notes_day, day.local_date
        just_finished = [
            series_id
            for series_id, on in finished[day.subscriber_id]
            if on < before and (since is None or on >= since)
        ]
        notes = NudgeNotes(
            freezes_used=one.settlement.freezes_used,
            freezes_left=one.settlement.freezes_left,
            milestone=one.streak.milestone,
            series_done=just_finished[0] if just_finished else "",
            reengage=one.step.value if one.step else "",
            frequency=day.frequency.value,
            summary=summaries.get(day.subscriber_id),
        )
        new = StreakState(
            streak=one.streak.announced(),
            reengagement=one.reengagement,
            notes_day=day.local_date,
            notes=notes.to_json(),
            version=one.old.version,
        )
        changes.append((day.subscriber_id, one.old, new))
        decided[day.subscriber_id] = notes
    await store_states(session, changes)
    switched = frozenset(one.day.subscriber_id for one in settled if one.step is Step.SWITCH)
    if switched:
        await session.exec(
            update(Subscriber)
            .where(col(Subscriber.id).in_(switched))
            .values(frequency=Frequency.THRICE.value)
        )
    return Prepared(decided, switched)


def _settle(day: HabitDay, old: StreakState, received: list[date]) -> _Settled:
    """The pure part of preparing a day, kept apart from the queries.

    A freeze covers a missed nudge or the streak ends (core.streaks); re-engagement may
    ask, or move a daily or weekdays subscriber to three times a week (core.reengage).
    """
    streak, settlement = old.streak.settled(received)
    again, step = old.reengagement.missed(settlement.missed).next_step(day.frequency)
    return _Settled(day, old, streak, settlement, again, step)


async def _summaries(
    session: AsyncSession,
    settled: Sequence[_Settled],
    finished: dict[int, list[tuple[str, date]]],
    *,
    pack: ContentPack,
) -> dict[int, WeeklySummary]:
    """The weekly summaries of the days that carry one (three queries for all of them)."""
    due = [s for s in settled if summary_due(s.day.frequency, s.day.summary_day, s.day.local_date)]
    if not due:
        return {}
    weeks = await week_nudges(
        session,
        {
            s.day.subscriber_id: (
                s.day.local_date - timedelta(days=s.day.local_date.weekday()),
                s.day.local_date,
            )
            for s in due
        },
    )
    running = await running_among(session, [s.day.subscriber_id for s in due])
    return {
        s.day.subscriber_id: summarize_week(
            week=weeks[s.day.subscriber_id],
            streak=s.streak.current,
            pack=pack,
            finished_series={series_id for series_id, _ in finished[s.day.subscriber_id]},
            in_series=s.day.subscriber_id in running,
            seed=str(s.day.subscriber_id),
            local_date=s.day.local_date,
        )
        for s in due
    }


async def week_nudges(
    session: AsyncSession, weeks: Mapping[int, tuple[date, date]]
) -> dict[int, list[WeekNudge]]:
    """Each subscriber's nudges received from ``monday`` up to ``before``, with first answers.

    ``weeks`` maps a subscriber id to its (monday, before); two queries for all of them.
    """
    rows = (
        await session.exec(
            select(
                col(Delivery.id),
                col(Delivery.subscriber_id),
                col(Delivery.local_date),
                col(Delivery.item_id),
            ).where(
                col(Delivery.subscriber_id).in_(list(weeks)),
                col(Delivery.status) == DeliveryStatus.SENT,
                col(Delivery.local_date) >= min(monday for monday, _ in weeks.values()),
                col(Delivery.local_date) < max(before for _, before in weeks.values()),
            )
        )
    ).all()
    rows = [row for row in rows if weeks[row[1]][0] <= row[2] < weeks[row[1]][1]]
    # Ordered here, not in SQL: an ORDER BY id let the planner walk the whole primary
    # key backwards instead of probing delivery_id (tests/store/test_batch_plans.py).
    taps = (
        await session.exec(
            select(Engagement.id, Engagement.delivery_id, Engagement.answer).where(
                col(Engagement.delivery_id).in_([row[0] for row in rows])
            )
        )
    ).all()
    first_answer: dict[int | None, str] = {}
    for _, tapped, answer in sorted(taps, key=lambda tap: tap[0] or 0):
        first_answer.setdefault(tapped, answer)  # the first tap wins
    found: dict[int, list[WeekNudge]] = {subscriber_id: [] for subscriber_id in weeks}
    for delivery_id, subscriber_id, day, item_id in sorted(rows, key=lambda row: row[2]):
        found[subscriber_id].append(WeekNudge(day, item_id, first_answer.get(delivery_id, "")))
    return found


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
