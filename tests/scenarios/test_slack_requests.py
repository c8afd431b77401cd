"""What Slack's HTTP requests must satisfy: signatures, fresh timestamps, quick acks,
idempotent retried events; and the App Home tab."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import time as wall_time

import pytest
from sqlmodel import select

from nudgebot.adapters.slack.blocks import HOME_OFTEN, HOME_PAUSE, HOME_TIME
from nudgebot.core.chats import Recipient
from nudgebot.core.content import ContentPack
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import Status, Subscriber
from tests.conftest import FakeClock
from tests.support.fakes.slack_world import SlackWorld, open_world


@pytest.fixture
async def world(
    settings: Settings, sessions: Sessions, pack: ContentPack, clock: FakeClock
) -> AsyncIterator[SlackWorld]:
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        world.fake.add_user("U1", tz="Europe/Amsterdam")
        yield world


async def rows(world: SlackWorld) -> list[Subscriber]:
    async with world.sessions() as session:
        return list((await session.exec(select(Subscriber))).all())


@pytest.mark.parametrize(
    ("timestamp_offset", "signature"),
    [
        pytest.param(0, "v0=" + "0" * 64, id="forged-signature"),
        pytest.param(-301, None, id="stale-timestamp"),
        pytest.param(0, "", id="no-signature"),
    ],
)
async def test_unsigned_or_stale_requests_are_refused_and_change_nothing(
    world, timestamp_offset, signature
):
    body = world.command_body("subscribe", user="U1", team="T1", channel="C1", key="x")
    status, _ = await world.post(
        body,
        content_type="application/x-www-form-urlencoded",
        timestamp=int(time.time()) + timestamp_offset,
        signature=signature,
    )
    assert status == 401
    assert await rows(world) == []
    assert world.fake.called("users.info") == []
    assert world.fake.responses == {}


async def test_command_is_acked_before_the_slow_work(world):
    held = world.fake.gates["users.info"] = asyncio.Event()  # the work's first call hangs
    body = world.command_body("subscribe", user="U1", team="T1", channel="C1", key="slow")
    status, _ = await world.post(body, content_type="application/x-www-form-urlencoded")
    assert status == 200  # acked while the work still waits on users.info
    await world.fake.wait_for(lambda: bool(world.fake.called("users.info")))
    assert world.fake.responses == {}
    held.set()
    shown = await world.fake.wait_responses("slow")
    assert "All set" in shown[0]["text"]


async def test_app_home_shows_subscription_time_zone_streak_and_buttons(world):
    await world.command("subscribe 07:15")
    assert await world.event({"type": "app_home_opened", "user": "U1", "tab": "home"}) == 200
    await world.fake.wait_for(lambda: len(world.fake.called("views.publish")) == 1)
    call = world.fake.called("views.publish")[0].params
    assert call["user_id"] == "U1"
    view = call["view"]
    shown = "\n".join(b["text"]["text"] for b in view["blocks"] if "text" in b)
    assert "Active: every day at 07:15 (Europe/Amsterdam)" in shown
    assert "Streak: 0 days. Best ever: 0 days" in shown
    controls = next(b for b in view["blocks"] if b["type"] == "actions")["elements"]
    assert [c["action_id"] for c in controls] == [HOME_PAUSE, HOME_TIME, HOME_OFTEN]
    assert controls[1]["initial_time"] == "07:15"
    assert controls[2]["initial_option"]["value"] == "daily"


async def test_app_home_sets_how_often(world):
    await world.command("subscribe")
    await world.block_action(
        {"type": "static_select", "action_id": HOME_OFTEN, "block_id": "home_controls",
         "selected_option": {"value": "3x", "text": {"type": "plain_text", "text": "3x"}}},
        user="U1", team="T1",
    )  # fmt: skip
    await world.fake.wait_for(lambda: len(world.fake.called("views.publish")) == 1)
    async with world.sessions() as session:
        row = await find_subscriber(session, Recipient("slack", "U1", "T1"))
    assert row is not None and row.frequency == "3x"
    view = world.fake.called("views.publish")[0].params["view"]
    assert "three times a week (Mon, Wed, Fri) at" in str(view)


async def test_app_home_before_subscribing_explains_how(world):
    await world.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    await world.fake.wait_for(lambda: len(world.fake.called("views.publish")) == 1)
    view = world.fake.called("views.publish")[0].params["view"]
    assert "Type /gutnudge subscribe" in view["blocks"][1]["text"]["text"]


async def test_app_home_buttons_pause_and_change_time(world):
    await world.command("subscribe")
    await world.block_action(
        {"type": "button", "action_id": HOME_PAUSE, "block_id": "home_controls"},
        user="U1", team="T1",
    )  # fmt: skip
    await world.fake.wait_for(lambda: len(world.fake.called("views.publish")) == 1)
    await world.block_action(
        {"type": "timepicker", "action_id": HOME_TIME, "block_id": "home_controls",
         "selected_time": "06:30"},
        user="U1", team="T1",
    )  # fmt: skip
    await world.fake.wait_for(lambda: len(world.fake.called("views.publish")) == 2)
    async with world.sessions() as session:
        row = await find_subscriber(session, Recipient("slack", "U1", "T1"))
    assert row is not None and (row.status, row.local_time) == (Status.PAUSED, wall_time(6, 30))
    paused_view = world.fake.called("views.publish")[0].params["view"]
    assert "Resume" in str(paused_view)


async def test_retried_event_is_handled_once(world):
    await world.command("subscribe")
    event = {"type": "app_home_opened", "user": "U1", "tab": "home"}
    assert await world.event(event, event_id="EvSAME") == 200
    assert await world.event(event, event_id="EvSAME", retry_num=1) == 200
    assert await world.event(event, event_id="EvOTHER") == 200
    await world.fake.wait_for(lambda: len(world.fake.called("views.publish")) == 2)
    assert len(world.fake.called("views.publish")) == 2


async def test_app_home_after_stopping_offers_to_subscribe_again(world):
    await world.command("subscribe")
    await world.command("stop")
    await world.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    await world.fake.wait_for(lambda: len(world.fake.called("views.publish")) == 1)
    view = world.fake.called("views.publish")[0].params["view"]
    assert "Stopped: every day at 08:00" in str(view)
    assert "/gutnudge subscribe" in str(view)
    assert not any(b["type"] == "actions" for b in view["blocks"])
