"""Set-up by typing, /settings, /kinds, /quiet, /history and 12-hour times on Telegram.

Over real HTTP against the local Bot API fake (tests/support/fakes/telegram_api.py);
what is asserted is what the user reads and taps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time

import pytest

from tests.support.fakes.telegram_harness import World, telegram_world

ANN = 4711


@pytest.fixture
async def world(settings, sessions, pack, clock) -> AsyncIterator[World]:
    async with telegram_world(settings=settings, sessions=sessions, pack=pack, clock=clock) as w:
        yield w


async def set_up(world: World) -> None:
    for typed in ("/start", "English", "lisbon", "7:45 pm"):
        await world.says(ANN, typed, language="en")
    [done] = await world.says(ANN, "3x", language="en")
    assert done.startswith("All set! You'll get a nudge three times a week (Mon, Wed, Fri)")
    assert "at 19:45 (Europe/Lisbon)" in done


async def test_set_up_answered_by_typing_reaches_all_set(world: World):
    await set_up(world)
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None
    assert (subscriber.timezone, subscriber.local_time, subscriber.setup_step) == (
        "Europe/Lisbon",
        time(19, 45),
        None,
    )
    [hint] = await world.says(ANN, "Amsterdam")  # set-up is over: a bare city is no command
    assert hint.startswith("Want to change something?")
    assert (await world.subscriber(ANN)).timezone == "Europe/Lisbon"  # type: ignore[union-attr]


async def test_settings_buttons_change_a_setting_in_place(world: World):
    await set_up(world)
    [shown] = await world.says(ANN, "/settings")
    assert "Time: 19:45" in shown and "How often: three times a week" in shown
    settings_message = world.fake.messages_to(ANN)[-1]
    assert settings_message.buttons[:3] == ["🌐 Language", "🕰️ Time zone", "⏰ Time"]
    await world.taps(ANN, "🌙 Quiet hours")
    await world.fake.wait_for(lambda: "/quiet off" in world.fake.messages_to(ANN)[-1].text)
    await world.taps(ANN, "23:00–07:00")
    await world.fake.wait_for(
        lambda: world.fake.messages_to(ANN)[-1].text == "Quiet hours: 23:00–07:00."
    )
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None and subscriber.quiet_start == time(23, 0)


async def test_kinds_and_history_on_telegram(world: World):
    await set_up(world)
    [shown] = await world.says(ANN, "/kinds")
    assert shown.startswith("You get: tips, challenges, myths")
    await world.taps(ANN, "✅ challenges")
    await world.fake.wait_for(lambda: "Done: tips, myths" in world.fake.messages_to(ANN)[-1].text)
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None and subscriber.dropped_kinds == "challenge"
    [nudge] = await world.says(ANN, "/today")
    [history] = await world.says(ANN, "/history")
    assert history.startswith("Your last nudges") and "1. Mon 1 Jun · no answer · " in history
    await world.taps(ANN, "1. Mon 1 Jun")
    await world.fake.wait_for(
        lambda: "Mon 1 Jun; your answer: no answer" in world.fake.messages_to(ANN)[-1].text
    )
    assert world.fake.messages_to(ANN)[-1].buttons == []
    assert nudge.split("\n")[0] in world.fake.messages_to(ANN)[-1].text  # the same title
