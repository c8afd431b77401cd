"""The weekly summary, told inside the nudge of the subscriber's summary day.

Never an extra message: it is a paragraph of that day's nudge. The numbers cover the
nudges received from Monday up to the day before (the day's own nudge is still open):
how many were answered, the streak, how many myths were judged right, and one thing to
try next week. Pure: the store gathers the week, this module counts and chooses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from nudgebot.core.content import ContentPack, Kind
from nudgebot.core.frequency import Frequency, is_scheduled, last_scheduled_by

SUNDAY = 6
_WEEKDAY_NAMES = (
    ("mon", "monday", "ma", "maandag"),
    ("tue", "tuesday", "di", "dinsdag"),
    ("wed", "wednesday", "wo", "woensdag"),
    ("thu", "thursday", "do", "donderdag"),
    ("fri", "friday", "vr", "vrijdag"),
    ("sat", "saturday", "za", "zaterdag"),
    ("sun", "sunday", "zo", "zondag"),
)


def parse_weekday(value: str) -> int | None:
    """``sun``, ``Sunday``, ``zo`` or ``zondag`` as a weekday number (Monday 0), or None."""
    wanted = value.strip().lower()
    return next((n for n, names in enumerate(_WEEKDAY_NAMES) if wanted in names), None)


@dataclass(frozen=True, slots=True)
class WeekNudge:
    """A nudge received this week, and the first answer it got ('' if none)."""

    local_date: date
    item_id: str
    answer: str = ""


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    received: int
    answered: int
    streak: int
    myths_right: int
    myths_answered: int
    try_next: str
    """A series id to join, or a challenge item id."""


def summary_due(frequency: Frequency, summary_day: int, local_date: date) -> bool:
    """Whether the nudge of ``local_date`` carries the weekly summary.

    The chosen weekday (default Sunday) if it is a nudge day, else the last nudge day
    of the week before it: Friday for a weekdays or three-times-a-week schedule.
    """
    if not is_scheduled(frequency, local_date):
        return False
    return last_scheduled_by(frequency, local_date, summary_day) == local_date


def summarize_week(
    *,
    week: Sequence[WeekNudge],
    streak: int,
    pack: ContentPack,
    finished_series: set[str],
    in_series: bool,
    seed: str,
    local_date: date,
) -> WeeklySummary:
    """Count the week and pick the one thing to try next.

    The suggestion is a series not done yet (unless one is running), else a challenge
    picked per subscriber and week, so it changes every week and differs between people.
    """
    myths_right = myths_answered = 0
    for nudge in week:
        item = pack.get(nudge.item_id)
        if item is None or item.kind is not Kind.MYTH or item.verdict is None:
            continue
        if nudge.answer in ("myth", "fact"):
            myths_answered += 1
            myths_right += nudge.answer == item.verdict.value
    fresh = [s.id for s in pack.series if s.id not in finished_series]
    if fresh and not in_series:
        try_next = fresh[0]
    else:
        challenges = pack.of_kind(Kind.CHALLENGE)
        week_no = local_date.isocalendar()
        key = f"{seed}|{week_no.year}|{week_no.week}".encode()
        pick = int.from_bytes(hashlib.blake2b(key, digest_size=4).digest(), "big")
        try_next = challenges[pick % len(challenges)].id if challenges else ""
    return WeeklySummary(
        received=len(week),
        answered=sum(1 for nudge in week if nudge.answer),
        streak=streak,
        myths_right=myths_right,
        myths_answered=myths_answered,
        try_next=try_next,
    )
