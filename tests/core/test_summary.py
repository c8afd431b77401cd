from datetime import date

import pytest

from nudgebot.core.content import Kind
from nudgebot.core.frequency import Frequency
from nudgebot.core.summary import WeekNudge, summarize_week, summary_due


@pytest.mark.parametrize(
    ("frequency", "day", "due"),
    [
        pytest.param(Frequency.DAILY, date(2026, 6, 7), True, id="daily-sunday"),
        pytest.param(Frequency.DAILY, date(2026, 6, 6), False, id="daily-saturday"),
        pytest.param(Frequency.WEEKDAYS, date(2026, 6, 5), True, id="weekdays-friday"),
        pytest.param(Frequency.WEEKDAYS, date(2026, 6, 7), False, id="weekdays-sunday-off"),
        pytest.param(Frequency.THRICE, date(2026, 6, 5), True, id="3x-friday"),
    ],
)
def test_the_summary_comes_on_sunday_or_the_last_nudge_day_before(frequency, day, due):
    assert summary_due(frequency, 6, day) is due


def test_the_week_is_counted_from_its_nudges_and_answers(pack):
    myths = pack.of_kind(Kind.MYTH)
    right = next(m for m in myths if m.verdict is not None)
    wrong_answer = "fact" if right.verdict.value == "myth" else "myth"
    tip = pack.of_kind(Kind.TIP)[0]
    week = [
        WeekNudge(date(2026, 6, 1), tip.id, "ok"),
        WeekNudge(date(2026, 6, 2), right.id, right.verdict.value),
        WeekNudge(date(2026, 6, 3), right.id, wrong_answer),
        WeekNudge(date(2026, 6, 4), tip.id, ""),
    ]
    summary = summarize_week(
        week=week,
        streak=0,
        pack=pack,
        finished_series=set(),
        in_series=False,
        seed="1",
        local_date=date(2026, 6, 7),
    )
    assert (summary.received, summary.answered) == (4, 3)
    assert (summary.myths_right, summary.myths_answered) == (1, 2)
    assert summary.try_next == pack.series[0].id


def test_the_suggestion_is_a_challenge_once_every_series_is_done(pack):
    summary = summarize_week(
        week=[],
        streak=3,
        pack=pack,
        finished_series={s.id for s in pack.series},
        in_series=False,
        seed="1",
        local_date=date(2026, 6, 7),
    )
    item = pack.get(summary.try_next)
    assert item is not None and item.kind is Kind.CHALLENGE
