"""Regression tests for the hostile-input review's findings 1, 2 and 8, on the
platform-neutral commands (SQLite; the 32-bit id case of finding 2 on PostgreSQL too).

Each is named after what the user sees; each checks that nothing in the store changed
(a dump of every table, not only the subscriber's row).
"""

from __future__ import annotations

import pytest

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.numbers import MAX_ID, parse_number
from nudgebot.store.db import open_store
from tests.support.hostile_cases import FORGED_NUDGE_BUTTONS
from tests.support.postgres import fresh_database
from tests.support.store_dump import dump_tables

ANN = Chat(recipient=Recipient("fake", "ann"), language_hint="en")


@pytest.fixture
async def commands(sessions, pack, settings, clock) -> Commands:
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    await commands.handle(ANN, "/start 07:30 Europe/London")
    return commands


def text_of(reply) -> str:
    return "\n".join(m.plain() for m in reply.messages) + (reply.notice or "")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("²", id="superscript-two"),
        pytest.param("①", id="circled-one"),
        pytest.param("٣", id="arabic-indic-three"),
        pytest.param("9" * 4301, id="past-pythons-int-string-limit"),
        pytest.param("+3", id="plus-sign"),
        pytest.param("3_0", id="underscore"),
        pytest.param("0", id="zero"),
    ],
)
async def test_pause_with_a_digit_int_refuses_gets_the_pause_explanation(commands, sessions, value):
    before = await dump_tables(sessions)
    reply = await commands.handle(ANN, f"/pause {value}")
    assert "You can pause for 1 to 365 days" in text_of(reply)
    assert await dump_tables(sessions) == before


@pytest.mark.parametrize("action", FORGED_NUDGE_BUTTONS)
async def test_a_forged_nudge_button_is_answered_unknown_and_changes_nothing(
    commands, sessions, action
):
    await commands.handle(ANN, "/today")
    before = await dump_tables(sessions)
    reply = await commands.press(ANN, action)
    assert reply.notice is not None and "button" in reply.notice
    assert await dump_tables(sessions) == before


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        pytest.param("/time 09:00", "You're unsubscribed", id="time"),
        pytest.param("/tz Europe/Paris", "You're unsubscribed", id="tz"),
        pytest.param("/pause 3", "You're unsubscribed", id="pause"),
        pytest.param("/resume", "You're unsubscribed", id="resume"),
    ],
)
async def test_a_stopped_subscriber_changing_settings_is_told_how_to_come_back(
    commands, sessions, command, shown
):
    await commands.handle(ANN, "/stop")
    before = await dump_tables(sessions)
    said = text_of(await commands.handle(ANN, command))
    assert shown in said and "/start" in said
    assert "comes -" not in said
    assert await dump_tables(sessions) == before


@pytest.mark.parametrize(
    ("text", "maximum", "expected"),
    [
        ("7", 9, 7),
        ("007", 999, 7),
        ("10", 9, None),
        ("", 9, None),
        (" 7", 99, None),
        ("7 ", 99, None),
        ("²", 9, None),
        ("1" * 11, MAX_ID, None),
    ],
)
def test_numbers_are_ascii_digits_within_their_bounds(text, maximum, expected):
    assert parse_number(text, maximum=maximum) == expected


@pytest.mark.pg
async def test_a_button_past_32_bit_ids_is_answered_unknown_on_postgresql(pack, settings, clock):
    async with fresh_database() as url, open_store(url) as sessions:
        commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
        await commands.handle(ANN, "/start 07:30 Europe/London")
        await commands.handle(ANN, "/today")
        before = await dump_tables(sessions)
        reply = await commands.press(ANN, "n:2147483648:myth")
        assert reply.notice is not None and "button" in reply.notice
        assert await dump_tables(sessions) == before
