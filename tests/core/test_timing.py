from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from nudgebot.core.timing import (
    due_utc_on,
    join_time_words,
    next_due,
    parse_local_time,
    parse_zone,
    search_zones,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected_utc", "expected_local"),
    [
        pytest.param(
            "Europe/Amsterdam",
            date(2026, 3, 29),
            time(2, 30),
            utc(2026, 3, 29, 1, 30),
            "03:30",
            id="amsterdam-spring-gap-moves-forward",
        ),
        pytest.param(
            "Europe/Amsterdam",
            date(2026, 10, 25),
            time(2, 30),
            utc(2026, 10, 25, 0, 30),
            "02:30",
            id="amsterdam-fall-repeat-first-occurrence",
        ),
        pytest.param(
            "Europe/Amsterdam",
            date(2026, 3, 29),
            time(7, 45),
            utc(2026, 3, 29, 5, 45),
            "07:45",
            id="amsterdam-normal-time-on-dst-day",
        ),
        pytest.param(
            "America/New_York",
            date(2026, 3, 8),
            time(2, 30),
            utc(2026, 3, 8, 7, 30),
            "03:30",
            id="new-york-spring-gap",
        ),
        pytest.param(
            "America/New_York",
            date(2026, 11, 1),
            time(1, 30),
            utc(2026, 11, 1, 5, 30),
            "01:30",
            id="new-york-fall-repeat",
        ),
        pytest.param(
            "Australia/Lord_Howe",
            date(2026, 10, 4),
            time(2, 15),
            utc(2026, 10, 3, 15, 45),
            "02:45",
            id="lord-howe-30-minute-gap",
        ),
        pytest.param(
            "Australia/Lord_Howe",
            date(2026, 4, 5),
            time(1, 45),
            utc(2026, 4, 4, 14, 45),
            "01:45",
            id="lord-howe-30-minute-repeat",
        ),
    ],
)
def test_wall_time_on_dst_days(zone, day, wall, expected_utc, expected_local):
    due = due_utc_on(day, wall, ZoneInfo(zone))
    assert due == expected_utc
    assert due.astimezone(ZoneInfo(zone)).strftime("%H:%M") == expected_local


@pytest.mark.parametrize(
    ("zone", "day", "wall"),
    [
        pytest.param("Europe/Amsterdam", date(2026, 10, 25), time(2, 30), id="amsterdam"),
        pytest.param("America/New_York", date(2026, 11, 1), time(1, 30), id="new-york"),
        pytest.param("Australia/Lord_Howe", date(2026, 4, 5), time(1, 45), id="lord-howe"),
    ],
)
def test_a_repeated_wall_time_is_due_once(zone, day, wall):
    tz = ZoneInfo(zone)
    first = due_utc_on(day, wall, tz)
    following_day, following = next_due(local_time=wall, tz=tz, after_utc=first)
    assert following_day == day + timedelta(days=1)
    assert following - first > timedelta(hours=23)


def test_next_due_is_today_when_the_time_is_still_ahead():
    tz = ZoneInfo("Europe/Amsterdam")
    day, due = next_due(local_time=time(9, 0), tz=tz, after_utc=utc(2026, 6, 1, 6, 0))
    assert (day, due) == (date(2026, 6, 1), utc(2026, 6, 1, 7, 0))


def test_next_due_is_tomorrow_once_the_time_has_passed():
    tz = ZoneInfo("Europe/Amsterdam")
    day, _ = next_due(local_time=time(7, 0), tz=tz, after_utc=utc(2026, 6, 1, 6, 0))
    assert day == date(2026, 6, 2)


@pytest.mark.parametrize(
    "text",
    ["25:00", "7", "07:60", "", "noon", "-1:00", "07:45:00", "13pm", "0am", "7.45xm", "19u", "pm"],
)
def test_times_that_are_not_times_are_refused(text):
    assert parse_local_time(text) is None


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("07:45", time(7, 45)),
        ("7:45", time(7, 45)),
        ("07.45", time(7, 45)),
        ("23:59", time(23, 59)),
        ("00:00", time(0, 0)),
        ("19.45", time(19, 45)),
        ("19u45", time(19, 45)),
        ("07h45", time(7, 45)),
        ("7.45pm", time(19, 45)),
        ("7:45 pm", time(19, 45)),
        ("7:45 PM", time(19, 45)),
        ("7.45 p.m.", time(19, 45)),
        ("7am", time(7, 0)),
        ("12am", time(0, 0)),
        ("12.30pm", time(12, 30)),
        ("11:59 pm", time(23, 59)),
    ],
)
def test_times_people_type_are_understood(text, wanted):
    assert parse_local_time(text) == wanted


def test_a_separate_am_or_pm_joins_the_time_before_it():
    assert join_time_words(["7:45", "pm", "Europe/Lisbon", "AM"]) == [
        "7:45 pm",
        "Europe/Lisbon",
        "AM",
    ]


@pytest.mark.parametrize("text", ["Mars/Olympus", "../etc/passwd", "", "Europe"])
def test_unknown_zones_are_refused(text):
    assert parse_zone(text) is None


def test_zone_names_are_case_insensitive_and_cities_are_found():
    assert parse_zone("europe/brussels") == ZoneInfo("Europe/Brussels")
    assert search_zones("lisbon") == ["Europe/Lisbon"]
