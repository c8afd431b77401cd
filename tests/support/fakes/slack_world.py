"""A Slack app under test: our web server with the adapter's routes, the fake Web API,
and a client that signs requests exactly as Slack does (v0 HMAC-SHA256 of
``v0:timestamp:body`` with the signing secret). In Socket Mode the same payloads travel
as envelopes over the fake's WebSocket instead (``push_*``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from slack_sdk.signature import SignatureVerifier

from nudgebot.adapters.slack import SlackAdapter
from nudgebot.commands import Commands
from nudgebot.core.clock import Clock
from nudgebot.core.content import ContentPack
from nudgebot.settings import AdminSettings, Settings, SlackSettings
from nudgebot.store.db import Sessions
from tests.support.fakes.slack_api import FakeSlackApi

SIGNING_SECRET = "test-signing-secret-0123456789"
CLIENT_SECRET = "test-client-secret-9876543210"


class SlackWorld:
    def __init__(
        self,
        *,
        fake: FakeSlackApi,
        adapter: SlackAdapter,
        sessions: Sessions,
        commands: Commands,
        server: TestServer,
        http: aiohttp.ClientSession,
    ) -> None:
        self.fake = fake
        self.adapter = adapter
        self.sessions = sessions
        self.commands = commands
        self.server = server
        self.http = http
        self._keys = itertools.count(1)
        self._events = itertools.count(1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    async def idle(self, within: float = 5.0) -> None:
        """Wait until every listener has finished what it does after its ack."""
        async with asyncio.timeout(within):
            await self.adapter.idle()

    async def post(
        self,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        signed = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
        assert signed is not None
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signed if signature is None else signature,
            **(headers or {}),
        }
        async with self.http.post(f"{self.url}/slack/events", data=body, headers=all_headers) as r:
            return r.status, await r.text()

    def command_payload(
        self, text: str, *, user: str, team: str, channel: str, key: str
    ) -> dict[str, str]:
        return {
            "token": "legacy-unused", "team_id": team, "team_domain": team.lower(),
            "channel_id": channel, "channel_name": "general", "user_id": user,
            "user_name": user.lower(), "command": "/gutnudge", "text": text,
            "api_app_id": "AAPP", "response_url": self.fake.response_url(key),
            "trigger_id": "1.2.3",
        }  # fmt: skip

    def command_body(self, text: str, *, user: str, team: str, channel: str, key: str) -> str:
        return urlencode(self.command_payload(text, user=user, team=team, channel=channel, key=key))

    async def command(
        self, text: str, *, user: str = "U1", team: str = "T1", channel: str = "C0RANDOM"
    ) -> list[dict[str, Any]]:
        """Type ``/gutnudge <text>`` and return what the member is shown (ephemeral)."""
        key = f"cmd{next(self._keys)}"
        body = self.command_body(text, user=user, team=team, channel=channel, key=key)
        status, _ = await self.post(body, content_type="application/x-www-form-urlencoded")
        assert status == 200
        shown: list[dict[str, Any]] = await self.fake.wait_responses(key)
        return shown

    async def tap(
        self,
        *,
        message: dict[str, Any],
        button: int = 0,
        user: str = "U1",
        team: str = "T1",
        channel: str,
        ephemeral: bool = False,
    ) -> str:
        """Tap a button of a message (as posted or as responded); returns the response key."""
        key = f"tap{next(self._keys)}"
        payload = self.tap_payload(
            message=message, button=button, user=user, team=team, channel=channel,
            ephemeral=ephemeral, key=key,
        )  # fmt: skip
        body = urlencode({"payload": json.dumps(payload)})
        status, _ = await self.post(body, content_type="application/x-www-form-urlencoded")
        assert status == 200
        return key

    def tap_payload(
        self,
        *,
        message: dict[str, Any],
        button: int,
        user: str,
        team: str,
        channel: str,
        ephemeral: bool,
        key: str,
    ) -> dict[str, Any]:
        actions = next(b for b in message["blocks"] if b["type"] == "actions")
        element = actions["elements"][button]
        container: dict[str, Any] = {"type": "message", "channel_id": channel,
                                     "is_ephemeral": ephemeral}  # fmt: skip
        if not ephemeral:
            container["message_ts"] = message["ts"]
        payload = {
            "type": "block_actions", "user": {"id": user, "team_id": team},
            "team": {"id": team, "domain": team.lower()}, "api_app_id": "AAPP",
            "container": container, "channel": {"id": channel}, "trigger_id": "1.2.3",
            "response_url": self.fake.response_url(key),
            "message": {"ts": message.get("ts", "1.1"), "blocks": message["blocks"]},
            "actions": [{"type": "button", "block_id": actions["block_id"],
                         "action_id": element["action_id"], "value": element["value"],
                         "action_ts": "1.2"}],
        }  # fmt: skip
        return payload

    async def block_action(self, action: dict[str, Any], *, user: str, team: str) -> int:
        payload = {
            "type": "block_actions", "user": {"id": user, "team_id": team},
            "team": {"id": team, "domain": team.lower()}, "api_app_id": "AAPP",
            "container": {"type": "view", "view_id": "V1"}, "trigger_id": "1.2.3",
            "view": {"id": "V1", "type": "home"}, "actions": [action],
        }  # fmt: skip
        body = urlencode({"payload": json.dumps(payload)})
        status, _ = await self.post(body, content_type="application/x-www-form-urlencoded")
        return status

    async def event(
        self, event: dict[str, Any], *, team: str = "T1", event_id: str | None = None,
        retry_num: int | None = None,
    ) -> int:  # fmt: skip
        payload = self.event_payload(event, team=team, event_id=event_id)
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        status, _ = await self.post(
            json.dumps(payload), content_type="application/json",
            headers=headers if retry_num is not None else None,
        )  # fmt: skip
        return status

    def event_payload(
        self, event: dict[str, Any], *, team: str, event_id: str | None = None
    ) -> dict[str, Any]:
        return {
            "token": "legacy-unused", "team_id": team, "api_app_id": "AAPP", "event": event,
            "type": "event_callback", "event_id": event_id or f"Ev{next(self._events)}",
            "event_time": int(time.time()), "authorizations": [{"team_id": team, "user_id": "UBOT",
            "is_bot": True, "enterprise_id": None, "is_enterprise_install": False}],
        }  # fmt: skip

    # ---- Socket Mode: the same payloads as envelopes over the fake's WebSocket ----------
    async def push_command(
        self, text: str, *, user: str = "U1", team: str = "T1", channel: str = "C0RANDOM"
    ) -> tuple[str, str]:
        """Type ``/gutnudge <text>``; returns the envelope id and the response key."""
        key = f"cmd{next(self._keys)}"
        payload = self.command_payload(text, user=user, team=team, channel=channel, key=key)
        return await self.fake.push("slash_commands", payload), key

    async def push_tap(
        self,
        *,
        message: dict[str, Any],
        button: int = 0,
        user: str = "U1",
        team: str = "T1",
        channel: str,
        ephemeral: bool = False,
    ) -> tuple[str, str]:
        """Tap a button of a message; returns the envelope id and the response key."""
        key = f"tap{next(self._keys)}"
        payload = self.tap_payload(
            message=message, button=button, user=user, team=team, channel=channel,
            ephemeral=ephemeral, key=key,
        )  # fmt: skip
        return await self.fake.push("interactive", payload), key

    async def push_event(self, event: dict[str, Any], *, team: str = "T1") -> str:
        return await self.fake.push("events_api", self.event_payload(event, team=team))


def slack_settings(
    base: Settings, fake: FakeSlackApi, *, mode: str, admin: AdminSettings | None = None
) -> Settings:
    values: dict[str, Any] = {"api_url": fake.base_url}
    if mode == "oauth":
        values |= {"client_id": "111.222", "client_secret": CLIENT_SECRET}
    else:
        values["bot_token"] = fake.teams["T1"].token
    if mode == "socket":  # no signing secret: nothing reaches us over HTTP
        values["app_token"] = fake.app_token
    else:
        values["signing_secret"] = SIGNING_SECRET
    return Settings(
        _env_file=None,
        database_url=base.database_url,
        slack=SlackSettings(**values),
        admin=admin,
    )


@asynccontextmanager
async def open_world(
    *, base: Settings, sessions: Sessions, pack: ContentPack, clock: Clock, mode: str = "http",
    fake: FakeSlackApi | None = None, admin: AdminSettings | None = None,
) -> AsyncIterator[SlackWorld]:  # fmt: skip
    """Start the fake Web API, the adapter and our web server; stop all of it after."""
    fake = fake or FakeSlackApi()
    await fake.start()
    try:
        if mode != "oauth" and "T1" not in fake.teams:
            fake.add_team("T1")
        if mode == "socket" and fake.app_token is None:
            fake.enable_socket_mode()
        settings = slack_settings(base, fake, mode=mode, admin=admin)
        commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
        web_app = web.Application()
        adapter = SlackAdapter(
            settings=settings, commands=commands, sessions=sessions, web_app=web_app
        )
        server = TestServer(web_app, host="127.0.0.1", port=0)
        await server.start_server()
        try:
            await adapter.start()
            async with aiohttp.ClientSession() as http:
                yield SlackWorld(
                    fake=fake, adapter=adapter, sessions=sessions, commands=commands,
                    server=server, http=http,
                )  # fmt: skip
        finally:
            await adapter.stop()
            await server.close()
    finally:
        await fake.close()


def add_team_members(world: SlackWorld) -> None:
    """Workspace T1 with members U1, U2, admin UADMIN, and channel CTEAM made by UADMIN."""
    for user in ("U1", "U2", "UADMIN"):
        world.fake.add_user(user, is_admin=user == "UADMIN")
    world.fake.add_channel("CTEAM", creator="UADMIN")
