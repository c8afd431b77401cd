"""Quiet hours: the part of a subscriber's night in which the bot starts nothing.

Inside them only replies to the subscriber's own actions go out; everything the bot
would start by itself (a snoozed nudge, a broadcast, a nudge held back by Slack's Do Not
Disturb) waits until they end. Wall times in the subscriber's zone, like the nudge's own
time; a window that crosses midnight (22:00-07:00) is the usual case. Pure: the current
instant always comes in as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from nudgebot.core.timing import due_utc_on

QUIET_START = time(22, 0)
QUIET_END = time(7, 0)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """From ``start`` up to (not including) ``end``, every night; equal ends are refused."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError("quiet hours must not start and end at the same time")

    def covers(self, wall: time) -> bool:
        """Whether a wall time lies inside the quiet hours."""
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def next_open(self, instant_utc: datetime, tz: ZoneInfo) -> datetime:
        """``instant_utc`` itself if it is outside the quiet hours, else when they end."""
        local = instant_utc.astimezone(tz)
        if not self.covers(local.time().replace(second=0, microsecond=0)):
            return instant_utc
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)  # tonight's window ends tomorrow morning
        return due_utc_on(day, self.end, tz)


def quiet_hours(start: time | None, end: time | None) -> QuietHours | None:
    """The stored pair as quiet hours, or None when they are off."""
    if start is None or end is None or start == end:
        return None
    return QuietHours(start, end)


DEFAULT_QUIET = QuietHours(QUIET_START, QUIET_END)

__all__ = ["DEFAULT_QUIET", "QUIET_END", "QUIET_START", "QuietHours", "quiet_hours"]
