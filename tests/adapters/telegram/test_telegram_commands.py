"""Every command typed in a private chat, with good and bad input: what the user reads."""

from __future__ import annotations

import pytest

from nudgebot.core.chats import Recipient
from nudgebot.core.content import Kind
from nudgebot.core.outbound import Message
from nudgebot.core.render import render_answered, render_item
from nudgebot.core.sending import Delivered
from nudgebot.store.tables import Status
from tests.support.fakes.telegram_harness import World

ANN = 4711


async def started(world: World) -> None:
    """Subscribed, with the set-up answered by typing: outside it every command is itself."""
    for typed in ("/start", "en", "Europe/Amsterdam", "08:00"):
        await world.says(ANN, typed, language="en")
    [done] = await world.says(ANN, "daily", language="en")
    assert done.startswith("All set!")


@pytest.mark.parametrize(
    ("typed", "reply_starts"),
    [
        pytest.param("/time 07:45", "Time changed to 07:45.", id="time"),
        pytest.param("/time 25:00", "'25:00' isn't a time I understand.", id="time-bad"),
        pytest.param("/time", "That needs a value, for example: /time 07:45", id="time-missing"),
        pytest.param("/tz Europe/Brussels", "Time zone changed to Europe/Brussels.", id="tz"),
        pytest.param("/tz lisbon", "Time zone changed to Europe/Lisbon.", id="tz-city"),
        pytest.param("/tz Mars/Olympus", "'Mars/Olympus' isn't a time zone I know.", id="tz-bad"),
        pytest.param("/pause 3", "Paused. Your next nudge comes", id="pause"),
        pytest.param("/pause", "Paused until you send /resume.", id="pause-forever"),
        pytest.param("/pause soon", "You can pause for 1 to 365 days", id="pause-bad"),
        pytest.param("/resume", "Your nudges are running;", id="resume-not-paused"),
        pytest.param("/stop", "Stopped: no more nudges.", id="stop"),
        pytest.param("/streak", "🔥 Streak: 0 days. Best ever: 0 days.", id="streak"),
        pytest.param("/about", "nudgebot sends one short tip", id="about"),
        pytest.param("/help", "What I can do:", id="help"),
        pytest.param("/language nl", "Taal aangepast naar Nederlands.", id="language"),
        pytest.param("/language fr", "I speak Dutch (nl) and English (en).", id="language-bad"),
        pytest.param("/frobnicate", "I don't know that command.", id="unknown"),
        pytest.param("/start", "You're already subscribed: every day at 08:00", id="start-again"),
        pytest.param("/time@nudge_test_bot 09:15", "Time changed to 09:15.", id="addressed"),
        pytest.param("/time 7.45pm", "Time changed to 19:45.", id="time-12-hour"),
        pytest.param("/time 19u45", "Time changed to 19:45.", id="time-dutch"),
        pytest.param("/tz york", "'york' isn't exactly a time zone.", id="tz-not-certain"),
        pytest.param("06:50", "Want to change something? Type the command", id="bare-time"),
        pytest.param("Lisbon", "Want to change something? Type the command", id="bare-city"),
        pytest.param("hello there", "I don't know that command.", id="bare-chatter"),
    ],
)
async def test_command_replies(world: World, typed, reply_starts):
    await started(world)
    [reply] = await world.says(ANN, typed)
    assert reply.startswith(reply_starts), reply


async def test_bad_input_changes_nothing(world: World):
    await started(world)
    before = await world.subscriber(ANN)
    for typed in (
        "/time 7.75pm",
        "Lisbon",
        "/tz Nowhere/Land",
        "/pause -1",
        "/language xx",
        "/pause 999",
    ):
        await world.says(ANN, typed)
    after = await world.subscriber(ANN)
    assert before is not None and after is not None
    assert after.model_dump() == before.model_dump()


async def test_stop_then_start_comes_back_with_history(world: World):
    await started(world)
    await world.says(ANN, "/stop")
    stopped = await world.subscriber(ANN)
    assert stopped is not None and stopped.status == Status.STOPPED
    await world.says(ANN, "/start")
    back = await world.subscriber(ANN)
    assert back is not None and back.status == Status.ACTIVE and back.id == stopped.id


async def test_today_sends_the_nudge_with_its_buttons_once(world: World):
    await started(world)
    [nudge] = await world.says(ANN, "/today")
    assert world.fake.messages_to(ANN)[-1].buttons
    [again] = await world.says(ANN, "/today")
    assert again == nudge  # the same item: /today claims the day, it does not add one
    assert len(await world.deliveries(ANN)) == 1


async def test_commands_for_another_bot_are_ignored(world: World):
    await started(world)
    await world.fake.user_says(ANN, "/help@some_other_bot")
    [reply] = await world.says(ANN, "/help")
    assert reply.startswith("What I can do:")  # the only reply: nothing came for the first


async def test_every_myth_renders_as_valid_telegram_html(world: World, pack):
    """Myths cite 'Belkaid & Hand'; the fake refuses unescaped HTML as Telegram does.

    Each item and language to a chat of its own: sixty-four messages to one chat would
    test the per-chat flood limit, and on a busy machine trip it.
    """
    chats: list[int] = []
    for number, item in enumerate(pack.of_kind(Kind.MYTH)):
        for lang in ("nl", "en"):
            chat = ANN + 1000 + len(chats)
            chats.append(chat)
            line = "✅ <3 & more"
            for message in (
                render_item(pack, item, lang, delivery_id=number + 1),
                render_answered(pack, item, lang, answer="myth", result_line=line),
            ):
                result = await world.adapter.send(Recipient("telegram", str(chat)), message)
                assert isinstance(result, Delivered), (item.id, lang, result)
    texts = [m.text for chat in chats for m in world.fake.messages_to(chat)]
    assert len(texts) == 4 * len(pack.of_kind(Kind.MYTH))
    assert any("Belkaid & Hand" in text for text in texts)
    assert any("Een gezonde darm – sterke afweer" in text for text in texts)  # the article


async def test_markup_in_text_is_shown_not_interpreted(world: World):
    message = Message(title="<b>x</b> & y", text="a < b > c & <i>d</i>", caution="1 < 2")
    result = await world.adapter.send(Recipient("telegram", str(ANN)), message)
    assert isinstance(result, Delivered)
    [sent] = world.fake.messages_to(ANN)
    assert sent.text == "<b>x</b> & y\n\na < b > c & <i>d</i>\n\n⚠️ 1 < 2"
    assert sent.html.startswith("<b>&lt;b&gt;x&lt;/b&gt; &amp; y</b>")
