"""A running Telegram adapter against the fake Bot API, with the real store and engine.

Used by ``tests/adapters/telegram`` and ``tests/scenarios/test_telegram_*``: one async
context manager instead of fixtures, so scenario modules need no shared conftest.
Everything runs in the test's loop over real HTTP on 127.0.0.1 and is stopped in
``finally``.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web
from pydantic import SecretStr
from sqlmodel import select

from nudgebot.adapters.telegram import TelegramAdapter
from nudgebot.commands import Commands
from nudgebot.core.content import ContentPack
from nudgebot.core.limits import Limit
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.settings import Settings, TelegramSettings
from nudgebot.store.db import Sessions
from nudgebot.store.tables import Delivery, Subscriber
from tests.support.fakes.telegram_api import TOKEN, FakeTelegramApi
from tests.support.fakes.telegram_rules import FakeLimits

FAST = FakeLimits(overall=(1000, 1.0), chat=(50, 1.0), group=(200, 60.0))
"""Limits high enough that only tests about limits ever wait for them."""


def limit_settings(limits: FakeLimits) -> dict[str, Any]:
    """The adapter's limiter set to exactly what the fake enforces."""
    return {
        "limit_overall": Limit(*limits.overall),
        "limit_chat": Limit(*limits.chat),
        "limit_group": Limit(*limits.group),
    }


@dataclass
class World:
    fake: FakeTelegramApi
    adapter: TelegramAdapter
    engine: DeliveryEngine
    commands: Commands
    sessions: Sessions
    settings: Settings
    webhook_url: str | None

    async def subscriber(self, chat_id: int) -> Subscriber | None:
        async with self.sessions() as session:
            statement = select(Subscriber).where(
                Subscriber.platform == "telegram", Subscriber.address == str(chat_id)
            )
            return (await session.exec(statement)).first()

    async def deliveries(self, chat_id: int) -> list[Delivery]:
        subscriber = await self.subscriber(chat_id)
        assert subscriber is not None
        async with self.sessions() as session:
            statement = select(Delivery).where(Delivery.subscriber_id == subscriber.id)
            return list((await session.exec(statement)).all())

    async def idle(self, within: float = 5.0) -> None:
        """Wait until every update handed to the application has been handled.

        PTB marks each update of its queue done once its handlers have run, even when
        they failed, so this is the signal that the handlers are idle.
        """
        async with asyncio.timeout(within):
            await self.adapter.application.update_queue.join()

    async def says(self, chat_id: int, text: str, replies: int = 1, **kwargs: Any) -> list[str]:
        """A user writes; wait for ``replies`` new messages and return their texts."""
        before = len(self.fake.messages_to(chat_id))
        await self.fake.user_says(chat_id, text, **kwargs)
        await self.fake.wait_for(lambda: len(self.fake.messages_to(chat_id)) >= before + replies)
        return [m.text for m in self.fake.messages_to(chat_id)[before:]]

    async def taps(self, chat_id: int, label: str, **kwargs: Any) -> str | None:
        """A user taps a button; wait for the callback answer and return its notice."""
        before = len(self.fake.answers)
        await self.fake.user_taps(chat_id, label, **kwargs)
        await self.fake.wait_for(lambda: len(self.fake.answers) > before)
        notice: str | None = self.fake.answers[-1].get("text")
        return notice


def _free_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def telegram_world(
    *,
    settings: Settings,
    sessions: Sessions,
    pack: ContentPack,
    clock: Any,
    limits: FakeLimits = FAST,
    webhook: bool = False,
    **overrides: Any,
) -> AsyncIterator[World]:
    """Fake API, adapter (polling, or webhook on our own aiohttp server), engine.

    ``overrides`` are :class:`TelegramSettings` fields (``timeout=0.3``).
    """
    fake = await FakeTelegramApi(limits=limits).start()
    sock = _free_port() if webhook else None
    webhook_url = f"http://127.0.0.1:{sock.getsockname()[1]}/telegram/hook" if sock else None
    telegram = TelegramSettings(
        token=SecretStr(TOKEN),
        api_url=fake.api_url,
        webhook_url=webhook_url,
        **(limit_settings(limits) | overrides),
    )
    settings = settings.model_copy(update={"telegram": telegram})
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    web_app = web.Application()
    adapter = TelegramAdapter(settings=settings, commands=commands, web_app=web_app)
    runner = web.AppRunner(web_app, shutdown_timeout=1)
    engine = DeliveryEngine(
        sessions=sessions, pack=pack, adapters={"telegram": adapter}, clock=clock
    )
    try:
        await runner.setup()
        if sock is not None:
            await web.SockSite(runner, sock).start()
        await adapter.start()
        try:
            yield World(fake, adapter, engine, commands, sessions, settings, webhook_url)
        finally:
            await adapter.stop()
    finally:
        await runner.cleanup()
        await fake.stop()
        if sock is not None:
            sock.close()


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    from datetime import UTC

    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)
