"""A subscription as the code outside the store sees it: its status and a plain view.

Adapters build App Home tabs and Block Kit from a :class:`SubscriptionView`, never from a
table row: a row is a live ORM object bound to a session, and letting it out invites
lazy loads and writes from places that should only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from nudgebot.core.content import Lang
from nudgebot.core.frequency import Frequency


class Status(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    """What a subscriber may see of their own subscription.

    Attributes:
        local_time: the wall time of the daily nudge in ``timezone``.
        streak: the streak line, as ``/streak`` words it.
    """

    language: Lang
    timezone: str
    local_time: time
    status: Status
    paused_until: date | None
    next_due_utc: datetime | None
    streak: str
    frequency: Frequency = Frequency.DAILY


__all__ = ["Status", "SubscriptionView"]
