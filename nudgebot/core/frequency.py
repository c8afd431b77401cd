"""How often a subscriber wants a nudge: every day, weekdays only, or three times a week.

A frequency is a set of weekdays. Everything that depends on it is arithmetic on local
dates, so the schedule (:mod:`nudgebot.store.subscribers`), the planner's weekly rhythm
and the weekly summary agree without storing anything but the choice itself.

The rhythm of kinds runs over *scheduled* days, not calendar days: the n-th scheduled
day of all time gets ``WEEKLY_RHYTHM[n % 7]``. For daily nudges that is exactly the
weekday (day 1 of the proleptic calendar was a Monday); for weekdays or three times a
week it still gives 3 tips, 2 challenges and 2 myths in every 7 nudges, where a plain
weekday lookup would starve some kinds (Mon/Wed/Fri would never see a second tip).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    THRICE = "3x"


WEEKDAYS_OF: dict[Frequency, tuple[int, ...]] = {
    Frequency.DAILY: (0, 1, 2, 3, 4, 5, 6),
    Frequency.WEEKDAYS: (0, 1, 2, 3, 4),
    Frequency.THRICE: (0, 2, 4),  # Monday, Wednesday, Friday
}
"""ISO weekdays (Monday = 0) on which a frequency has a nudge."""

_ALIASES = {
    "daily": Frequency.DAILY,
    "day": Frequency.DAILY,
    "dagelijks": Frequency.DAILY,
    "weekdays": Frequency.WEEKDAYS,
    "weekdagen": Frequency.WEEKDAYS,
    "werkdagen": Frequency.WEEKDAYS,
    "3x": Frequency.THRICE,
    "3": Frequency.THRICE,
    "3/week": Frequency.THRICE,
}


def parse_frequency(value: str) -> Frequency | None:
    """``daily``, ``weekdays`` or ``3x`` (and their Dutch words), or None."""
    return _ALIASES.get(value.strip().lower())


def is_scheduled(frequency: Frequency, local_date: date) -> bool:
    return local_date.weekday() in WEEKDAYS_OF[frequency]


def first_scheduled(frequency: Frequency, local_date: date) -> date:
    """``local_date`` if it has a nudge, else the next date that does."""
    while not is_scheduled(frequency, local_date):
        local_date += timedelta(days=1)
    return local_date


def scheduled_index(frequency: Frequency, local_date: date) -> int:
    """How many scheduled days came before ``local_date`` since 1 January of year 1.

    Only meaningful for a scheduled date; it drives the rhythm of kinds (module doc).
    """
    weekdays = WEEKDAYS_OF[frequency]
    weeks, weekday = divmod(local_date.toordinal() - 1, 7)
    return weeks * len(weekdays) + sum(1 for day in weekdays if day < weekday)


def last_scheduled_by(frequency: Frequency, local_date: date, weekday: int) -> date:
    """The last scheduled date of ``local_date``'s week on or before ``weekday``.

    The weekly summary goes into that day's nudge: a Sunday summary for someone on
    weekdays comes with Friday's nudge. Every frequency has Mondays, so there is one.
    """
    monday = local_date - timedelta(days=local_date.weekday())
    days = [d for d in WEEKDAYS_OF[frequency] if d <= weekday]
    return monday + timedelta(days=days[-1])
