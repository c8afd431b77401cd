"""Hostile and broken updates to Telegram.

Bodies that carry the right secret but are not updates get 400 and one log line; the
webhook secret stays out of the logs even at DEBUG, where PTB logs ``setWebhook``'s
parameters; a failure inside a handler reaches the user as an apology and the log as one
line naming the chat and nothing the user typed.
"""

from __future__ import annotations

import logging

import pytest

from tests.support.fakes.telegram_harness import World, at, telegram_world
from tests.support.hostile_cases import FORGED_NUDGE_BUTTONS
from tests.support.log_lines import assert_quiet
from tests.support.store_dump import break_deliveries, dump_tables

ANN = 4711


@pytest.fixture
async def hooked(settings, sessions, pack, clock):
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, webhook=True
    ) as world:
        yield world


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"update_id": 5, "message": "hello"}', id="field-of-the-wrong-type"),
        pytest.param(b"[" * 200_000, id="200k-nested-brackets"),
        pytest.param(b'{"update_id": "5"}', id="update-id-a-string"),
        pytest.param(b'{"update_id": 5, "callback_query": [1]}', id="query-a-list"),
        pytest.param(b"\xff\xfe not json", id="not-json"),
        pytest.param(b"[1, 2]", id="json-array"),
    ],
)
async def test_a_broken_webhook_body_gets_400_and_one_log_line(hooked: World, caplog, body):
    caplog.set_level(logging.DEBUG)
    before = await dump_tables(hooked.sessions)
    caplog.clear()
    assert await hooked.fake.post_webhook(body) == 400
    ours = [r for r in caplog.records if r.name.startswith("nudgebot")]
    assert len(ours) == 1
    assert_quiet(ours, at_most=1)
    assert "Traceback" not in caplog.text
    assert await dump_tables(hooked.sessions) == before


async def test_the_webhook_secret_never_reaches_the_logs_even_at_debug(
    settings, sessions, pack, clock, caplog
):
    caplog.set_level(logging.DEBUG)
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, webhook=True
    ) as world:
        assert world.fake.webhook is not None
        secret = world.fake.webhook["secret_token"]
        await world.says(ANN, "/start")
    assert "`setWebhook` with parameters" in caplog.text  # PTB logged the call...
    assert secret not in caplog.text  # ...without the secret


async def test_a_failing_command_gets_an_apology_and_one_log_line(world: World, caplog):
    await world.says(ANN, "/start")
    await break_deliveries(world.sessions)
    caplog.set_level(logging.INFO)
    [said] = await world.says(ANN, "/today my-private-words")
    assert said.startswith("Sorry, something went wrong")
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1 and str(ANN) in failures[0].getMessage()
    assert_quiet(failures, at_most=1)
    assert "my-private-words" not in caplog.text


async def test_a_failing_tap_is_answered_with_an_apology(world: World, clock):
    await world.says(ANN, "/start", replies=1)
    await world.taps(ANN, "🇬🇧 English")
    clock.set(at(6, 0))
    await world.engine.tick()
    await world.fake.wait_for(lambda: any(m.buttons for m in world.fake.messages_to(ANN)[-1:]))
    label = next(iter(world.fake.messages_to(ANN)[-1].buttons))
    await break_deliveries(world.sessions)
    notice = await world.taps(ANN, label)
    assert notice is not None and notice.startswith("Sorry, something went wrong")


@pytest.mark.parametrize("data", FORGED_NUDGE_BUTTONS)
async def test_a_forged_button_is_answered_and_changes_nothing(world: World, data):
    await world.says(ANN, "/start")
    await world.says(ANN, "/today")
    label = next(iter(world.fake.messages_to(ANN)[-1].buttons))
    before = await dump_tables(world.sessions)
    notice = await world.taps(ANN, label, data=data)
    assert notice is not None and "button" in notice
    assert await dump_tables(world.sessions) == before
