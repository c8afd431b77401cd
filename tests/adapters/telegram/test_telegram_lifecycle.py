"""Start-up and shutdown: the command menu, polling vs webhook, the webhook secret, logs."""

from __future__ import annotations

import logging

import aiohttp
from pydantic import SecretStr

from tests.support.fakes.telegram_api import TOKEN
from tests.support.fakes.telegram_harness import World, at, telegram_world

ANN = 4711


async def test_the_command_menu_is_published_in_both_languages(world: World):
    menus = world.fake.menus
    assert set(menus) == {None, "nl", "en"}
    english = {c["command"]: c["description"] for c in menus["en"]}
    assert english["start"] == "subscribe or come back"
    assert {"today", "streak", "time", "tz", "language", "pause", "resume", "stop"} <= set(english)
    assert {c["command"] for c in menus["nl"]} == set(english)
    assert menus[None] == menus["nl"]  # the default language


async def test_polling_removes_a_webhook_first(world: World):
    await world.says(ANN, "/help")
    assert world.fake.calls_to("deleteWebhook")
    assert world.fake.calls_to("getUpdates")
    assert world.fake.webhook is None


async def test_webhook_mode_registers_the_url_with_a_secret(settings, sessions, pack, clock):
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, webhook=True
    ) as world:
        assert world.fake.webhook is not None
        assert world.fake.webhook["url"] == world.webhook_url
        assert len(world.fake.webhook["secret_token"]) >= 32
        assert TOKEN.split(":")[1] not in world.fake.webhook["secret_token"]
        [welcome] = await world.says(ANN, "/start")  # the fake POSTs with the secret
        assert welcome.startswith("Hi! I'm nudgebot")
        assert world.fake.calls_to("getUpdates") == []


async def test_a_configured_webhook_secret_is_used(settings, sessions, pack, clock):
    secret = SecretStr("my-own-secret_42")
    async with telegram_world(
        settings=settings,
        sessions=sessions,
        pack=pack,
        clock=clock,
        webhook=True,
        webhook_secret=secret,
    ) as world:
        assert world.fake.webhook == {"url": world.webhook_url, "secret_token": "my-own-secret_42"}


async def post(url: str, body: object, headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as response,
    ):
        return response.status


async def test_a_webhook_request_without_the_right_secret_gets_403_and_changes_nothing(
    settings, sessions, pack, clock
):
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, webhook=True
    ) as world:
        assert world.webhook_url is not None
        update = {
            "update_id": 99,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": ANN, "type": "private"},
                "from": {"id": ANN, "is_bot": False, "first_name": "Eve"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        header = "X-Telegram-Bot-Api-Secret-Token"
        assert await post(world.webhook_url, update, {}) == 403
        assert await post(world.webhook_url, update, {header: "guess"}) == 403
        assert await post(world.webhook_url, update, {header: TOKEN}) == 403
        right = world.fake.webhook["secret_token"] if world.fake.webhook else ""
        assert await post(world.webhook_url, ["not", "an", "update"], {header: right}) == 400
        assert await world.subscriber(ANN) is None
        assert world.fake.messages_to(ANN) == []
        assert await post(world.webhook_url, update, {header: right}) == 200
        await world.fake.wait_for(lambda: len(world.fake.messages_to(ANN)) == 1)
        assert await world.subscriber(ANN) is not None


async def test_the_token_never_reaches_the_logs(settings, sessions, pack, clock, caplog):
    caplog.set_level(logging.DEBUG)
    async with telegram_world(settings=settings, sessions=sessions, pack=pack, clock=clock) as w:
        await w.says(ANN, "/start")
        await w.says(ANN, "/time 08:00")
        w.fake.fail(ANN, status=502)
        clock.set(at(6, 0))
        await w.engine.tick()
        w.fake.block(ANN)
        clock.set(at(6, 30))
        await w.engine.tick()
    assert "telegram send to 4711" in caplog.text  # the failures were logged...
    assert TOKEN not in caplog.text  # ...without the token
    assert "bot<secret>" in caplog.text  # PTB's own URL line, redacted
    assert TOKEN.split(":")[1] not in caplog.text
    assert logging.getLogger("httpx").level == logging.WARNING
