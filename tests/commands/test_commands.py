"""The commands a subscriber types, with good and bad input; bad input changes nothing."""

from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import select

from nudgebot.commands import Commands, parse_command
from nudgebot.core.chats import Chat, Recipient
from nudgebot.store.db import Sessions
from nudgebot.store.tables import Delivery, Engagement, Status, StreakRow, Subscriber
from tests.conftest import FakeClock
from tests.support.statements import counting

BOB = Chat(recipient=Recipient("fake", "bob"), language_hint="en-GB")


@pytest.fixture
def commands(sessions, pack, settings, clock) -> Commands:
    return Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)


async def snapshot(sessions: Sessions) -> list[tuple[object, ...]]:
    async with sessions() as session:
        rows: list[tuple[object, ...]] = []
        for table in (Subscriber, Delivery, Engagement, StreakRow):
            rows.extend(
                tuple(r.model_dump().items()) for r in (await session.exec(select(table))).all()
            )
        return rows


async def bob(sessions: Sessions) -> Subscriber:
    async with sessions() as session:
        return (await session.exec(select(Subscriber))).one()


def text_of(reply) -> str:
    return "\n".join(m.plain() for m in reply.messages) + (reply.notice or "")


def test_commands_parse_with_or_without_slash_and_bot_name():
    assert parse_command("/time@nudgebot 07:45") == ("time", ["07:45"])
    assert parse_command("pause 3") == ("pause", ["3"])
    assert parse_command("   ") == ("", [])


async def test_start_subscribes_in_the_platform_language_and_offers_set_up(commands, sessions):
    reply = await commands.handle(BOB, "/start")
    assert "Which language" in text_of(reply)
    assert [b.action for b in reply.messages[0].buttons] == ["set:lang:nl", "set:lang:en"]
    subscriber = await bob(sessions)
    assert (subscriber.language, subscriber.status) == ("en", Status.ACTIVE)
    assert subscriber.timezone == "Europe/Amsterdam"


async def test_the_guided_set_up_ends_with_when_the_first_nudge_comes(commands, sessions):
    await commands.handle(BOB, "/start")
    reply = await commands.press(BOB, "set:lang:nl")
    assert "tijdzone" in text_of(reply)
    reply = await commands.press(BOB, "set:tz:Europe/Brussels")
    assert "Hoe laat" in text_of(reply)
    reply = await commands.press(BOB, "set:time:09:00")
    # The clock says 05:00 UTC on Monday 1 June: 07:00 in Brussels, so 09:00 is still today.
    assert "vandaag om 09:00" in text_of(reply)
    subscriber = await bob(sessions)
    assert (subscriber.language, subscriber.timezone, subscriber.local_time) == (
        "nl",
        "Europe/Brussels",
        time(9, 0),
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        pytest.param("/time 25:00", "isn't a time", id="time-25"),
        pytest.param("/time", "needs a value", id="time-missing"),
        pytest.param("/tz Mars/Olympus", "isn't a time zone", id="tz-mars"),
        pytest.param("/pause -3", "1 to 365 days", id="pause-negative"),
        pytest.param("/pause 400", "1 to 365 days", id="pause-too-long"),
        pytest.param("/pause soon", "1 to 365 days", id="pause-word"),
        pytest.param("/language fr", "Dutch (nl) and English (en)", id="language-fr"),
        pytest.param("/frobnicate", "don't know that command", id="unknown"),
    ],
)
async def test_bad_input_gets_a_friendly_answer_and_changes_nothing(
    commands, sessions, command, expected
):
    await commands.handle(BOB, "/start")
    before = await snapshot(sessions)
    reply = await commands.handle(BOB, command)
    assert expected in text_of(reply)
    assert await snapshot(sessions) == before


async def test_a_forged_set_up_button_changes_nothing(commands, sessions):
    await commands.handle(BOB, "/start")
    before = await snapshot(sessions)
    reply = await commands.press(BOB, "set:tz:Mars/Olympus")
    assert "isn't a time zone" in text_of(reply)
    reply = await commands.press(BOB, "drop table subscriber")
    assert reply.notice
    assert await snapshot(sessions) == before


async def test_a_first_start_is_one_read_and_one_insert(commands, sessions):
    with counting(sessions) as seen:
        reply = await commands.handle(BOB, "/start 07:45 Europe/Amsterdam daily")
    assert "07:45" in text_of(reply)
    assert len(seen.sent) == 2 and seen.sent[1].startswith("INSERT"), seen.sent
    assert (seen.begins, seen.commits) == (1, 1)
    subscriber = await bob(sessions)
    assert (subscriber.timezone, subscriber.local_time) == ("Europe/Amsterdam", time(7, 45))
    assert subscriber.next_due_utc is not None  # scheduled in the same insert


async def test_commands_before_subscribing_say_how_to_start(commands, sessions):
    reply = await commands.handle(BOB, "/time 07:45")
    assert "Send /start" in text_of(reply)
    assert await snapshot(sessions) == []


async def test_time_and_zone_changes_move_the_next_nudge(commands, sessions):
    await commands.handle(BOB, "/start")
    reply = await commands.handle(BOB, "/time 7.45")
    assert "07:45" in text_of(reply)
    reply = await commands.handle(BOB, "/tz lisbon")
    assert "Europe/Lisbon" in text_of(reply)
    subscriber = await bob(sessions)
    assert subscriber.next_due_utc is not None
    assert subscriber.next_due_utc.isoformat() == "2026-06-01T06:45:00+00:00"


async def test_an_ambiguous_city_offers_choices(commands):
    await commands.handle(BOB, "/start")
    reply = await commands.handle(BOB, "/tz port")
    assert len(reply.messages[0].buttons) > 1
    assert all(b.action.startswith("set:tz:") for b in reply.messages[0].buttons)


async def test_pause_resume_and_stop(commands, sessions):
    await commands.handle(BOB, "/start")
    reply = await commands.handle(BOB, "/pause 3")
    assert "Thu 4 Jun" in text_of(reply)
    assert (await bob(sessions)).status == Status.PAUSED
    reply = await commands.handle(BOB, "/resume")
    assert "Welcome back" in text_of(reply)
    reply = await commands.handle(BOB, "/stop")
    assert "Stopped" in text_of(reply)
    subscriber = await bob(sessions)
    assert (subscriber.status, subscriber.next_due_utc) == (Status.STOPPED, None)
    reply = await commands.handle(BOB, "/start")
    assert (await bob(sessions)).status == Status.ACTIVE


async def test_tapping_done_counts_the_day_once(commands, sessions, clock):
    await commands.handle(BOB, "/start")
    clock.set(clock().replace(day=2))  # Tuesday: a challenge day
    nudge = (await commands.handle(BOB, "/today")).messages[0]
    assert [b.label for b in nudge.buttons] == ["✅ Done"]
    first = await commands.press(BOB, nudge.buttons[0].action)
    assert "Streak: 1 day" in first.edit.footer
    assert first.edit.buttons == ()
    second = await commands.press(BOB, nudge.buttons[0].action)
    assert "nothing counts twice" in second.notice
    reply = await commands.handle(BOB, "/streak")
    assert "Streak: 1 day" in text_of(reply)
    assert "Last 14 days: ·············✅" in text_of(reply)  # only today had a nudge


async def test_a_myth_answer_reveals_the_verdict_and_its_source(commands, pack, clock):
    await commands.handle(BOB, "/start")
    clock.set(clock().replace(day=3))  # Wednesday: a myth day
    nudge = (await commands.handle(BOB, "/today")).messages[0]
    assert [b.label for b in nudge.buttons] == ["🙅 Myth", "👍 Fact"]
    reply = await commands.press(BOB, nudge.buttons[0].action)
    assert ("Myth." in reply.edit.text) or ("Fact." in reply.edit.text)
    assert reply.edit.links
    for link in reply.edit.links:  # a DOI link, or the article itself by title
        assert (link.url or "").startswith("https://doi.org/") or link.url is None
        assert link.url is not None or "A healthy gut" in link.label


async def test_a_tap_on_an_older_nudge_counts_nothing(commands, sessions, clock):
    await commands.handle(BOB, "/start")
    old = (await commands.handle(BOB, "/today")).messages[0]
    clock.set(clock().replace(day=2))
    await commands.handle(BOB, "/today")
    reply = await commands.press(BOB, old.buttons[0].action)
    assert "older nudge" in reply.notice
    async with sessions() as session:
        assert (await session.exec(select(Engagement))).all() == []


async def test_someone_elses_button_does_nothing(commands, sessions):
    await commands.handle(BOB, "/start")
    nudge = (await commands.handle(BOB, "/today")).messages[0]
    eve = Chat(recipient=Recipient("fake", "eve"), language_hint="en")
    await commands.handle(eve, "/start")
    before = await snapshot(sessions)
    reply = await commands.press(eve, nudge.buttons[0].action)
    assert reply.notice == "This button no longer works."
    assert await snapshot(sessions) == before


async def test_about_lists_sources_and_the_disclaimer(commands):
    reply = await commands.handle(BOB, "/about")
    text = text_of(reply)
    assert "https://doi.org/" in text
    assert "not medical advice" in text


async def answer_today(commands: Commands, clock: FakeClock, day: int) -> str:
    clock.set(clock().replace(day=day))
    nudge = (await commands.handle(BOB, "/today")).messages[0]
    reply = await commands.press(BOB, nudge.buttons[0].action)
    assert reply.edit is not None and reply.edit.footer is not None
    return reply.edit.footer


async def test_a_pause_does_not_break_the_streak(commands, clock):
    await commands.handle(BOB, "/start")
    await answer_today(commands, clock, 1)
    await answer_today(commands, clock, 2)
    await commands.handle(BOB, "/pause 4")  # no nudges on 3, 4, 5 June
    assert "Streak: 3 days" in await answer_today(commands, clock, 6)


async def test_an_unanswered_nudge_ends_the_streak(commands, clock):
    await commands.handle(BOB, "/start")
    await answer_today(commands, clock, 1)
    clock.set(clock().replace(day=2))
    await commands.handle(BOB, "/today")  # received, never answered
    clock.set(clock().replace(day=3))
    assert "Streak: 0 days" in text_of(await commands.handle(BOB, "/streak"))
    assert "Streak: 1 day" in await answer_today(commands, clock, 3)
    assert "Best ever: 1 day" in text_of(await commands.handle(BOB, "/streak"))


async def test_a_set_up_button_before_subscribing_asks_to_start_and_nothing_more(
    commands, sessions
):
    reply = await commands.press(BOB, "set:lang:nl")
    assert len(reply.messages) == 1
    assert "Send /start" in text_of(reply)
    assert await snapshot(sessions) == []
