"""A tap on a nudge: one transaction of a few statements, and any tap resets re-engagement."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import select

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.outbound import Message
from nudgebot.store.db import Sessions
from nudgebot.store.tables import StreakRow, Subscriber
from tests.commands.test_commands import snapshot
from tests.conftest import FakeClock
from tests.support.statements import counting

BOB = Chat(recipient=Recipient("fake", "bob"), language_hint="en-GB")


@pytest.fixture
def commands(sessions: Sessions, pack, settings, clock) -> Commands:
    return Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)


async def todays_nudge(commands: Commands, clock: FakeClock, day: int = 2) -> Message:
    clock.set(clock().replace(day=day))  # 2: Tuesday, a challenge day
    return (await commands.handle(BOB, "/today")).messages[0]


async def set_unanswered(sessions: Sessions, count: int) -> None:
    async with sessions() as session:
        await session.exec(update(StreakRow).values(unanswered=count, reengage="asked"))
        await session.commit()


async def unanswered(sessions: Sessions) -> tuple[int, str]:
    async with sessions() as session:
        row = (await session.exec(select(StreakRow))).one()
        return row.unanswered, row.reengage


async def test_an_answered_nudge_is_one_transaction_of_three_statements(commands, sessions, clock):
    await commands.handle(BOB, "/start")
    nudge = await todays_nudge(commands, clock)
    with counting(sessions) as first:
        reply = await commands.press(BOB, nudge.buttons[0].action)
    assert "Streak: 1 day" in reply.notice
    # One read (subscriber, delivery, whether it is the latest, streak), the engagement,
    # the streak; one BEGIN, one commit.
    assert len(first.sent) <= 3, first.sent
    assert (first.begins, first.commits) == (1, 1)
    with counting(sessions) as again:
        reply = await commands.press(BOB, nudge.buttons[0].action)
    assert "nothing counts twice" in reply.notice
    assert len(again.sent) <= 2, again.sent
    assert (again.begins, again.commits) == (1, 1)


async def test_a_double_tap_changes_nothing_but_says_so(commands, sessions, clock):
    await commands.handle(BOB, "/start")
    nudge = await todays_nudge(commands, clock)
    await commands.press(BOB, nudge.buttons[0].action)
    before = await snapshot(sessions)
    reply = await commands.press(BOB, nudge.buttons[0].action)
    assert "nothing counts twice" in reply.notice
    assert await snapshot(sessions) == before


@pytest.mark.parametrize(
    ("tap", "answer"),
    [
        ("today's", "Streak: 1 day"),
        ("today's again", "nothing counts twice"),
        ("yesterday's", "older nudge"),
        ("a forged", "no longer works"),
    ],
)
async def test_any_nudge_tap_starts_re_engagement_over(commands, sessions, clock, tap, answer):
    await commands.handle(BOB, "/start")
    yesterdays = (await todays_nudge(commands, clock, day=1)).buttons[0].action
    todays = (await todays_nudge(commands, clock, day=2)).buttons[0].action
    if tap == "today's again":
        await commands.press(BOB, todays)
    action = {"yesterday's": yesterdays, "a forged": "n:999999:done"}.get(tap, todays)
    await set_unanswered(sessions, 5)
    reply = await commands.press(BOB, action)
    assert answer in reply.notice
    assert await unanswered(sessions) == (0, "")


async def test_another_button_starts_re_engagement_over_in_one_read_and_one_write(
    commands, sessions, clock
):
    eve = Chat(recipient=Recipient("fake", "eve"), language_hint="en")
    for chat in (BOB, eve):
        await commands.handle(chat, "/start")
        await commands.handle(chat, "/today")
    await set_unanswered(sessions, 5)
    with counting(sessions) as seen:
        await commands.nudges.pressed(BOB)
    assert len(seen.sent) == 2, seen.sent  # the tap's read, the streak's compare-and-set
    assert (seen.begins, seen.commits) == (1, 1)
    async with sessions() as session:
        rows = (
            await session.exec(select(Subscriber.address, StreakRow.unanswered).join(StreakRow))
        ).all()
    assert sorted(rows) == [("bob", 0), ("eve", 5)]
