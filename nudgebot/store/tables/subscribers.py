"""The database tables. Their schema changes only through Alembic revisions in ``migrations/``.

Instants are timezone-aware UTC (``DateTime(timezone=True)``); local dates are plain
dates in the subscriber's zone. The unique constraint on (subscriber, local date) in
``delivery`` is what makes invariant 1 of docs/architecture.md hold across retries, restarts and
instances: a second claim for the same day cannot insert a second row.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from nudgebot.core.content import Lang
from nudgebot.core.frequency import Frequency
from nudgebot.core.quiet import QUIET_END, QUIET_START
from nudgebot.core.subscription import Status
from nudgebot.store.tables.columns import (
    PERSON_ID,
    LanguageType,
    StrEnumType,
    WallTimeType,
    utc_column,
    utc_now,
)


class DeliveryStatus(StrEnum):
    CLAIMED = "claimed"  # row exists, nothing sent yet: safe to (re)try
    SENDING = "sending"  # the platform call is starting: never resent
    SENT = "sent"
    UNKNOWN = "unknown"  # died inside the send call: maybe delivered, not resent
    SKIPPED = "skipped"  # too late after downtime, or a failed day
    FAILED = "failed"  # retries exhausted
    GONE = "gone"  # the recipient is gone


class Subscriber(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "workspace", "address"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace: str = Field(default="", max_length=64)
    address: str = Field(max_length=64, description="chat / channel / user id on the platform")
    language: Lang = Field(sa_column=Column(LanguageType(), nullable=False))
    timezone: str = Field(max_length=64)
    local_time: time = Field(
        sa_column=Column(WallTimeType(), nullable=False),
        description="wall time in `timezone`",
    )
    status: Status = Field(
        default=Status.ACTIVE, sa_column=Column(StrEnumType(Status, 8), nullable=False)
    )
    paused_until: date | None = None
    next_due_utc: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    next_local_date: date | None = Field(
        default=None, description="the local date the next due instant belongs to"
    )
    failed_days: int = 0
    frequency: Frequency = Field(
        default=Frequency.DAILY,
        sa_column=Column(StrEnumType(Frequency, 8), nullable=False),
        description="daily | weekdays | 3x (core.frequency)",
    )
    summary_day: int = Field(default=6, description="weekday of the weekly summary, Monday 0")
    setup_step: str | None = Field(
        default=None, max_length=8, description="the set-up question waiting for an answer"
    )
    dropped_kinds: str = Field(
        default="", max_length=32, description="comma-separated kinds not wanted (core.kinds)"
    )
    quiet_start: time | None = Field(
        default=QUIET_START, sa_column=Column(WallTimeType()), description="None: no quiet hours"
    )
    quiet_end: time | None = Field(default=QUIET_END, sa_column=Column(WallTimeType()))
    created_utc: datetime = Field(default_factory=utc_now, sa_column=utc_column(nullable=False))


class Delivery(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("subscriber_id", "local_date"),)

    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int = Field(foreign_key="subscriber.id", index=True)
    local_date: date = Field(index=True, description="indexed for the retention job")
    item_id: str = Field(max_length=64)
    item_version: int = Field(
        default=1, sa_column_kwargs={"server_default": "1"}, description="the text it carried"
    )
    kind: str = Field(max_length=16)
    status: str = Field(default=DeliveryStatus.CLAIMED, max_length=8)
    attempts: int = 0
    platform_ref: str | None = Field(default=None, max_length=128)
    claimed_utc: datetime = Field(default_factory=utc_now, sa_column=utc_column(nullable=False))
    sent_utc: datetime | None = Field(default=None, sa_column=utc_column())


class Engagement(SQLModel, table=True):
    """One tap on a nudge. Unique per delivery and actor: a second tap inserts nothing."""

    __table_args__ = (UniqueConstraint("delivery_id", "actor"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    subscriber_id: int = Field(foreign_key="subscriber.id", index=True)
    actor: str = Field(
        max_length=64,
        description="who tapped: a user id, or the subscriber",
        sa_column_kwargs={"info": {PERSON_ID: True}},
    )
    answer: str = Field(max_length=8)
    local_date: date
    created_utc: datetime = Field(default_factory=utc_now, sa_column=utc_column(nullable=False))


class RotationRow(SQLModel, table=True):
    """A subscriber's place in one kind's round (:class:`nudgebot.core.planner.Rotation`).

    Kept so that choosing today's item reads one small row, not a year of deliveries;
    ``seen`` is the comma-separated ids already sent in round ``round_no``.
    """

    __tablename__ = "rotation"

    subscriber_id: int = Field(foreign_key="subscriber.id", primary_key=True)
    kind: str = Field(primary_key=True, max_length=16)
    round_no: int = 0
    seen: str = Field(default="", sa_column=Column(Text, nullable=False))


class StreakRow(SQLModel, table=True):
    """A subscriber's streak and re-engagement state (core.streaks, core.reengage).

    Stored, never recomputed from deliveries, so retention cannot change a streak.
    ``version`` makes every change a compare-and-set. ``notes`` are the lines the nudge
    of ``notes_day`` carries (core.notes), decided once when that nudge was prepared.
    """

    __tablename__ = "streak"

    subscriber_id: int = Field(foreign_key="subscriber.id", primary_key=True)
    current: int = 0
    best: int = 0
    last_day: date | None = None
    settled_day: date | None = None
    freezes: int = 0
    run: int = 0
    milestone: int = 0
    unanswered: int = 0
    reengage: str = Field(default="", max_length=8)
    notes_day: date | None = None
    notes: str = Field(default="", max_length=1000)
    version: int = 0


class SeriesProgress(SQLModel, table=True):
    """One subscriber's go at a challenge series: ``steps_done`` moves only on ✅ done.

    At most one row per subscriber is running (neither finished nor left).
    """

    __tablename__ = "series_progress"

    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int = Field(foreign_key="subscriber.id", index=True)
    series_id: str = Field(max_length=64)
    steps_done: int = 0
    joined_on: date
    finished_on: date | None = None
    left_on: date | None = None


class CorrectionNotice(SQLModel, table=True):
    """A subscriber was told, inside a nudge, that an item they received was corrected.

    One row per subscriber, item and corrected version: the line is told once.
    """

    __tablename__ = "correction_notice"

    subscriber_id: int = Field(foreign_key="subscriber.id", primary_key=True)
    item_id: str = Field(max_length=64, primary_key=True)
    version: int = Field(primary_key=True)
    local_date: date = Field(description="the day of the nudge that told it")


__all__ = [
    "CorrectionNotice",
    "Delivery",
    "DeliveryStatus",
    "Engagement",
    "RotationRow",
    "SeriesProgress",
    "Status",
    "StreakRow",
    "Subscriber",
]
