"""Say when the next nudge comes, in the subscriber's own words and local time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from nudgebot.core.content import Lang
from nudgebot.core.texts import say

_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS: dict[Lang, tuple[str, ...]] = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def describe_first(lang: Lang, *, due_utc: datetime | None, tz: ZoneInfo, now_utc: datetime) -> str:
    """When, in local time: 'today at 07:45', 'tomorrow at 07:45' or 'on Sat 28 Nov at 07:45'."""
    if due_utc is None:
        return "-"
    local = due_utc.astimezone(tz)
    today = now_utc.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return say(lang, "first_today", time=clock)
    if local.date() == today + timedelta(days=1):
        return say(lang, "first_tomorrow", time=clock)
    return say(lang, "first_on", date=short_date(lang, local.date()), time=clock)


def short_date(lang: Lang, day: date) -> str:
    """'Sat 28 Nov' ('za 28 nov'): a date near enough that the year goes without saying."""
    return f"{_WEEKDAYS[lang][day.weekday()]} {day.day} {_MONTHS[lang][day.month - 1]}"
