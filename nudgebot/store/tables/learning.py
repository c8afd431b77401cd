"""What the bandit learns (:mod:`nudgebot.core.bandit`): per subscriber, and pooled.

``taste`` belongs to its subscriber (a foreign key, so ``/mydata`` shows it and
``/delete`` erases it with no list to keep up to date); ``audience_tally`` counts
answers per item over everyone and refers to nobody.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from nudgebot.store.tables.columns import utc_column, utc_now


class TasteRow(SQLModel, table=True):
    """One subscriber's learned taste, and the nudge whose answer is still to be counted.

    ``data`` is the :class:`~nudgebot.core.bandit.Taste` as compact JSON (answers per tag,
    when each tag and item was last sent); one small row, read with the batch, instead
    of a history of deliveries. ``pending_delivery_id`` is the last nudge chosen by
    learning: when the next day is created, its answer (or none) is counted. It is a
    plain number, not a foreign key, so that the retention job deleting an old delivery
    never takes a taste with it. ``enabled`` is what the subscriber chose with ``/learning``:
    off (and no row) means the fixed rotation, and nothing is learned.
    """

    __tablename__ = "taste"

    subscriber_id: int = Field(foreign_key="subscriber.id", primary_key=True)
    enabled: bool = False
    data: str = Field(default="", sa_column=Column(Text, nullable=False))
    pending_delivery_id: int | None = None
    pending_item: str = Field(default="", max_length=64)
    updated_utc: datetime = Field(default_factory=utc_now, sa_column=utc_column(nullable=False))


class AudienceTally(SQLModel, table=True):
    """Nudges of one item sent to subscribers who learn, and how many were answered."""

    __tablename__ = "audience_tally"

    item_id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=16)
    sent: int = 0
    answered: int = 0


__all__ = ["AudienceTally", "TasteRow"]
