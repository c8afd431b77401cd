"""Button taps on nudges and set-up questions, in private chats and in groups."""

from __future__ import annotations

import asyncio
import copy

from nudgebot.core.chats import Chat, Recipient
from nudgebot.store.tables import Status
from tests.support.fakes.telegram_harness import World, at

ANN = 4711
GROUP = -1001234567890123
ADMIN, MEMBER, OTHER = 11, 12, 13


async def nudged(world: World, clock, chat_id: int, day: int = 1) -> None:
    """Subscribed for 08:00 Amsterdam and today's nudge delivered by the engine."""
    if await world.subscriber(chat_id) is None:
        chat = Chat(Recipient("telegram", str(chat_id)), actor=str(ADMIN), language_hint="en")
        await world.commands.handle(chat, "/start")
        await world.commands.handle(chat, "/time 08:00")
    clock.set(at(6, 0, day=day))
    await world.engine.tick()


async def test_a_tap_edits_the_nudge_and_counts_the_day(world: World, clock):
    await nudged(world, clock, ANN)
    nudge = world.fake.messages_to(ANN)[-1]
    label = nudge.buttons[0]
    notice = await world.taps(ANN, label)
    assert notice is not None and notice.endswith("Streak: 1 day.")
    [after] = world.fake.messages_to(ANN)
    assert after.buttons == [] and after.text.endswith(notice)
    [reply] = await world.says(ANN, "/streak")
    assert reply.startswith("🔥 Streak: 1 day.")


async def test_a_double_tap_counts_once_and_says_so(world: World, clock):
    await nudged(world, clock, ANN)
    nudge = world.fake.messages_to(ANN)[-1]
    on_the_phone = copy.deepcopy(nudge)  # the keyboard the user still sees
    label = nudge.buttons[0]
    await asyncio.gather(
        world.fake.user_taps(ANN, label, stale=on_the_phone),
        world.fake.user_taps(ANN, label, stale=on_the_phone),
    )
    await world.fake.wait_for(lambda: len(world.fake.answers) == 2)
    notices = sorted(answer["text"] for answer in world.fake.answers)
    assert notices[0] == "You already answered this one; nothing counts twice."
    assert "Streak: 1 day" in notices[1]
    assert world.fake.messages_to(ANN)[-1].edits == 1
    [reply] = await world.says(ANN, "/streak")
    assert reply.startswith("🔥 Streak: 1 day.")


async def test_a_tap_on_yesterdays_nudge_is_answered_politely_and_not_counted(world, clock):
    await nudged(world, clock, ANN)
    yesterday = world.fake.messages_to(ANN)[-1]
    await nudged(world, clock, ANN, day=2)
    notice = await world.taps(ANN, yesterday.buttons[0], message_id=yesterday.message_id)
    assert notice == "This is an older nudge; only the latest one counts towards your streak."
    assert world.fake.messages_to(ANN)[0].buttons == []  # the old one is closed
    [reply] = await world.says(ANN, "/streak")
    assert reply.startswith("🔥 Streak: 0 days.")


async def test_a_button_of_an_unknown_kind_is_refused_without_an_edit(world: World, clock):
    await nudged(world, clock, ANN)
    nudge = copy.deepcopy(world.fake.messages_to(ANN)[-1])
    nudge.keyboard = [[{"text": "?", "callback_data": "n:999999:done"}]]
    await world.fake.user_taps(ANN, "?", stale=nudge)
    await world.fake.wait_for(lambda: len(world.fake.answers) == 1)
    assert world.fake.answers[0]["text"] == "This button no longer works."
    assert world.fake.messages_to(ANN)[-1].edits == 0


async def test_only_a_group_admin_can_subscribe_the_group(world: World):
    world.fake.make_admin(GROUP, ADMIN)
    [refusal] = await world.says(GROUP, "/start", user_id=MEMBER)
    assert refusal == "In a group, only admins can set up or stop the nudges."
    assert await world.subscriber(GROUP) is None
    [welcome] = await world.says(GROUP, "/start@nudge_test_bot", user_id=ADMIN)
    assert welcome.startswith("Hi! I'm nudgebot")
    subscriber = await world.subscriber(GROUP)
    assert subscriber is not None and subscriber.address == str(GROUP)
    assert world.fake.calls_to("getChatMember")[-1].params["user_id"] in (ADMIN, str(ADMIN))


async def test_a_member_cannot_change_the_group_set_up(world: World):
    world.fake.make_admin(GROUP, ADMIN, status="creator")
    await world.says(GROUP, "/start", user_id=ADMIN)
    await world.fake.user_taps(GROUP, "🇬🇧 English", user_id=MEMBER)
    await world.fake.wait_for(lambda: len(world.fake.answers) == 1)
    assert world.fake.answers[0]["text"].startswith("In a group, only admins")
    assert world.fake.answers[0]["show_alert"] in (True, "true")
    [stop] = await world.says(GROUP, "/stop", user_id=MEMBER)
    assert stop.startswith("In a group, only admins")
    subscriber = await world.subscriber(GROUP)
    assert subscriber is not None and subscriber.status == Status.ACTIVE
    [streak] = await world.says(GROUP, "/streak", user_id=MEMBER)  # reading is for everyone
    assert streak.startswith("🔥")


async def test_a_group_day_counts_once_whoever_taps(world: World, clock):
    world.fake.make_admin(GROUP, ADMIN)
    await nudged(world, clock, GROUP)
    nudge = copy.deepcopy(world.fake.messages_to(GROUP)[-1])
    label = nudge.buttons[0]
    first = await world.taps(GROUP, label, user_id=MEMBER)
    second = await world.taps(GROUP, label, user_id=OTHER, stale=nudge)
    assert first is not None and "Streak: 1 day" in first
    assert second is not None and "Streak: 1 day" in second
    [streak] = await world.says(GROUP, "/streak", user_id=OTHER)
    assert streak.startswith("🔥 Streak: 1 day.")
