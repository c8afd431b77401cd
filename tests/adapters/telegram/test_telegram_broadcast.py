"""Operators broadcast from Telegram: preview with the audience size, then send or cancel.

Operators are the user ids in ``NUDGEBOT_TELEGRAM_ADMINS``; anyone else typing
``/broadcast`` gets the ordinary unknown-command answer and nothing is stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlmodel import func, select

from nudgebot.engine.outbox import OutboxWork, tick_with_outbox
from nudgebot.store.tables import Broadcast, OutboxRow
from tests.support.broadcast_seeding import Seed, seed
from tests.support.fakes.telegram_harness import World, telegram_world

OPERATOR = 9001
SUBSCRIBERS = (1000, 1001, 1002)


@pytest.fixture
async def world(settings, sessions, pack, clock) -> AsyncIterator[World]:
    await seed(sessions, [Seed("telegram", "nl"), Seed("telegram", "en"), Seed("telegram", "nl")])
    async with telegram_world(
        settings=settings,
        sessions=sessions,
        pack=pack,
        clock=clock,
        admins=frozenset({OPERATOR}),
    ) as w:
        yield w


async def stored(world: World) -> tuple[int, int]:
    async with world.sessions() as session:
        broadcasts = (await session.exec(select(func.count()).select_from(Broadcast))).one()
        rows = (await session.exec(select(func.count()).select_from(OutboxRow))).one()
    return broadcasts, rows


@pytest.fixture
def tick(world: World):
    """The ticker's round: due nudges, then the outbox, through the world's engine."""
    outbox = OutboxWork(sessions=world.sessions, clock=world.engine.clock, default_language="nl")
    world.engine.add_work(outbox)
    return lambda: tick_with_outbox(world.engine, outbox)


async def test_an_operator_previews_confirms_and_everyone_receives_it_once(world: World, tick):
    [preview] = await world.says(
        OPERATOR, "/broadcast Kefir-uitdaging start <maandag> & duurt 14 dagen"
    )
    assert preview.startswith("Preview below. This goes to 3 subscribers (telegram 3).")
    [shown] = world.fake.messages_to(OPERATOR)[-1:]
    assert "&lt;maandag&gt; &amp; duurt" in shown.html  # escaped HTML, not markup
    assert shown.buttons == ["✅ Send to 3", "✖️ Cancel"]
    assert await stored(world) == (1, 0)  # a draft until confirmed
    await world.taps(OPERATOR, "✅ Send to 3")
    assert await stored(world) == (1, 3)
    edited = world.fake.messages_to(OPERATOR)[-1]
    assert edited.buttons == [] and "being sent to 3" in edited.text
    await tick()
    for chat_id in SUBSCRIBERS:
        [received] = world.fake.messages_to(chat_id)
        assert received.text == "Kefir-uitdaging start <maandag> & duurt 14 dagen"
        assert received.buttons == []
    await tick()
    assert all(len(world.fake.messages_to(chat_id)) == 1 for chat_id in SUBSCRIBERS)


async def test_replying_broadcast_to_a_message_broadcasts_that_message(world: World):
    text = "Line one\n\nLine two, kept apart"
    await world.fake.user_says(OPERATOR, "/broadcast", replying_to=text)
    await world.fake.wait_for(lambda: len(world.fake.messages_to(OPERATOR)) >= 1)
    assert world.fake.messages_to(OPERATOR)[-1].text.endswith(text)


async def test_cancel_sends_nothing_and_keeps_the_record(world: World, tick):
    await world.says(OPERATOR, "/broadcast Niet versturen")
    await world.taps(OPERATOR, "✖️ Cancel")
    await tick()
    assert all(world.fake.messages_to(chat_id) == [] for chat_id in SUBSCRIBERS)
    async with world.sessions() as session:
        [record] = (await session.exec(select(Broadcast))).all()
    assert record.state == "cancelled" and record.created_by == f"telegram:{OPERATOR}"


async def test_an_empty_broadcast_explains_itself(world: World):
    [reply] = await world.says(OPERATOR, "/broadcast")
    assert reply.startswith("Send /broadcast followed by the text")
    assert await stored(world) == (0, 0)


@pytest.mark.parametrize(
    ("chat", "user"),
    [
        pytest.param(1000, 1000, id="a-subscriber"),
        pytest.param(-500, 1000, id="a-group-member"),
        pytest.param(-500, OPERATOR, id="the-operator-in-a-group"),
    ],
)
async def test_anyone_else_gets_the_unknown_command_answer_and_nothing_is_stored(
    world: World, chat, user
):
    [reply] = await world.says(chat, "/broadcast Gratis kefir voor iedereen", user_id=user)
    [unknown] = await world.says(chat, "/frobnicate", user_id=user)
    assert reply == unknown
    assert await stored(world) == (0, 0)
