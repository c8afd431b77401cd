from datetime import date, timedelta

import pytest

from nudgebot.core.streaks import Streak, week_marks


def answered(days: list[date], nudges: list[date] | None = None) -> Streak:
    """Answer ``days``; ``nudges`` are all the days that had a nudge (default: every day)."""
    received = sorted(set(nudges if nudges is not None else days))
    streak = Streak()
    for day in days:
        before = [d for d in received if d < day]
        streak = streak.counted(day, previous_nudge=before[-1] if before else None)
    return streak


def days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


@pytest.mark.parametrize(
    ("run", "current", "best"),
    [
        pytest.param(days(date(2026, 1, 30), 3), 3, 3, id="january-end"),
        pytest.param(days(date(2026, 2, 27), 3), 3, 3, id="february-end"),
        pytest.param(days(date(2028, 2, 28), 3), 3, 3, id="leap-day"),
        pytest.param(days(date(2026, 12, 31), 2), 2, 2, id="year-end"),
        pytest.param([date(2026, 3, 1)] * 3, 1, 1, id="same-day-once"),
    ],
)
def test_streaks_count_local_days_once(run, current, best):
    streak = answered(run)
    assert (streak.current, streak.best) == (current, best)


def test_an_unanswered_nudge_ends_the_streak():
    streak = answered(
        [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4)], nudges=days(date(2026, 3, 1), 4)
    )
    assert (streak.current, streak.best) == (1, 2)


def test_days_without_a_nudge_do_not_break_the_streak():
    """A week's pause between 2 and 10 March: no nudges, so nothing missed."""
    run = [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 10)]
    streak = answered(run, nudges=run)
    assert (streak.current, streak.best) == (3, 3)


def test_an_older_day_changes_nothing():
    streak = answered(days(date(2026, 3, 1), 2))
    assert streak.counted(date(2026, 2, 28), previous_nudge=None) == streak


def test_the_streak_shown_drops_to_zero_after_an_unanswered_nudge():
    streak = answered(days(date(2026, 3, 1), 2))
    assert streak.shown(unanswered=0) == 2
    assert streak.shown(unanswered=1) == 0


def test_week_marks_run_monday_to_sunday():
    marks = week_marks({date(2026, 6, 1), date(2026, 6, 3)}, today=date(2026, 6, 4))
    assert marks == "✅▫️✅▫️▫️▫️▫️"
