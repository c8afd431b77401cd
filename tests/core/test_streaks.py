from datetime import date, timedelta

import pytest

from nudgebot.core.streaks import (
    MAX_FREEZES,
    Settlement,
    Streak,
    last_days_marks,
    next_milestone,
    replay,
)


def days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def answered(run: list[date], nudges: list[date] | None = None, **kwargs) -> Streak:
    """Answer ``run``; ``nudges`` are all the days that had a nudge (default: the run)."""
    received = sorted(set(nudges if nudges is not None else run))
    return replay(((day, day in run) for day in received), **kwargs)


@pytest.mark.parametrize(
    ("run", "current", "best"),
    [
        pytest.param(days(date(2026, 1, 30), 3), 3, 3, id="january-end"),
        pytest.param(days(date(2026, 2, 27), 3), 3, 3, id="february-end"),
        pytest.param(days(date(2028, 2, 28), 3), 3, 3, id="leap-day"),
        pytest.param(days(date(2026, 12, 31), 2), 2, 2, id="year-end"),
    ],
)
def test_streaks_count_local_days(run, current, best):
    streak = answered(run)
    assert (streak.current, streak.best) == (current, best)


def test_a_day_counts_once_whatever_the_taps():
    streak = Streak().counted(date(2026, 3, 1))
    assert streak.counted(date(2026, 3, 1)) == streak
    assert streak.counted(date(2026, 2, 28)) == streak


def test_an_unanswered_nudge_ends_the_streak_without_a_freeze():
    streak = answered(
        [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4)], nudges=days(date(2026, 3, 1), 4)
    )
    assert (streak.current, streak.best) == (1, 2)


def test_days_without_a_nudge_do_not_break_the_streak():
    """A week's pause between 2 and 10 March: no nudges, so nothing missed."""
    run = [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 10)]
    assert answered(run).current == 3


def test_seven_answered_in_a_row_earn_a_freeze_and_at_most_two_are_held():
    streak = answered(days(date(2026, 3, 1), 7))
    assert (streak.current, streak.freezes) == (7, 1)
    streak = answered(days(date(2026, 3, 1), 30))
    assert (streak.current, streak.freezes) == (30, MAX_FREEZES)


def test_a_freeze_keeps_the_streak_through_a_missed_nudge():
    month = days(date(2026, 3, 1), 9)
    run = [day for day in month if day != date(2026, 3, 8)]
    streak = answered(run, nudges=month)
    assert (streak.current, streak.freezes) == (8, 0)
    without = answered(run, nudges=month, max_freezes=0)
    assert without.current == 1


def test_settling_says_how_many_freezes_were_used_and_left():
    streak = answered(days(date(2026, 3, 1), 14))
    assert streak.freezes == 2
    settled, settlement = streak.settled([date(2026, 3, 15)])
    assert settlement == Settlement(freezes_used=1, freezes_left=1, broken=False, missed=1)
    assert settled.counted(date(2026, 3, 16)).current == 15


def test_missing_more_nudges_than_freezes_held_ends_the_streak():
    streak = answered(days(date(2026, 3, 1), 7))
    settled, settlement = streak.settled([date(2026, 3, 8), date(2026, 3, 9)])
    assert settlement.broken and settlement.freezes_used == 1
    assert settled.current == 0
    assert settled.counted(date(2026, 3, 10)).current == 1


def test_settling_twice_books_a_day_once():
    streak = answered(days(date(2026, 3, 1), 7))
    once, _ = streak.settled([date(2026, 3, 8)])
    twice, settlement = once.settled([date(2026, 3, 8)])
    assert twice == once and settlement.missed == 0


def test_a_freeze_used_restarts_the_count_towards_the_next():
    month = days(date(2026, 3, 1), 14)
    run = [day for day in month if day != date(2026, 3, 8)]
    streak = answered(run, nudges=month)
    # 7 answered (freeze), 8 March frozen (used), then 6 answered: not yet a new one.
    assert (streak.current, streak.freezes) == (13, 0)


@pytest.mark.parametrize(
    ("current", "milestone"), [(2, 0), (3, 3), (7, 7), (14, 14), (30, 30), (60, 60), (100, 100)]
)
def test_milestones_are_marked_when_reached(current, milestone):
    streak = answered(days(date(2026, 1, 1), current))
    assert streak.milestone == milestone
    assert streak.announced().milestone == 0


@pytest.mark.parametrize(
    ("current", "goal"), [(3, 7), (7, 14), (14, 30), (30, 60), (60, 100), (100, 150)]
)
def test_the_next_goal_follows_the_milestone(current, goal):
    assert next_milestone(current) == goal


def test_the_last_fourteen_days_show_answered_missed_and_no_nudge():
    today = date(2026, 6, 14)
    marks = last_days_marks(
        answered={date(2026, 6, 1), date(2026, 6, 13)},
        received={date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 13), today},
        today=today,
    )
    assert marks == "✅❌" + "·" * 10 + "✅▫️"
