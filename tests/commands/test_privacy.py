"""``/mydata`` and ``/delete`` through the commands service, on the neutral replies."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.store.personal import Subject
from tests.support.personal_data import dump, keys_in_export, rows_about

BOB = Chat(recipient=Recipient("fake", "bob"), language_hint="en")
EVE = Chat(recipient=Recipient("fake", "eve"), language_hint="en")


@pytest.fixture
def commands(sessions, pack, settings, clock) -> Commands:
    return Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)


async def lived(commands: Commands, chat: Chat) -> None:
    await commands.handle(chat, "/start")
    await commands.press(chat, "set:lang:en")
    nudge = (await commands.handle(chat, "/today")).messages[0]
    await commands.press(chat, nudge.buttons[0].action)


async def test_mydata_hands_over_a_json_file_of_the_chats_rows_only(commands, sessions):
    await lived(commands, BOB)
    await lived(commands, EVE)
    reply = await commands.handle(BOB, "/mydata")
    assert reply.messages[0].text == "Here is everything I store about this chat, as a JSON file."
    document = reply.document
    assert document is not None and document.filename.endswith(".json")
    export = json.loads(document.content)
    assert export["chat"] == {"platform": "fake", "workspace": "", "address": "bob"}
    assert "400 days" in export["about"]
    bob = Subject("fake", "", "bob")
    assert keys_in_export(export["tables"]) == rows_about(await dump(sessions), bob)
    assert export["tables"]["subscriber"][0]["language"] == "en"
    assert {"delivery", "engagement", "streak"} <= set(export["tables"])
    assert (
        document.caption
        == f"Your data at nudgebot ({len(rows_about(await dump(sessions), bob))} records)."
    )


async def test_mydata_with_nothing_stored_says_so(commands):
    reply = await commands.handle(BOB, "/mydata")
    assert reply.document is None
    assert reply.messages[0].text == "I store nothing about this chat."


async def test_delete_asks_first_and_keep_erases_nothing(commands, sessions):
    await lived(commands, BOB)
    before = await dump(sessions)
    ask = await commands.handle(BOB, "/delete")
    assert "cannot be undone" in ask.messages[0].text
    erase_button, keep_button = ask.messages[0].buttons
    assert (erase_button.label, keep_button.label) == ("🗑️ Yes, erase everything", "No, keep it")
    kept = await commands.press(BOB, keep_button.action)
    assert kept.edit is not None and kept.edit.buttons == ()
    assert "Nothing erased" in kept.edit.text
    assert await dump(sessions) == before


async def test_confirmed_delete_erases_the_chat_and_a_repeat_finds_nothing(commands, sessions):
    await lived(commands, BOB)
    await lived(commands, EVE)
    before = await dump(sessions)
    bob, eve = Subject("fake", "", "bob"), Subject("fake", "", "eve")
    erase_button = (await commands.handle(BOB, "/delete")).messages[0].buttons[0]
    done = await commands.press(BOB, erase_button.action)
    assert done.edit is not None
    assert done.edit.text.startswith(f"Erased: {len(rows_about(before, bob))} records")
    after = await dump(sessions)
    assert rows_about(after, bob) == set()
    assert rows_about(after, eve) == rows_about(before, eve)
    again = await commands.press(BOB, erase_button.action)
    assert again.edit is not None and "nothing left to erase" in again.edit.text
    # Gone means gone, but not locked out: /start begins afresh.
    assert "Which language" in (await commands.handle(BOB, "/start")).messages[0].text


async def test_an_old_confirmation_button_erases_nothing(commands, sessions, clock):
    await lived(commands, BOB)
    erase_button = (await commands.handle(BOB, "/delete")).messages[0].buttons[0]
    before = await dump(sessions)
    clock.set(clock() + timedelta(days=2))
    stale = await commands.press(BOB, erase_button.action)
    assert stale.edit is not None and "expired" in stale.edit.text
    assert await dump(sessions) == before


@pytest.mark.parametrize("action", ["privacy:erase:", "privacy:erase:2026-13-99", "privacy:x"])
async def test_a_forged_confirmation_erases_nothing(commands, sessions, action):
    await lived(commands, BOB)
    before = await dump(sessions)
    reply = await commands.press(BOB, action)
    assert reply.notice == "This button no longer works."
    assert await dump(sessions) == before
