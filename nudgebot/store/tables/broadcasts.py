"""Tables of admin broadcasts: the broadcast record and its per-recipient outbox.

A broadcast keeps its text per language, its audience filter (typed columns, so the
record says exactly whom it was meant for), who made it and its state. When sending
starts the audience is expanded once into ``outbox`` rows, unique per broadcast and
subscriber: that constraint, not any process's memory, is what keeps a restart or a
second instance from adding a recipient twice (invariant 9 in docs/architecture.md). An outbox row
follows the nudge rules: ``sending`` is committed before the platform call, and a row
found ``sending`` after its lease ran out becomes ``unknown`` and is never resent.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from nudgebot.core.broadcast import MAX_BROADCAST_CHARS
from nudgebot.core.content import Lang
from nudgebot.core.subscription import Status
from nudgebot.store.tables.columns import LanguageType, StrEnumType, utc_column, utc_now


class BroadcastState(StrEnum):
    DRAFT = "draft"  # stored, waiting for `send`
    SCHEDULED = "scheduled"  # starts by itself at `due_utc`
    SENDING = "sending"  # the outbox exists and is being worked through
    DONE = "done"  # no outbox row is pending or sending any more
    CANCELLED = "cancelled"  # pending rows are never sent


class OutboxStatus(StrEnum):
    PENDING = "pending"  # not sent yet: safe to (re)try
    SENDING = "sending"  # the platform call is starting: never resent
    SENT = "sent"
    GONE = "gone"  # the recipient is gone; their subscription was stopped
    UNKNOWN = "unknown"  # died inside the send call: maybe delivered, not resent
    FAILED = "failed"  # retries exhausted


class Broadcast(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    text_nl: str = Field(default="", max_length=MAX_BROADCAST_CHARS)
    text_en: str = Field(default="", max_length=MAX_BROADCAST_CHARS)
    link: str | None = Field(default=None, max_length=500)
    platform: str | None = Field(default=None, max_length=16)
    language: Lang | None = Field(default=None, sa_column=Column(LanguageType()))
    workspace: str | None = Field(default=None, max_length=64)
    status: Status | None = Field(
        default=None, sa_column=Column(StrEnumType(Status, 8))
    )  # None: active
    min_streak: int | None = None
    subscribed_after: date | None = None
    subscribed_before: date | None = None
    created_by: str = Field(
        max_length=96, description="cli:<user>, telegram:<id>, slack:<team>/<user>"
    )
    created_utc: datetime = Field(default_factory=utc_now, sa_column=utc_column(nullable=False))
    due_utc: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    state: str = Field(default=BroadcastState.DRAFT, max_length=10, index=True)
    started_utc: datetime | None = Field(default=None, sa_column=utc_column())
    finished_utc: datetime | None = Field(default=None, sa_column=utc_column())


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("broadcast_id", "subscriber_id"),)

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", index=True)
    subscriber_id: int = Field(foreign_key="subscriber.id", index=True)
    platform: str = Field(max_length=16, description="copied at expansion, for counts")
    status: OutboxStatus = Field(
        default=OutboxStatus.PENDING,
        sa_column=Column(StrEnumType(OutboxStatus, 8), nullable=False, index=True),
    )
    attempts: int = 0
    not_before_utc: datetime | None = Field(default=None, sa_column=utc_column())
    claimed_utc: datetime | None = Field(default=None, sa_column=utc_column())
    sent_utc: datetime | None = Field(default=None, sa_column=utc_column())


__all__ = [
    "MAX_BROADCAST_CHARS",
    "Broadcast",
    "BroadcastState",
    "OutboxRow",
    "OutboxStatus",
]
