"""A new Telegram user, from /start to the first nudge and its tap, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time

import pytest

from nudgebot.store.tables import DeliveryStatus, Status
from tests.support.fakes.telegram_harness import World, at, telegram_world

ANN = 4711


@pytest.fixture
async def world(settings, sessions, pack, clock) -> AsyncIterator[World]:
    async with telegram_world(settings=settings, sessions=sessions, pack=pack, clock=clock) as w:
        yield w


async def test_start_to_first_nudge_in_local_time(world: World, clock):
    fake = world.fake
    [welcome] = await world.says(ANN, "/start", language="en")
    assert "Which language would you like?" in welcome
    assert fake.messages_to(ANN)[-1].buttons == ["🇳🇱 Nederlands", "🇬🇧 English"]

    await world.taps(ANN, "🇬🇧 English")
    await fake.wait_for(lambda: len(fake.messages_to(ANN)) == 2)
    language_question, zone_question = fake.messages_to(ANN)
    assert language_question.buttons == []  # answered: it cannot be tapped again
    assert zone_question.text.startswith("Language changed to English.\n\nWhich time zone")
    assert "London" in zone_question.buttons and "Amsterdam" in zone_question.buttons

    await world.taps(ANN, "London")
    await fake.wait_for(lambda: len(fake.messages_to(ANN)) == 3)
    time_question = fake.messages_to(ANN)[-1]
    assert "Time zone changed to Europe/London" in time_question.text
    assert "07:30" in time_question.buttons

    await world.taps(ANN, "07:30")
    await fake.wait_for(lambda: len(fake.messages_to(ANN)) == 4)
    often_question = fake.messages_to(ANN)[-1]
    assert "how often" in often_question.text
    assert often_question.buttons == ["Every day", "Weekdays", "3× a week"]

    await world.taps(ANN, "Weekdays")
    await fake.wait_for(lambda: len(fake.messages_to(ANN)) == 5)
    summary = fake.messages_to(ANN)[-1].text
    # Monday 05:00 UTC is 06:00 in London: the first nudge is still today.
    assert summary.endswith(
        "All set! You'll get a nudge on weekdays at 07:30 (Europe/London). "
        "The first one comes today at 07:30."
    )
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None and subscriber.status == Status.ACTIVE
    assert (
        subscriber.language,
        subscriber.timezone,
        subscriber.local_time,
        subscriber.frequency,
    ) == ("en", "Europe/London", time(7, 30), "weekdays")

    clock.set(at(6, 29))
    await world.engine.tick()
    assert len(fake.messages_to(ANN)) == 5
    clock.set(at(6, 30))
    await world.engine.tick()
    nudge = fake.messages_to(ANN)[-1]
    assert len(fake.messages_to(ANN)) == 6
    assert nudge.buttons  # done / myth / fact / got it
    assert "📚 Source:" in nudge.text
    [delivery] = await world.deliveries(ANN)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.platform_ref == str(nudge.message_id)

    notice = await world.taps(ANN, nudge.buttons[0])
    assert notice is not None and "Streak: 1 day" in notice
    tapped = fake.messages_to(ANN)[-1]
    assert tapped.buttons == [] and tapped.edits == 1
    assert tapped.text.endswith(notice)


async def test_dutch_telegram_users_are_welcomed_in_dutch(world: World):
    [welcome] = await world.says(ANN, "/start", language="nl")
    assert welcome.startswith("Hoi! Ik ben nudgebot")
    subscriber = await world.subscriber(ANN)
    assert subscriber is not None and subscriber.language == "nl"


async def test_other_telegram_languages_get_english(world: World):
    [welcome] = await world.says(ANN, "/start", language="fr")
    assert welcome.startswith("Hi!")  # neither Dutch nor English: English, not the default


async def test_no_telegram_language_gets_the_default(world: World):
    [welcome] = await world.says(ANN, "/start", language=None)
    assert welcome.startswith("Hoi!")  # NUDGEBOT_DEFAULT_LANGUAGE is nl
