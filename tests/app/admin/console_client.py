"""The admin console on a real aiohttp server on 127.0.0.1, with a client that signs in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from nudgebot.app.admin import admin_app
from nudgebot.app.wiring import build_web_app
from nudgebot.commands.admin import mint_link
from nudgebot.core.content import ContentPack
from nudgebot.settings import AdminSettings, Settings
from nudgebot.store.db import Sessions

SECRET = "a-console-secret-of-at-least-32-characters"


class Clock:
    def __init__(self) -> None:
        self.now_utc = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now_utc


@dataclass
class Console:
    client: TestClient[web.Request, web.Application]
    app: web.Application
    settings: Settings
    sessions: Sessions
    clock: Clock

    async def link(self, workspace: str | None = None, who: str = "cli:op") -> str:
        assert self.settings.admin is not None
        url = await mint_link(
            self.sessions,
            self.settings.admin,
            "http://console.test",
            who=who,
            workspace=workspace,
            now_utc=self.clock(),
        )
        return url.split("?token=", 1)[1]

    async def sign_in(self, workspace: str | None = None) -> None:
        token = await self.link(workspace)
        response = await self.client.post(
            "/admin/login", data={"token": token}, allow_redirects=False
        )
        assert response.status == 303, await response.text()

    async def csrf(self, path: str = "/admin/broadcasts") -> str:
        page = await (await self.client.get(path)).text()
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        assert found, page
        return found.group(1)


@asynccontextmanager
async def console(
    settings: Settings, sessions: Sessions, pack: ContentPack
) -> AsyncIterator[Console]:
    configured = settings.model_copy(update={"admin": AdminSettings(secret=SecretStr(SECRET))})
    clock = Clock()
    assert configured.admin is not None
    web_app = build_web_app()
    admin = admin_app(
        settings=configured, admin=configured.admin, sessions=sessions, pack=pack, clock=clock
    )
    web_app.add_subapp("/admin", admin)
    client = TestClient(TestServer(web_app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield Console(client, admin, configured, sessions, clock)
    finally:
        await client.close()
