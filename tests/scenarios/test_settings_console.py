"""/settings, /kinds, /quiet and /history on the console: what the subscriber reads.

The real console adapter, commands, delivery engine and SQLite store; the clock is
simulated (tests/scenarios/console_life.py).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest

from nudgebot.core.content import Kind
from tests.scenarios.console_life import AMSTERDAM, MONDAY, ConsoleLife, days


@pytest.fixture
async def life(sessions, pack, settings, clock) -> ConsoleLife:
    return ConsoleLife(sessions=sessions, pack=pack, settings=settings, clock=clock)


async def test_settings_shows_everything_with_a_button_each(life):
    await life.sign_up()
    shown = await life.type("/settings")
    for line in (
        "Language: English",
        "Time zone: Europe/Amsterdam",
        "Time: 08:00",
        "How often: every day",
        "Weekly summary: with Sunday's nudge",
        "Kinds: tips, challenges, myths",
        "Quiet hours: 22:00–07:00",
        "Status: Active",
    ):
        assert line in shown, line
    assert "[1] 🌐 Language   [2] 🕰️ Time zone   [3] ⏰ Time" in shown and "[8] ⏸️ Pause" in shown


async def test_each_settings_button_changes_its_setting(life):
    await life.sign_up()
    await life.type("/settings")
    assert "Which time zone" in await life.type("2")
    assert "Time zone changed to Europe/London" in await life.type("3")  # London
    await life.type("/settings")
    assert "Which day's nudge" in await life.type("5")
    assert "Saturday's nudge" in await life.type("6")
    await life.type("/settings")
    assert "Paused until you send /resume" in await life.type("8")
    shown = await life.type("/settings")
    assert "Status: Paused" in shown and "[8] ▶️ Resume" in shown
    assert "Welcome back" in await life.type("8")


async def test_kinds_drops_myths_and_the_week_rebalances(life):
    await life.sign_up()
    shown = await life.type("/kinds")
    assert "You get: tips, challenges, myths" in shown and "[3] ✅ myths" in shown
    assert "Done: tips, challenges from now on" in await life.type("3")
    assert "[3] ✖️ myths" in await life.type("/kinds")
    for day in days(MONDAY, 10):
        await life.morning(day)
    kinds = Counter(delivery.kind for delivery in await life.deliveries())
    assert kinds == {Kind.TIP.value: 6, Kind.CHALLENGE.value: 4}  # 3:2, as in a full week


async def test_the_last_kind_kept_cannot_be_dropped(life):
    await life.sign_up("/kinds myths")
    shown = await life.type("/kinds")
    assert "You get: myths" in shown and "✅ myths" not in shown  # no button to drop it
    assert "At least one always stays" in await life.type("/kinds nothing")
    for day in days(MONDAY, 3):
        await life.morning(day)
    assert {delivery.kind for delivery in await life.deliveries()} == {Kind.MYTH.value}


async def test_quiet_hours_are_changed_switched_off_and_never_hold_back_the_chosen_time(life):
    await life.sign_up()
    shown = await life.type("/time 06:30")
    assert "Time changed to 06:30" in shown and "inside your quiet hours (22:00–07:00)" in shown
    assert "your nudge still comes then" in shown
    shown = await life.type("/quiet 23:00-06:00")
    assert "Quiet hours: 23:00–06:00." in shown and "inside" not in shown
    assert "Quiet hours: off" in await life.type("/quiet off")
    assert "Quiet hours: off" in await life.type("/settings")
    assert "start-end" in await life.type("/quiet soon")
    await life.type("/quiet 22:00-07:00")
    for day in days(MONDAY + timedelta(days=1), 2):  # Monday's 06:30 had passed
        wall = datetime.combine(day, time(6, 31), tzinfo=AMSTERDAM)
        life.clock.set(wall.astimezone(UTC))
        await life.engine.tick()
    assert len(await life.deliveries()) == 2  # the 06:30 nudge came on both days


async def test_history_lists_the_last_nudges_and_rereads_one(life):
    await life.sign_up()
    assert "You haven't had a nudge yet" in await life.type("/history")
    for day in days(MONDAY, 16):
        await life.morning(day)
        if day.day % 2:  # answered on odd dates (never seven missed in a row)
            await life.answer()
    shown = await life.type("/history")
    listed = re.findall(r"^\d+\. .*$", shown, re.MULTILINE)
    assert len(listed) == 14 and listed[0].startswith("1. Tue 16 Jun · no answer · ")
    assert listed[1].startswith("2. Mon 15 Jun · ") and "no answer" not in listed[1]
    assert listed[13].startswith("14. Wed 3 Jun · ")  # 1 and 2 June: older than 14
    taps = len(await life.taps())
    reread = await life.type("14")
    assert "Wed 3 Jun; your answer: " in reread and "no answer" not in reread
    assert "[1]" not in reread  # a re-read has no answer buttons: it counts nothing
    assert len(await life.taps()) == taps
