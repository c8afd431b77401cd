"""Streak arithmetic (DESIGN.md invariant 5): a streak counts local days, each day once.

A day counts when the subscriber answers that day's nudge: ✅ done on a challenge, an
answer on a myth, 👌 got it on a tip. Taps on one day after the first change nothing,
whatever the number of taps, members or instances. A missed day ends the streak.
The store applies the same rule in one conditional UPDATE so that it holds under races;
these functions are its specification and what the commands show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Streak:
    current: int = 0
    best: int = 0
    last_day: date | None = None

    def counted(self, local_date: date) -> Streak:
        """The streak after ``local_date`` counts; unchanged if that day (or a later) already did."""
        if self.last_day is not None and local_date <= self.last_day:
            return self
        continues = self.last_day is not None and local_date - self.last_day == timedelta(days=1)
        current = self.current + 1 if continues else 1
        return Streak(current=current, best=max(self.best, current), last_day=local_date)

    def alive_on(self, today: date) -> int:
        """The streak as a subscriber sees it today: still alive if yesterday counted."""
        if self.last_day is None or today - self.last_day > timedelta(days=1):
            return 0
        return self.current


def week_marks(counted_days: set[date], today: date) -> str:
    """Monday to Sunday of ``today``'s week as ✅ (counted) and ▫️ (not)."""
    monday = today - timedelta(days=today.weekday())
    return "".join("✅" if monday + timedelta(days=i) in counted_days else "▫️" for i in range(7))
