"""A Slack member gets their data as a file in their DM, and erases it, over signed HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from nudgebot.core.chats import Recipient
from nudgebot.store.personal import Subject
from tests.support.fakes.slack_world import SlackWorld, add_team_members, open_world
from tests.support.personal_data import dump, keys_in_export, rows_about

U1 = Subject("slack", "T1", "U1")
CHANNEL = Subject("slack", "T1", "CTEAM")


@pytest.fixture
async def world(settings, sessions, pack, clock) -> AsyncIterator[SlackWorld]:
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        add_team_members(world)
        yield world


def shown(responses: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in responses)


async def lived_in(world: SlackWorld) -> None:
    """U1 and U2 with DM nudges they answered, and both tapping the channel's nudge."""
    for user in ("U1", "U2"):
        await world.command("subscribe", user=user)
        nudge = (await world.command("today", user=user))[0]
        await world.fake.wait_responses(
            await world.tap(message=nudge, user=user, channel=f"D{user}", ephemeral=True)
        )
    await world.command("subscribe <#CTEAM|team>", user="UADMIN")
    message = await world.commands.nudges.todays_nudge(Recipient("slack", "CTEAM", "T1"))
    assert message is not None
    await world.adapter.send(Recipient("slack", "CTEAM", "T1"), message)
    posted = world.fake.messages_to("CTEAM")[0]
    for user in ("U1", "U2"):
        await world.tap(message=posted, channel="CTEAM", user=user)
    await world.fake.wait_for(lambda: len(world.fake.called("chat.update")) == 2)


async def test_mydata_uploads_the_members_rows_to_their_dm(world):
    await lived_in(world)
    responses = await world.command("mydata", user="U1", channel="CGENERAL")
    assert "everything I store about this chat" in shown(responses)
    await world.fake.wait_for(lambda: bool(world.fake.files_in("DU1")))
    [upload] = world.fake.files_in("DU1")
    assert upload.filename.endswith(".json") and upload.title == upload.filename
    export = json.loads(upload.content or b"")
    assert keys_in_export(export["tables"]) == rows_about(await dump(world.sessions), U1)
    assert {row["actor"] for row in export["tables"]["engagement"]} == {"U1"}
    assert upload.initial_comment.startswith("Your data at nudgebot")
    assert world.fake.files_in("CGENERAL") == [] and world.fake.files_in("CTEAM") == []
    await world.fake.wait_for(lambda: "sent you the file" in shown(responses))


async def test_without_the_files_scope_the_member_is_told_why(world):
    await lived_in(world)
    world.fake.teams["T1"].scopes = "chat:write,commands"  # installed before files:write
    responses = await world.command("mydata", user="U1")
    await world.fake.wait_for(lambda: "missing_scope" in shown(responses))
    assert "reinstall" in shown(responses)
    assert world.fake.files == {}


async def test_delete_asks_then_erases_the_members_rows_only(world):
    await lived_in(world)
    before = await dump(world.sessions)
    question = (await world.command("delete", user="U1"))[0]
    assert "cannot be undone" in question["text"]
    key = await world.tap(message=question, channel="DU1", user="U1", ephemeral=True)
    answered = (await world.fake.wait_responses(key))[0]
    assert answered["replace_original"] is True and answered["text"].startswith("Erased:")
    assert not any(b["type"] == "actions" for b in answered["blocks"])
    after = await dump(world.sessions)
    assert rows_about(after, U1) == set()
    assert rows_about(after, CHANNEL) == rows_about(before, CHANNEL) - rows_about(before, U1)
    u2 = Subject("slack", "T1", "U2")
    assert rows_about(after, u2) == rows_about(before, u2)


async def test_a_channels_data_is_for_its_managers_only(world):
    await lived_in(world)
    before = await dump(world.sessions)
    refused = shown(await world.command("delete <#CTEAM|team>", user="U1"))
    assert "Only workspace admins" in refused
    refused = shown(await world.command("mydata <#CTEAM|team>", user="U1"))
    assert "Only workspace admins" in refused
    assert world.fake.files == {}
    assert await dump(world.sessions) == before
