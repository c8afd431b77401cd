from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from nudgebot.core.content import Kind
from nudgebot.core.frequency import (
    Frequency,
    first_scheduled,
    is_scheduled,
    last_scheduled_by,
    parse_frequency,
)
from nudgebot.core.planner import kind_for
from nudgebot.core.timing import next_due_from

MONDAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("daily", Frequency.DAILY, id="daily"),
        pytest.param("WEEKDAYS", Frequency.WEEKDAYS, id="weekdays-any-case"),
        pytest.param("3x", Frequency.THRICE, id="3x"),
        pytest.param("werkdagen", Frequency.WEEKDAYS, id="dutch"),
        pytest.param("hourly", None, id="unknown"),
        pytest.param("", None, id="empty"),
    ],
)
def test_frequencies_are_read_from_what_people_type(text, expected):
    assert parse_frequency(text) is expected


@pytest.mark.parametrize(
    ("frequency", "days"),
    [
        pytest.param(Frequency.DAILY, 7, id="daily"),
        pytest.param(Frequency.WEEKDAYS, 5, id="weekdays"),
        pytest.param(Frequency.THRICE, 3, id="3x"),
    ],
)
def test_a_week_has_the_nudge_days_of_its_frequency(frequency, days):
    week = [MONDAY + timedelta(days=n) for n in range(7)]
    assert sum(is_scheduled(frequency, day) for day in week) == days
    assert is_scheduled(frequency, MONDAY)


def test_three_times_a_week_means_monday_wednesday_friday():
    week = [MONDAY + timedelta(days=n) for n in range(7)]
    assert [d.strftime("%a") for d in week if is_scheduled(Frequency.THRICE, d)] == [
        "Mon",
        "Wed",
        "Fri",
    ]


@pytest.mark.parametrize("frequency", list(Frequency), ids=str)
def test_every_seven_nudges_keep_each_kinds_share(frequency):
    days = [MONDAY + timedelta(days=n) for n in range(70)]
    scheduled = [d for d in days if is_scheduled(frequency, d)]
    for start in range(0, len(scheduled) - 7):
        kinds = Counter(kind_for(d, frequency) for d in scheduled[start : start + 7])
        assert kinds == {Kind.TIP: 3, Kind.CHALLENGE: 2, Kind.MYTH: 2}


def test_daily_rhythm_is_still_the_weekday_rhythm():
    assert [kind_for(MONDAY + timedelta(days=n)) for n in range(7)] == [
        Kind.TIP,
        Kind.CHALLENGE,
        Kind.MYTH,
        Kind.TIP,
        Kind.CHALLENGE,
        Kind.MYTH,
        Kind.TIP,
    ]


def test_a_weekdays_subscriber_is_next_due_on_monday_after_friday():
    friday_evening = datetime(2026, 6, 5, 19, 0, tzinfo=UTC)
    day, due = next_due_from(
        local_time=time(8, 0),
        tz=ZoneInfo("Europe/Amsterdam"),
        after_utc=friday_evening,
        frequency=Frequency.WEEKDAYS,
    )
    assert day == date(2026, 6, 8)
    assert due == datetime(2026, 6, 8, 6, 0, tzinfo=UTC)


def test_first_scheduled_skips_days_off():
    saturday = date(2026, 6, 6)
    assert first_scheduled(Frequency.WEEKDAYS, saturday) == date(2026, 6, 8)
    assert first_scheduled(Frequency.DAILY, saturday) == saturday


@pytest.mark.parametrize(
    ("frequency", "weekday", "expected"),
    [
        pytest.param(Frequency.DAILY, 6, date(2026, 6, 7), id="daily-sunday"),
        pytest.param(Frequency.WEEKDAYS, 6, date(2026, 6, 5), id="weekdays-sunday-is-friday"),
        pytest.param(Frequency.THRICE, 1, date(2026, 6, 1), id="3x-tuesday-is-monday"),
    ],
)
def test_the_summary_day_falls_back_to_the_last_nudge_day_before_it(frequency, weekday, expected):
    assert last_scheduled_by(frequency, date(2026, 6, 3), weekday) == expected
