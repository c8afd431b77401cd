"""The "handlers are idle" signals tests wait on instead of sleeping: they really wait.

Both platforms answer the HTTP request before the work is done (Slack's ack, Telegram's
webhook queue), so without a signal a test would have to guess how long to sleep.
"""

from __future__ import annotations

from tests.support.fakes.slack_world import open_world
from tests.support.fakes.telegram_harness import telegram_world


async def test_slack_is_idle_only_once_a_commands_answer_is_out(settings, sessions, pack, clock):
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        world.fake.add_user("U1")
        await world.idle()  # nothing running: at once
        body = world.command_body("help", user="U1", team="T1", channel="C0RANDOM", key="k")
        status, _ = await world.post(body, content_type="application/x-www-form-urlencoded")
        assert status == 200
        await world.idle()
        assert world.fake.responses["k"], "idle before the listener had answered"


async def test_telegram_is_idle_only_once_a_webhook_update_is_handled(
    settings, sessions, pack, clock
):
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, webhook=True
    ) as world:
        await world.idle()
        assert await world.fake.user_says(4711, "/help") == 200
        await world.idle()
        assert world.fake.messages_to(4711), "idle before the handler had answered"
