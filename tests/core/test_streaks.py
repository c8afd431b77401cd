from datetime import date

import pytest

from nudgebot.core.streaks import Streak, week_marks


def run(days: list[date]) -> Streak:
    streak = Streak()
    for day in days:
        streak = streak.counted(day)
    return streak


@pytest.mark.parametrize(
    ("days", "current", "best"),
    [
        pytest.param(
            [date(2026, 1, 30), date(2026, 1, 31), date(2026, 2, 1)], 3, 3, id="january-end"
        ),
        pytest.param(
            [date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1)], 3, 3, id="february-end"
        ),
        pytest.param([date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 1)], 3, 3, id="leap-day"),
        pytest.param([date(2026, 12, 31), date(2027, 1, 1)], 2, 2, id="year-end"),
        pytest.param([date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4)], 1, 2, id="gap-resets"),
        pytest.param(
            [date(2026, 3, 1), date(2026, 3, 1), date(2026, 3, 1)], 1, 1, id="same-day-once"
        ),
    ],
)
def test_streaks_count_local_days_once(days, current, best):
    streak = run(days)
    assert (streak.current, streak.best) == (current, best)


def test_an_older_day_changes_nothing():
    streak = run([date(2026, 3, 1), date(2026, 3, 2)])
    assert streak.counted(date(2026, 2, 28)) == streak


def test_a_streak_is_shown_as_broken_after_a_missed_day():
    streak = run([date(2026, 3, 1), date(2026, 3, 2)])
    assert streak.alive_on(date(2026, 3, 3)) == 2
    assert streak.alive_on(date(2026, 3, 4)) == 0


def test_week_marks_run_monday_to_sunday():
    marks = week_marks({date(2026, 6, 1), date(2026, 6, 3)}, today=date(2026, 6, 4))
    assert marks == "✅▫️✅▫️▫️▫️▫️"
