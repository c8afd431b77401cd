"""Teams install nudgebot through OAuth, get nudges independently, and uninstall it."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from nudgebot.adapters.slack import SlackAdapter
from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.core.outbound import Message
from nudgebot.core.sending import Delivered, RecipientGone
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.personal import Subject
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import SlackInstallation, Status
from tests.conftest import FakeClock
from tests.support.fakes.slack_world import (
    CLIENT_SECRET,
    SIGNING_SECRET,
    SlackWorld,
    open_world,
    slack_settings,
)
from tests.support.personal_data import dump, rows_about
from tests.support.waiting import eventually

HELLO = Message(text="hello")
# slack_sdk 3.48 builds aiohttp.BasicAuth for oauth.v2.access, deprecated since aiohttp 3.14.
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


@pytest.fixture
async def world(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(
        base=settings, sessions=sessions, pack=pack, clock=clock, mode="oauth"
    ) as world:
        world.fake.add_team("T1", name="Acme")
        world.fake.add_team("T2", name="Globex")
        world.fake.add_user("U1")
        world.fake.add_user("U2")
        yield world


async def install(world: SlackWorld, team: str) -> int:
    async with world.http.get(f"{world.url}/slack/install") as page:
        assert page.status == 200
        html = await page.text()
    match = re.search(r"/oauth/v2/authorize\?state=([^&\"]+)", html)
    assert match, html
    state = match.group(1)
    code = f"code-{team}"
    world.fake.oauth_codes[code] = team
    async with world.http.get(
        f"{world.url}/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    ) as done:
        return done.status


async def installations(world: SlackWorld) -> dict[str, str]:
    async with world.sessions() as session:
        rows = (await session.exec(select(SlackInstallation))).all()
    return {row.team_id: row.bot_token for row in rows}


async def status_of(world: SlackWorld, address: str, team: str) -> str:
    async with world.sessions() as session:
        row = await find_subscriber(session, Recipient("slack", address, team))
    assert row is not None
    return row.status


async def test_two_workspaces_install_and_use_their_own_tokens(world):
    assert await install(world, "T1") == 200
    assert await install(world, "T2") == 200
    assert await installations(world) == {
        "T1": world.fake.teams["T1"].token, "T2": world.fake.teams["T2"].token,
    }  # fmt: skip
    await world.command("subscribe", user="U1", team="T1")
    await world.command("subscribe", user="U2", team="T2")
    await world.adapter.send(Recipient("slack", "U2", "T2"), HELLO)
    post = world.fake.called("chat.postMessage")[0]
    assert post.token == world.fake.teams["T2"].token


async def test_install_with_a_forged_state_is_refused(world):
    world.fake.oauth_codes["code-T1"] = "T1"
    async with world.http.get(
        f"{world.url}/slack/oauth_redirect", params={"code": "code-T1", "state": "forged"},
        headers={"Cookie": "slack-app-oauth-state=forged"},
    ) as done:  # fmt: skip
        assert done.status == 401
    assert await installations(world) == {}
    assert world.fake.called("oauth.v2.access") == []


@pytest.mark.parametrize(
    "events",
    [
        pytest.param(["app_uninstalled"], id="uninstalled"),
        pytest.param(["tokens_revoked"], id="revoked"),
        pytest.param(["app_uninstalled", "tokens_revoked"], id="uninstalled-then-revoked"),
        pytest.param(["tokens_revoked", "app_uninstalled"], id="revoked-then-uninstalled"),
    ],
)
async def test_uninstall_erases_that_workspace_and_deletes_its_token(world, events):
    await install(world, "T1")
    await install(world, "T2")
    for user, team in (("U1", "T1"), ("U2", "T2")):
        await world.command("subscribe", user=user, team=team)
        await world.command("today", user=user, team=team)  # a delivery row too
    before = await dump(world.sessions)
    t1, t2 = Subject("slack", "T1", None), Subject("slack", "T2", None)
    assert {name for name, _ in rows_about(before, t1)} >= {"subscriber", "delivery"}
    for name in events:
        event = {"type": name}
        if name == "tokens_revoked":
            event["tokens"] = {"oauth": [], "bot": ["UBOT"]}
        assert await world.event(event, team="T1") == 200
    await eventually(
        lambda: dump(world.sessions),
        lambda data: not rows_about(data, t1) and "T1" not in installations_in(data),
    )
    after = await dump(world.sessions)
    assert installations_in(after) == {"T2"}
    assert rows_about(after, t2) == rows_about(before, t2)
    assert await status_of(world, "U2", "T2") == Status.ACTIVE
    gone = await world.adapter.send(Recipient("slack", "U1", "T1"), HELLO)
    assert gone == RecipientGone("app_not_installed")


def installations_in(data) -> set[str]:
    return {row["team_id"] for row in data["slack_installation"]}


async def test_a_rate_limited_workspace_does_not_hold_up_another(world, clock):
    await install(world, "T1")
    await install(world, "T2")
    await world.command("subscribe", user="U1", team="T1")
    await world.command("subscribe", user="U2", team="T2")
    world.fake.flood("T1", retry_after=600)
    clock.set(datetime(2026, 6, 1, 6, 1, tzinfo=UTC))
    engine = DeliveryEngine(
        sessions=world.sessions, pack=world.commands.pack, adapters={"slack": world.adapter},
        clock=clock, grace=timedelta(hours=3), max_attempts=5,
    )  # fmt: skip
    report = await engine.tick()
    assert (report.sent, report.retried) == (1, 1)
    assert len(world.fake.messages_to("DU2")) == 1
    assert world.fake.messages_to("DU1") == []
    async with world.sessions() as session:
        row = await find_subscriber(session, Recipient("slack", "U1", "T1"))
    assert row is not None and row.next_due_utc is not None
    assert row.next_due_utc.replace(tzinfo=UTC) == clock.now_utc + timedelta(seconds=600)


async def test_installations_survive_a_restart(world, settings):
    await install(world, "T1")
    again = SlackAdapter(
        settings=slack_settings(settings, world.fake, mode="oauth"), commands=world.commands,
        sessions=world.sessions, web_app=None,
    )  # fmt: skip
    await again.start()
    try:
        assert isinstance(await again.send(Recipient("slack", "CX", "T1"), HELLO), Delivered)
    finally:
        await again.stop()


async def test_an_expiring_token_is_rotated_before_a_send(world):
    world.fake.rotation = True
    await install(world, "T1")
    async with world.sessions() as session:
        row = (await session.exec(select(SlackInstallation))).one()
        row.bot_token_expires_utc = datetime.now(UTC) + timedelta(minutes=5)
        session.add(row)
        await session.commit()
    result = await world.adapter.send(Recipient("slack", "CX", "T1"), HELLO)
    assert isinstance(result, Delivered)
    refresh = [c for c in world.fake.called("oauth.v2.access")
               if c.params.get("grant_type") == "refresh_token"]  # fmt: skip
    assert len(refresh) == 1
    assert world.fake.called("chat.postMessage")[0].token.endswith("-rotated")
    assert (await installations(world))["T1"].endswith("-rotated")


async def test_tokens_and_secrets_never_reach_the_logs(world, caplog):
    caplog.set_level(logging.DEBUG)
    world.fake.rotation = True
    await install(world, "T1")
    await world.command("subscribe", user="U1", team="T1")
    await world.adapter.send(Recipient("slack", "U1", "T1"), HELLO)
    assert world.fake.teams["T1"].token in str(world.fake.called("auth.test")[0].headers)
    for secret in (world.fake.teams["T1"].token, world.fake.teams["T1"].refresh_token,
                   CLIENT_SECRET, SIGNING_SECRET):  # fmt: skip
        assert secret and secret not in caplog.text
