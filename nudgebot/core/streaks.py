"""Streak arithmetic (DESIGN.md invariant 5): a streak counts local days, each day once.

A day counts when the subscriber answers that day's nudge: ✅ done on a challenge, an
answer on a myth, 👌 got it on a tip. Taps on one day after the first change nothing,
whatever the number of taps, members or instances.

A streak is a run of *answered nudges*: it continues when the nudge before this one was
answered too, and ends when a nudge received goes unanswered. Days without a nudge (a
pause, a day skipped after downtime, a failed send) neither count nor break it: nobody
should lose a 20-day streak for taking a holiday with ``/pause 7``.

The store applies :meth:`Streak.counted` in one conditional UPDATE so that it holds
under races; these functions are its specification and what the commands show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Streak:
    current: int = 0
    best: int = 0
    last_day: date | None = None

    def counted(self, local_date: date, *, previous_nudge: date | None) -> Streak:
        """The streak once ``local_date`` counts; unchanged if that day or a later one did.

        ``previous_nudge`` is the local date of the nudge received before this one (None
        for the first): the streak continues only if that one was answered.
        """
        if self.last_day is not None and local_date <= self.last_day:
            return self
        continues = self.last_day is not None and self.last_day == previous_nudge
        current = self.current + 1 if continues else 1
        return Streak(current=current, best=max(self.best, current), last_day=local_date)

    def shown(self, *, unanswered: int) -> int:
        """The streak as the subscriber sees it, given how many nudges since went unanswered.

        Today's nudge, while today lasts, is not counted as unanswered by the caller.
        """
        return self.current if unanswered == 0 else 0


def week_marks(counted_days: set[date], today: date) -> str:
    """Monday to Sunday of ``today``'s week as ✅ (counted) and ▫️ (not)."""
    monday = today - timedelta(days=today.weekday())
    return "".join("✅" if monday + timedelta(days=i) in counted_days else "▫️" for i in range(7))
