"""`/gutnudge admin`: a workspace admin's console link sees their workspace; others get nothing."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlmodel import col, select

from nudgebot.settings import AdminSettings
from nudgebot.store.tables import AdminLink
from tests.app.admin.console_client import SECRET
from tests.support.fakes.slack_world import open_world


@pytest.fixture
async def world(sessions, pack, settings, clock):
    admin = AdminSettings(secret=SecretStr(SECRET), url="https://bot.example.org")
    async with open_world(
        base=settings, sessions=sessions, pack=pack, clock=clock, admin=admin
    ) as w:
        w.fake.add_user("UADMIN", is_admin=True)
        w.fake.add_user("U1")
        yield w


async def test_a_workspace_admin_gets_an_ephemeral_link_scoped_to_their_workspace(world):
    [reply] = await world.command("admin", user="UADMIN", channel="D1")
    assert "https://bot.example.org/admin/login?token=" in reply["text"]
    assert reply.get("response_type") == "ephemeral"
    [member] = await world.command("admin", user="U1", channel="D1")
    [unknown] = await world.command("frobnicate", user="U1", channel="D1")
    assert member["text"] == unknown["text"]  # a member learns nothing, gets no link
    async with world.sessions() as session:
        links = (await session.exec(select(AdminLink).order_by(col(AdminLink.id)))).all()
    assert [(link.who, link.workspace) for link in links] == [("slack:T1/UADMIN", "T1")]
