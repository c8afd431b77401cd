"""Preparing a day's nudge for the habits around it: settle the streak, decide the notes.

Called once per subscriber and local date, in the same transaction that creates the
day's delivery row (:func:`nudgebot.store.deliveries.claim_day`), so the streak is
settled exactly when a nudge is created and never twice: the unique delivery row and
the streak's compare-and-set decide every race. What the nudge says about it (a freeze
used, a milestone, the re-engagement question, the weekly summary, a finished series)
is stored with the streak as :class:`~nudgebot.core.notes.NudgeNotes` for that day, so
a retried send or ``/today`` shows the same lines.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.content import ContentPack
from nudgebot.core.frequency import Frequency
from nudgebot.core.notes import NudgeNotes
from nudgebot.core.reengage import Step
from nudgebot.core.summary import WeeklySummary, WeekNudge, summarize_week, summary_due
from nudgebot.store.series import finished_between, finished_series, running_series
from nudgebot.store.streaks import StreakState, load_state, received_between, store_state
from nudgebot.store.tables import Delivery, DeliveryStatus, Engagement, Subscriber


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


async def _summary(
    session: AsyncSession,
    *,
    subscriber: Subscriber,
    local_date: date,
    streak: int,
    pack: ContentPack,
) -> WeeklySummary | None:
    assert subscriber.id is not None
    if not summary_due(Frequency(subscriber.frequency), subscriber.summary_day, local_date):
        return None
    monday = local_date - timedelta(days=local_date.weekday())
    return summarize_week(
        week=await week_nudges(session, subscriber.id, monday=monday, before=local_date),
        streak=streak,
        pack=pack,
        finished_series=await finished_series(session, subscriber.id),
        in_series=await running_series(session, subscriber.id) is not None,
        seed=str(subscriber.id),
        local_date=local_date,
    )


async def prepare_day(
    session: AsyncSession, *, subscriber: Subscriber, local_date: date, pack: ContentPack
) -> NudgeNotes | None:
    """Settle the streak for the nudge of ``local_date`` and decide its notes.

    Does not commit. Returns None if another instance changed the streak meanwhile (the
    caller rolls back and tries again). A second call for the same day changes nothing
    and returns the notes decided the first time. The streak row must exist.
    """
    assert subscriber.id is not None
    old = await load_state(session, subscriber.id)
    if old.notes_day == local_date:
        return NudgeNotes.from_json(old.notes)
    received = await received_between(
        session, subscriber.id, after=old.streak.settled_day, before=local_date
    )
    streak, settlement = old.streak.settled(received)
    frequency = Frequency(subscriber.frequency)
    reengagement, step = old.reengagement.missed(settlement.missed).next_step(frequency)
    if step is Step.SWITCH:
        subscriber.frequency = Frequency.THRICE.value
        session.add(subscriber)
    finished = await finished_between(
        session, subscriber.id, since=old.notes_day, before=local_date
    )
    notes = NudgeNotes(
        freezes_used=settlement.freezes_used,
        freezes_left=settlement.freezes_left,
        milestone=streak.milestone,
        series_done=finished[0] if finished else "",
        reengage=step.value if step else "",
        frequency=frequency.value,
        summary=await _summary(
            session, subscriber=subscriber, local_date=local_date, streak=streak.current, pack=pack
        ),
    )
    new = StreakState(
        streak=streak.announced(),
        reengagement=reengagement,
        notes_day=local_date,
        notes=notes.to_json(),
        version=old.version,
    )
    return notes if await store_state(session, subscriber.id, old, new) else None


async def notes_for(session: AsyncSession, subscriber_id: int, local_date: date) -> NudgeNotes:
    """The notes decided for the nudge of ``local_date`` (none if it has none)."""
    state = await load_state(session, subscriber_id)
    return NudgeNotes.from_json(state.notes) if state.notes_day == local_date else NudgeNotes()
