"""A Telegram user asks for their data and then has it erased, over real HTTP."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator

import pytest

from nudgebot.store.personal import Subject
from tests.support.fakes.telegram_api import SentMessage
from tests.support.fakes.telegram_harness import World, telegram_world
from tests.support.personal_data import dump, keys_in_export, rows_about

ANN, BEN, GROUP = 4711, 4712, -100999


@pytest.fixture
async def world(settings, sessions, pack, clock) -> AsyncIterator[World]:
    async with telegram_world(settings=settings, sessions=sessions, pack=pack, clock=clock) as w:
        yield w


async def answer_today(world: World, chat_id: int, *, user_id: int | None = None) -> SentMessage:
    """Ask for today's nudge and tap its first button; returns the nudge as it was sent."""
    await world.says(chat_id, "/today", user_id=user_id)
    nudge = copy.deepcopy(world.fake.messages_to(chat_id)[-1])
    await world.taps(chat_id, nudge.buttons[0], user_id=user_id)
    return nudge


async def lived_in(world: World) -> None:
    """Ann and Ben in private chats, and both tapping nudges in a group Ben runs."""
    world.fake.make_admin(GROUP, BEN)
    for chat_id in (ANN, BEN):
        await world.says(chat_id, "/start")
        await answer_today(world, chat_id)
    await world.says(GROUP, "/start", user_id=BEN)
    nudge = await answer_today(world, GROUP, user_id=ANN)
    # Ben's phone still shows the buttons Ann's tap removed.
    await world.taps(GROUP, nudge.buttons[0], user_id=BEN, stale=nudge)


async def test_mydata_arrives_as_a_json_document_of_anns_rows_only(world: World):
    await lived_in(world)
    ann = Subject("telegram", "", str(ANN))
    [ready] = await world.says(ANN, "/mydata")
    assert ready == "Here is everything I store about this chat, as a JSON file."
    await world.fake.wait_for(lambda: bool(world.fake.documents[ANN]))
    [document] = world.fake.documents[ANN]
    assert document.filename.endswith(".json") and document.content_type == "application/json"
    export = json.loads(document.content)
    expected = rows_about(await dump(world.sessions), ann)
    assert keys_in_export(export["tables"]) == expected
    # Her tap in the group is hers; Ben's tap there is not in her file.
    assert {row["actor"] for row in export["tables"]["engagement"]} == {str(ANN)}
    assert len(export["tables"]["engagement"]) == 2
    assert document.caption == f"Your data at nudgebot ({len(expected)} records)."


async def test_delete_asks_then_erases_everything_about_ann_and_nothing_else(world: World):
    await lived_in(world)
    before = await dump(world.sessions)
    ann, ben, group = (Subject("telegram", "", str(chat)) for chat in (ANN, BEN, GROUP))
    [question] = await world.says(ANN, "/delete")
    assert "cannot be undone" in question
    assert world.fake.messages_to(ANN)[-1].buttons == ["🗑️ Yes, erase everything", "No, keep it"]
    notice = await world.taps(ANN, "No, keep it")
    assert notice is not None and "Nothing erased" in notice
    assert await dump(world.sessions) == before

    await world.says(ANN, "/delete")
    notice = await world.taps(ANN, "🗑️ Yes, erase everything")
    assert notice is not None and notice.startswith("Erased:")
    confirmation = world.fake.messages_to(ANN)[-1]
    assert confirmation.buttons == [] and confirmation.text == notice
    after = await dump(world.sessions)
    assert rows_about(after, ann) == set()
    assert rows_about(after, ben) == rows_about(before, ben)
    # The group keeps its nudges, streak and Ben's tap; only Ann's tap there is gone.
    assert rows_about(after, group) == rows_about(before, group) - rows_about(before, ann)
    assert [row["actor"] for row in after["engagement"] if row["actor"] == str(ANN)] == []


async def test_in_a_group_only_admins_may_export_or_erase_its_data(world: World):
    await lived_in(world)
    before = await dump(world.sessions)
    [refusal] = await world.says(GROUP, "/delete", user_id=ANN)
    assert "only admins" in refusal
    [refusal] = await world.says(GROUP, "/mydata", user_id=ANN)
    assert "only admins" in refusal
    assert world.fake.documents[GROUP] == []
    await world.says(GROUP, "/delete", user_id=BEN)
    notice = await world.taps(GROUP, "🗑️ Yes, erase everything", user_id=ANN)
    assert notice is not None and "only admins" in notice
    assert await dump(world.sessions) == before
