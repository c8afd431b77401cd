"""Workspace admins broadcast to their own workspace through a modal, and nobody else can.

Requests are signed as Slack signs them; the modal's steps are the ``view_submission``
payloads Slack would send, and what the member sees is the response Bolt gives.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlmodel import func, select

from nudgebot.store.tables import Broadcast, OutboxRow
from tests.support.broadcast_seeding import Seed, seed
from tests.support.fakes.slack_world import SlackWorld, open_world
from tests.support.waiting import eventually

T1_MEMBERS = 3


@pytest.fixture
async def world(sessions, pack, settings, clock):
    await seed(sessions, [Seed("slack", "en", "T1")] * T1_MEMBERS)
    await seed(sessions, [Seed("slack", "nl", "T2")] * 2, start=10)
    await seed(sessions, [Seed("telegram", "nl")] * 2, start=20)
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as w:
        w.fake.add_user("UADMIN", is_admin=True)
        w.fake.add_user("UOWNER", is_owner=True, locale="nl-NL")
        w.fake.add_user("U1")
        yield w


async def submit(
    world: SlackWorld,
    callback_id: str,
    *,
    user: str = "UADMIN",
    team: str = "T1",
    texts: dict[str, str] | None = None,
    metadata: str = "",
    kind: str = "view_submission",
) -> dict[str, Any]:
    values = {
        f"text_{lang}": {"value": {"type": "plain_text_input", "value": text}}
        for lang, text in (texts or {}).items()
    }
    payload = {
        "type": kind, "team": {"id": team, "domain": team.lower()},
        "user": {"id": user, "team_id": team}, "api_app_id": "AAPP", "trigger_id": "1.2.3",
        "view": {"id": "V2", "type": "modal", "callback_id": callback_id,
                 "private_metadata": metadata, "state": {"values": values}},
    }  # fmt: skip
    status, text = await world.post(
        urlencode({"payload": json.dumps(payload)}),
        content_type="application/x-www-form-urlencoded",
    )
    assert status == 200
    return json.loads(text) if text else {}


async def open_modal(world: SlackWorld, user: str) -> None:
    """Type ``/gutnudge broadcast``: an admin gets a modal (views.open), not a reply."""
    body = world.command_body("broadcast", user=user, team="T1", channel="D1", key="modal")
    status, _ = await world.post(body, content_type="application/x-www-form-urlencoded")
    assert status == 200
    await world.fake.wait_for(lambda: world.fake.called("views.open"))


async def counts(world: SlackWorld) -> tuple[int, int]:
    async with world.sessions() as session:
        broadcasts = (await session.exec(select(func.count()).select_from(Broadcast))).one()
        rows = (await session.exec(select(func.count()).select_from(OutboxRow))).one()
    return broadcasts, rows


def shown(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


async def test_an_admin_writes_previews_and_sends_to_their_own_workspace_only(world):
    await open_modal(world, "UADMIN")
    [opened] = world.fake.called("views.open")
    view = opened.params["view"]
    assert (json.loads(view) if isinstance(view, str) else view)[
        "callback_id"
    ] == "broadcast_compose"

    answer = await submit(
        world, "broadcast_compose", texts={"nl": "Kefir <maandag>", "en": "Kefir on *Monday*"}
    )
    assert answer["response_action"] == "update"
    preview = answer["view"]
    assert f"This goes to {T1_MEMBERS} subscribers in this workspace" in shown(preview)
    assert "Kefir &lt;maandag&gt;" in shown(preview)  # escaped mrkdwn
    assert preview["submit"]["text"] == f"✅ Send to {T1_MEMBERS}"
    assert await counts(world) == (1, 0)

    sent = await submit(world, "broadcast_preview", metadata=preview["private_metadata"])
    assert f"is being sent to {T1_MEMBERS} subscribers (pending {T1_MEMBERS})" in shown(
        sent["view"]
    )
    async with world.sessions() as session:
        [record] = (await session.exec(select(Broadcast))).all()
        rows = (await session.exec(select(OutboxRow))).all()
    assert (record.platform, record.workspace, record.state) == ("slack", "T1", "sending")
    assert record.created_by == "slack:UADMIN"
    assert len(rows) == T1_MEMBERS and {row.platform for row in rows} == {"slack"}


async def test_a_workspace_owner_may_too(world):
    await open_modal(world, "UOWNER")
    assert len(world.fake.called("views.open")) == 1


async def test_a_member_who_is_not_an_admin_gets_the_ordinary_answer_and_nothing_is_stored(
    world,
):
    [reply] = await world.command("broadcast Gratis kefir", user="U1", channel="D1")
    [unknown] = await world.command("frobnicate", user="U1", channel="D1")
    assert reply["text"] == unknown["text"]
    assert world.fake.called("views.open") == []
    forged = await submit(world, "broadcast_compose", user="U1", texts={"nl": "Gratis kefir"})
    assert forged["response_action"] == "errors"
    assert await counts(world) == (0, 0)


async def test_an_admin_cannot_reach_another_workspace(world):
    other = await submit(world, "broadcast_compose", team="T2", texts={"nl": "Alleen T2"})
    t2_draft = other["view"]["private_metadata"]  # a T2 admin's draft (UADMIN is admin there too)
    answer = await submit(world, "broadcast_preview", team="T1", metadata=t2_draft)
    assert "There is no broadcast with id" in shown(answer["view"])
    assert await counts(world) == (1, 0)  # the T2 draft was not started from T1


async def test_bad_text_is_refused_in_the_modal_and_stores_nothing(world):
    empty = await submit(world, "broadcast_compose", texts={"en": "only English"})
    assert empty["response_action"] == "errors"
    assert "missing or empty" in empty["errors"]["text_nl"]
    assert await counts(world) == (0, 0)


async def test_closing_the_preview_cancels_its_draft(world):
    answer = await submit(world, "broadcast_compose", texts={"nl": "Toch niet"})
    await submit(
        world, "broadcast_preview", metadata=answer["view"]["private_metadata"], kind="view_closed"
    )

    async def state() -> str:  # Bolt acks first and runs the listener after
        async with world.sessions() as session:
            [record] = (await session.exec(select(Broadcast))).all()
        return str(record.state)

    await eventually(state, lambda value: value == "cancelled")
