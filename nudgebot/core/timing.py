"""When a subscriber's nudge is due: wall-clock time in their zone, stored as UTC instants.

Invariant 3 (docs/architecture.md) lives here. A wall time that does not exist on a
spring-forward day (02:30 in Amsterdam on the last Sunday of March) moves forward by the
size of the gap, because :mod:`zoneinfo` resolves such a time with the offset from
before the transition (PEP 495, ``fold=0``). A wall time that occurs twice on a
fall-back day resolves to its first occurrence, and since a due instant is computed once per
local *date*, it is used once. Everything here is pure: the current time always comes in
as a parameter.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from nudgebot.core.frequency import Frequency, is_scheduled

_HH_MM = re.compile(r"^([01]?\d|2[0-3])[:.hu]([0-5]\d)$")
_TWELVE_HOUR = re.compile(r"^(1[0-2]|0?[1-9])(?:[:.hu]([0-5]\d))? ?([ap])\.?m\.?$")


def parse_local_time(value: str) -> time | None:
    """A wall time as people write it, or None if it is not one.

    The 24-hour clock with any of the usual separators (``07:45``, ``7:45``, ``19.45``,
    ``07h45``, and the Dutch ``19u45``) and the 12-hour clock (``7.45pm``, ``7:45 pm``,
    ``7pm``, ``12am`` is midnight). Numbers only: words such as "quarter to eight" are
    not read, and a bare number (``7``) is refused because it could be either clock.
    """
    text = value.strip().lower()
    match = _HH_MM.match(text)
    if match is not None:
        return time(int(match.group(1)), int(match.group(2)))
    match = _TWELVE_HOUR.match(text)
    if match is None:
        return None
    hour = int(match.group(1)) % 12 + (12 if match.group(3) == "p" else 0)
    return time(hour, int(match.group(2) or 0))


TIME_SUFFIXES = ("am", "pm", "a.m.", "p.m.")
"""What may follow a time as a word of its own (``7:45 pm``): joined before parsing."""


def join_time_words(words: list[str]) -> list[str]:
    """``["7:45", "pm", "Europe/Lisbon"]`` -> ``["7:45 pm", "Europe/Lisbon"]``."""
    joined: list[str] = []
    for word in words:
        together = f"{joined[-1]} {word}" if joined else word
        if joined and word.lower() in TIME_SUFFIXES and parse_local_time(together) is not None:
            joined[-1] = together
        else:
            joined.append(word)
    return joined


def format_wall_time(value: time) -> str:
    """``07:45``: how a wall time is shown, and stored."""
    return value.strftime("%H:%M")


@cache
def zone(name: str) -> ZoneInfo:
    """The zone named ``name``, built once per process.

    ``ZoneInfo`` keeps only a handful of zones strongly; an audience in more zones than
    that read a zone file from disk for every nudge of a batch.
    """
    return ZoneInfo(name)


def parse_zone(value: str) -> ZoneInfo | None:
    """An IANA zone by its exact name (case-insensitive), or None."""
    exact = _ZONES_BY_LOWER_NAME.get(value.strip().lower())
    if exact is None:
        return None
    try:
        return ZoneInfo(exact)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def search_zones(query: str, *, limit: int = 6) -> list[str]:
    """Zone names whose city part contains ``query`` ("lisbon" -> Europe/Lisbon)."""
    needle = query.strip().lower().replace(" ", "_")
    if len(needle) < 3:
        return []
    hits = [z for z in _ZONES_BY_LOWER_NAME.values() if needle in z.rsplit("/", 1)[-1].lower()]
    return sorted(hits, key=lambda z: (not z.lower().endswith(needle), len(z), z))[:limit]


def find_zone(query: str) -> ZoneInfo | list[str]:
    """The zone ``query`` names for certain, else the candidates to ask about (maybe none).

    Certain: an exact zone name, or a city that is exactly one zone's city part
    ("lisbon", "new york"). Anything looser ("york") is only a candidate, even when it is
    the only one: the user confirms rather than getting a zone they never typed.
    """
    exact = parse_zone(query)
    if exact is not None:
        return exact
    candidates = search_zones(query)
    city = query.strip().lower().replace(" ", "_")
    same_city = [z for z in candidates if z.rsplit("/", 1)[-1].lower() == city]
    if len(same_city) == 1:
        return ZoneInfo(same_city[0])
    return candidates


_ZONES_BY_LOWER_NAME = {
    zone.lower(): zone for zone in available_timezones() if "/" in zone or zone == "UTC"
}
"""Region/City names (and UTC) only: legacy aliases like "EST" or "Cuba" stay out."""


def due_utc_on(local_date: date, local_time: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of ``local_time`` on ``local_date`` in ``tz`` (DST rules above)."""
    wall = datetime.combine(local_date, local_time, tzinfo=tz)
    return wall.astimezone(UTC)


def local_date_at(instant_utc: datetime, tz: ZoneInfo) -> date:
    return instant_utc.astimezone(tz).date()


def next_due(*, local_time: time, tz: ZoneInfo, after_utc: datetime) -> tuple[date, datetime]:
    """The first local date whose due instant lies strictly after ``after_utc``, and that instant.

    Returns the date with the instant because near a DST gap at midnight the instant's
    own local date can differ from the date the nudge belongs to.
    """
    day = local_date_at(after_utc, tz) - timedelta(days=1)
    while True:
        due = due_utc_on(day, local_time, tz)
        if due > after_utc:
            return day, due
        day += timedelta(days=1)


def next_due_from(
    *,
    local_time: time,
    tz: ZoneInfo,
    after_utc: datetime,
    first_date: date | None = None,
    frequency: Frequency = Frequency.DAILY,
) -> tuple[date, datetime]:
    """Like :func:`next_due`, but only on a day of ``frequency``, never before ``first_date``.

    ``first_date`` keeps a day that already has its nudge (or a paused day) from being
    scheduled again when the time of day moves later.
    """
    day, due = next_due(local_time=local_time, tz=tz, after_utc=after_utc)
    while (first_date is not None and day < first_date) or not is_scheduled(frequency, day):
        day += timedelta(days=1)
        due = due_utc_on(day, local_time, tz)
    return day, due
