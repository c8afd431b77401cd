"""Nudges as a kind of batched work: lease due subscribers, create the day's rows, record.

Invariants 1, 2 and 4 of docs/architecture.md, for the daily nudge. A leased subscriber's
day row is created ``claimed`` in one insert for the whole batch and marked ``sending``
just before its platform call (:meth:`NudgeWork.start`, in small groups); a day that
already had a row follows the rules for it: found ``sending`` (an instance died inside
the call, or between recording the start and making it) becomes ``unknown`` and is not
resent; found ``claimed`` (it never started) is sent; anything else was done already.
After downtime a nudge late by more than the grace window is recorded ``skipped`` and
never sent (no 3 a.m. nudges). What each platform answer does is in :mod:`.outcomes`.

Lock order on PostgreSQL, in every path that writes these rows: the subscriber, then its
day row, then its streak (the lease, the insert, the habits; recording and ``/today``
too). Two instances that meet on one subscriber, after a lease ran out, then wait for
each other instead of deadlocking (tests/engine/test_lock_order.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.core.frequency import Frequency
from nudgebot.core.notes import NudgeNotes, render_nudge
from nudgebot.core.planner import parse_kinds
from nudgebot.core.sending import Moved
from nudgebot.core.timing import due_utc_on, zone
from nudgebot.engine.metrics import count_outcome, outcome_label
from nudgebot.engine.outcomes import due_again, settle
from nudgebot.engine.work import Batch, NotSent, Outcome, Send, TickReport
from nudgebot.store.db import Sessions, bind_to_indexes
from nudgebot.store.deliveries import (
    DayRow,
    DayToCreate,
    DeliveryState,
    create_days,
    find_days,
    start_days,
    write_states,
)
from nudgebot.store.due import (
    LeasedSubscriber,
    ScheduleChange,
    frequencies,
    lease_due_subscribers,
    move_leased,
    renew_leases,
    write_schedules,
)
from nudgebot.store.habits import Prepared, load_notes
from nudgebot.store.learning import add_counts
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import DeliveryStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Nudge:
    """A nudge in flight: who it goes to, its day's row and the lines it carries."""

    subscriber: LeasedSubscriber
    delivery: DayRow
    notes: NudgeNotes = field(default_factory=NudgeNotes)


@dataclass
class NudgeWork:
    sessions: Sessions
    pack: ContentPack
    grace: timedelta
    max_attempts: int

    async def open_batch(
        self, *, now_utc: datetime, lease_until: datetime, limit: int
    ) -> Batch[Nudge]:
        """Lease due subscribers, create their rows ``sending``, settle the rest; commits."""
        batch: Batch[Nudge] = Batch(lease_until=lease_until)
        async with self.sessions() as session:
            await bind_to_indexes(session)
            leased = await lease_due_subscribers(
                session, now_utc=now_utc, lease_until=lease_until, limit=limit
            )
            batch.leased = len(leased)
            days = [self._day(subscriber, now_utc) for subscriber in leased]
            days_by_id = {day.subscriber_id: day for day in days}
            made = await create_days(session, days, pack=self.pack, now_utc=now_utc)
            created = made.rows
            conflicts = [
                (d.subscriber_id, d.local_date) for d in days if d.subscriber_id not in created
            ]
            existing = {row.subscriber_id: row for row in await find_days(session, conflicts)}
            states: list[DeliveryState] = []
            schedules: list[ScheduleChange] = []
            to_send: list[Nudge] = []
            for subscriber in leased:
                day = days_by_id[subscriber.id]
                if day.status == DeliveryStatus.SKIPPED:
                    logger.info(
                        "skipped %s for subscriber %s: too late",
                        day.local_date,
                        subscriber.id,
                        extra={"subscriber_id": subscriber.id},
                    )
                    count_outcome(subscriber.platform, "skipped_late")
                    batch.settled.skipped_late += 1
                    schedules.append(due_again(subscriber, after_utc=now_utc - self.grace))
                    continue
                row = created.get(subscriber.id) or existing.get(subscriber.id)
                if row is None:  # no row and none created: nothing to do but move on
                    schedules.append(due_again(subscriber, after_utc=now_utc))
                    continue
                if row.status == DeliveryStatus.CLAIMED:  # created now, or never started
                    to_send.append(Nudge(subscriber, replace(row, attempts=row.attempts + 1)))
                elif row.status == DeliveryStatus.SENDING:
                    logger.warning(
                        "delivery %s had started when its instance stopped; not resent",
                        row.id,
                        extra={"subscriber_id": subscriber.id},
                    )
                    count_outcome(subscriber.platform, "unknown")
                    states.append(DeliveryState(row.id, DeliveryStatus.UNKNOWN, row.attempts))
                    schedules.append(due_again(subscriber, after_utc=now_utc))
                    batch.settled.unknown += 1
                else:
                    schedules.append(due_again(subscriber, after_utc=now_utc))
                    batch.settled.already_done += 1
            to_send = await self._with_habits(session, to_send, made.habits)
            await write_states(session, states)
            await write_schedules(session, schedules, held_until=lease_until)
            await session.commit()
        await add_counts(self.sessions, made.audience)
        batch.sends = [self._send(nudge) for nudge in to_send]
        return batch

    async def _with_habits(
        self, session: AsyncSession, nudges: list[Nudge], created: Prepared
    ) -> list[Nudge]:
        """Each nudge with its notes, and its subscriber's frequency as it now stands.

        Creating the day settled the streak and may have moved the subscriber to three
        times a week (quiet re-engagement): the next due time must follow that. For days
        created now, ``created`` says both; only retried days are read back.
        """
        retried = [nudge for nudge in nudges if nudge.subscriber.id not in created.notes]
        notes = created.notes | await load_notes(
            session, [(nudge.subscriber.id, nudge.delivery.local_date) for nudge in retried]
        )
        now = {sid: Frequency.THRICE.value for sid in created.switched} | await frequencies(
            session, [nudge.subscriber.id for nudge in retried]
        )
        return [
            Nudge(
                replace(
                    nudge.subscriber,
                    frequency=now.get(nudge.subscriber.id, nudge.subscriber.frequency),
                ),
                nudge.delivery,
                notes.get(nudge.subscriber.id, NudgeNotes()),
            )
            for nudge in nudges
        ]

    def _day(self, subscriber: LeasedSubscriber, now_utc: datetime) -> DayToCreate:
        day = subscriber.next_local_date
        assert day is not None  # set for every active subscriber
        due = due_utc_on(day, subscriber.local_time, zone(subscriber.timezone))
        if now_utc - due > self.grace:
            return DayToCreate(subscriber.id, day, DeliveryStatus.SKIPPED, with_item=False)
        return DayToCreate(
            subscriber.id,
            day,
            DeliveryStatus.CLAIMED,
            frequency=Frequency(subscriber.frequency),
            summary_day=subscriber.summary_day,
            dropped=parse_kinds(subscriber.dropped_kinds),
        )

    def _send(self, nudge: Nudge) -> Send[Nudge]:
        item = self.pack.get(nudge.delivery.item_id)
        assert item is not None
        message = render_nudge(
            self.pack,
            item,
            nudge.subscriber.language,
            delivery_id=nudge.delivery.id,
            notes=nudge.notes,
        )
        return Send(nudge.subscriber.recipient, message, nudge)

    async def start(self, sends: Sequence[Send[Nudge]]) -> set[int]:
        """Mark the day rows ``sending`` where they are still ``claimed``; commits."""
        ids = [send.work.delivery.id for send in sends]
        async with self.sessions() as session:
            started = await start_days(session, ids)
            await session.commit()
        return {n for n, delivery_id in enumerate(ids) if delivery_id in started}

    async def renew(self, batch: Batch[Nudge], *, lease_until: datetime) -> None:
        async with self.sessions() as session:
            ids = [send.work.subscriber.id for send in batch.sends]
            await renew_leases(session, ids, held_until=batch.lease_until, lease_until=lease_until)
            await session.commit()

    async def record(
        self, batch: Batch[Nudge], outcomes: list[Outcome], *, now_utc: datetime
    ) -> TickReport:
        """Every outcome of the batch in one transaction."""
        report = TickReport()
        states: list[DeliveryState] = []
        schedules: list[ScheduleChange] = []
        async with self.sessions() as session:
            await bind_to_indexes(session)
            for send, outcome in zip(batch.sends, outcomes, strict=True):
                subscriber = send.work.subscriber
                if isinstance(outcome, NotSent) and outcome.taken:
                    continue  # another instance started this day: its outcome is theirs
                onto_existing = False
                if isinstance(outcome, Moved):
                    moved_to = Recipient(
                        subscriber.platform, outcome.new_address, subscriber.workspace
                    )
                    onto_existing = await find_subscriber(session, moved_to) is not None
                    if not onto_existing:
                        await move_leased(
                            session,
                            subscriber.id,
                            address=outcome.new_address,
                            held_until=batch.lease_until,
                        )
                settled = settle(
                    subscriber,
                    send.work.delivery,
                    outcome,
                    now_utc=now_utc,
                    max_attempts=self.max_attempts,
                    moved_onto_existing=onto_existing,
                )
                states.append(settled.delivery)
                schedules.append(settled.subscriber)
                report.add(settled.report)
            # Subscribers before deliveries, the order open_batch locks them in: recording
            # in the other order deadlocked on PostgreSQL against an instance that had taken
            # over a lease run out under load, and lost the batch's outcomes.
            await write_schedules(session, schedules, held_until=batch.lease_until)
            await write_states(session, states)
            await session.commit()
        for send, outcome in zip(batch.sends, outcomes, strict=True):
            count_outcome(send.recipient.platform, outcome_label(outcome))
        return report
