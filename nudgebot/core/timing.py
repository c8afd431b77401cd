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

_HH_MM = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


def parse_local_time(value: str) -> time | None:
    """``07:45`` (also ``7:45``, ``07.45``, ``07h45``) as a time, or None if it is not one."""
    match = _HH_MM.match(value.strip())
    if match is None:
        return None
    return time(int(match.group(1)), int(match.group(2)))


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
