"""The habits, lived through the console for weeks on a simulated clock.

Freezes earned and used across a month with gaps, weekdays-only streaks over weekends,
quiet re-engagement with and without answers, a challenge series joined, interrupted and
finished, the weekly summary against the store, and retention leaving streaks alone.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import delete
from sqlmodel import col

from nudgebot.core.content import Kind
from nudgebot.store.tables import Delivery, Engagement
from tests.scenarios.console_life import MONDAY, ConsoleLife, days


@pytest.fixture
async def life(sessions, pack, settings, clock) -> ConsoleLife:
    return ConsoleLife(sessions=sessions, pack=pack, settings=settings, clock=clock)


async def test_freezes_are_earned_and_used_across_a_month_with_gaps(life):
    await life.sign_up()
    for day in days(MONDAY, 7):
        nudge = await life.morning(day)
        if day == date(2026, 6, 4):
            assert "🎉 3 days in a row! Next goal: 7." in nudge
        tapped = await life.answer()
    assert "Streak: 7 days. 🧊 Streak freeze earned (1 held)." in tapped

    monday_8 = await life.morning(date(2026, 6, 8))
    assert "🎉 7 days in a row! Next goal: 14." in monday_8
    # Left unanswered: the freeze covers it, and the next nudge says so in one line.
    tuesday_9 = await life.morning(date(2026, 6, 9))
    assert "🧊 Your streak is safe: 1 freeze used, 0 left." in tuesday_9
    assert "Streak: 8 days" in await life.answer()

    # A holiday: days without nudges neither count nor break the streak.
    assert "Your next nudge comes on Sun 14 Jun at 08:00" in await life.type("/pause 5")
    for day in days(date(2026, 6, 10), 4):
        assert await life.morning(day) == ""
    assert "Streak: 9 days" in (await life.morning(date(2026, 6, 14)) and await life.answer())

    # Missed with no freeze left: the streak ends, and the nudge after says nothing of safety.
    await life.morning(date(2026, 6, 15))
    tuesday_16 = await life.morning(date(2026, 6, 16))
    assert "streak is safe" not in tuesday_16
    assert "Streak: 1 day" in await life.answer()
    shown = await life.type("/streak")
    assert "Streak: 1 day. Best ever: 9 days." in shown
    assert "Freezes: 0 of 2" in shown
    # 3..16 June: answered until the 9th (8th missed), paused 10-13, 15th missed.
    assert "Last 14 days: ✅✅✅✅✅❌✅····✅❌✅" in shown
    assert await life.streak_row() == (1, 9, 0)


async def test_a_weekdays_streak_runs_over_weekends(life):
    await life.sign_up("/often weekdays")
    assert "nudges on weekdays from now on" in life.out.getvalue()
    for day in days(MONDAY, 5):
        friday = await life.morning(day)
        await life.answer()
    assert "📊 Your week: 4 of 4 nudges answered · streak 4 days" in friday  # Mon-Thu
    for weekend_day in (date(2026, 6, 6), date(2026, 6, 7)):
        assert await life.morning(weekend_day) == ""
        assert "Today is a day off in your schedule (on weekdays)" in await life.type("/today")
    assert await life.morning(date(2026, 6, 8)) != ""
    assert "Streak: 6 days" in await life.answer()
    sent = [d.local_date.weekday() for d in await life.deliveries()]
    assert sent == [0, 1, 2, 3, 4, 0]


async def test_a_weekdays_schedule_still_gets_every_kind_its_share(life):
    await life.sign_up("/often weekdays")
    for day in days(MONDAY, 14):
        await life.morning(day)
    kinds = [d.kind for d in await life.deliveries()]
    assert len(kinds) == 10
    assert kinds[:7].count(Kind.TIP) == 3
    assert kinds[:7].count(Kind.CHALLENGE) == 2
    assert kinds[:7].count(Kind.MYTH) == 2


async def test_unanswered_for_weeks_asks_once_then_moves_to_three_times_a_week(life):
    await life.sign_up()
    arrived = [await life.morning(day) for day in days(MONDAY, 21)]
    asked = [n for n, text in enumerate(arrived) if "You haven't answered for a while" in text]
    switched = [
        n for n, text in enumerate(arrived) if "three times a week (Mon, Wed, Fri) so" in text
    ]
    assert asked == [7]  # the 8th nudge, after 7 unanswered
    assert "[1] 👌 Got it   [2] Keep it every day   [3] 3× a week   [4] Stop" in arrived[7]
    assert switched == [14]  # 7 more unanswered: Monday 15 June
    # From then on only Monday, Wednesday and Friday, and nothing more is asked.
    later = [day.weekday() for day, text in zip(days(MONDAY, 21), arrived, strict=True) if text][
        15:
    ]
    assert later == [2, 4]
    assert (await life.subscriber()).frequency == "3x"


async def test_answering_the_question_keeps_the_pace_of_the_subscribers_choice(life):
    await life.sign_up()
    for day in days(MONDAY, 8):
        question = await life.morning(day)
    buttons = re.findall(r"\[(\d)\] ([^\[\n]+?)(?=\s{3}|\n)", question)
    three_times = next(number for number, label in buttons if label.strip() == "3× a week")
    answer = await life.type(three_times)
    assert "Done: nudges three times a week (Mon, Wed, Fri) from now on." in answer
    assert (await life.subscriber()).frequency == "3x"


async def test_any_tap_starts_re_engagement_over(life):
    await life.sign_up()
    for day in days(MONDAY, 8):
        await life.morning(day)
    await life.answer()  # answers the nudge that asked: nothing is switched later
    arrived = [await life.morning(day) for day in days(date(2026, 6, 9), 9)]
    assert not any("three times a week (Mon, Wed, Fri) so" in text for text in arrived)
    assert (await life.subscriber()).frequency == "daily"


async def test_a_series_is_joined_interrupted_and_finished(life, pack):
    await life.sign_up()
    listing = await life.type("/challenge")
    assert "Fermented-food week (7 days)" in listing and "Fibre week (7 days)" in listing
    assert "[1] Join: Fermented-food week   [2] Join: Fibre week" in listing
    assert "You've joined the Fermented-food week!" in await life.type("1")
    series = pack.get_series("series-fermented-week")

    day1 = await life.morning(MONDAY)  # a tip day: the step replaces the day's nudge
    assert f"Fermented-food week · day 1 of 7: {series.steps[0].text['en'].title}" in day1
    assert "✅ Day 1 of 7 done!" in await life.answer()
    day2 = await life.morning(date(2026, 6, 2))
    assert "day 2 of 7" in day2
    waiting = await life.morning(date(2026, 6, 3))  # missed yesterday: the step waits
    assert "day 2 of 7" in waiting
    assert "Your streak" not in waiting  # no freeze, nothing to say about it
    for day in days(date(2026, 6, 3), 6):
        if day != date(2026, 6, 3):
            assert f"day {(day - date(2026, 6, 1)).days} of 7" in await life.morning(day)
        tapped = await life.answer()
    assert "✅ Day 7 of 7 done!" in tapped
    after = await life.morning(date(2026, 6, 9))
    assert "🏅 You finished the Fermented-food week! That's a milestone." in after
    assert "day 1 of 7" not in after and "Fermented-food week ·" not in after
    [progress] = await life.series()
    assert (progress.steps_done, progress.finished_on) == (7, date(2026, 6, 8))
    assert "🏅 Finished before." in await life.type("/challenge")


async def test_the_weekly_summary_matches_the_store(life, pack):
    await life.sign_up()
    for day in days(MONDAY, 6):
        await life.morning(day)
        if day.weekday() != 3:  # Thursday left unanswered
            await life.answer()
    sunday = await life.morning(date(2026, 6, 7))
    summary = re.search(
        r"📊 Your week: (\d+) of (\d+) nudges answered · streak (\d+) days? · "
        r"myths right: (\d+) of (\d+)\.\nNext week, try: (.+)",
        sunday,
    )
    assert summary is not None
    week = [d for d in await life.deliveries() if d.local_date < date(2026, 6, 7)]
    taps = {t.delivery_id: t.answer for t in await life.taps()}
    myths = [d for d in week if d.kind == Kind.MYTH and d.id in taps]
    right = sum(taps[d.id] == pack.get(d.item_id).verdict.value for d in myths)
    current, _, _ = await life.streak_row()
    assert [int(n) for n in summary.groups()[:5]] == [
        len(taps),
        len(week),
        current,
        right,
        len(myths),
    ]
    assert summary.group(6).startswith("the Fermented-food week (/challenge)")
    assert len(week) == 6 and len(taps) == 5


async def test_deleting_old_deliveries_changes_no_streak(life, sessions):
    """Retention deletes old delivery and tap rows: the stored streak goes on as before."""
    await life.sign_up()
    for day in days(MONDAY, 10):
        await life.morning(day)
        await life.answer()
    before = await life.type("/streak")
    async with sessions() as session:
        cutoff = date(2026, 6, 10)
        await session.exec(delete(Engagement).where(col(Engagement.local_date) < cutoff))
        await session.exec(delete(Delivery).where(col(Delivery.local_date) < cutoff))
        await session.commit()
    after = await life.type("/streak")
    assert before.split("\n")[:2] == after.split("\n")[:2]  # current, best and freezes
    await life.morning(date(2026, 6, 11))
    assert "Streak: 11 days" in await life.answer()
    assert (await life.streak_row())[0] == 11


async def test_the_summary_comes_on_the_day_the_subscriber_chose(life):
    await life.sign_up()
    assert "Choose a day" in await life.type("/summary someday")
    assert (await life.subscriber()).summary_day == 6
    assert "now comes with Wednesday's nudge" in await life.type("/summary wed")
    arrived = [await life.morning(day) for day in days(MONDAY, 7)]
    with_summary = [n for n, text in enumerate(arrived) if "📊 Your week:" in text]
    assert with_summary == [2]  # Wednesday only, not Sunday
    assert "📊 Your week: 0 of 2 nudges answered" in arrived[2]
