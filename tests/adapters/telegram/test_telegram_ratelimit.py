"""Flood limits: the limiter keeps the fake (which enforces Telegram's windows) from 429s."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

from nudgebot.adapters.base import Delivered, RetryLater, SendResult
from nudgebot.adapters.telegram.ratelimit import Limit, SlidingWindowLimiter
from nudgebot.core.chats import Recipient
from nudgebot.core.outbound import Message
from tests.fakes.telegram_harness import World, telegram_world
from tests.fakes.telegram_rules import FakeLimits

ANN = 4711
GROUP = -1001234567890123
REAL_CHAT_LIMIT = FakeLimits(overall=(1000, 1.0), chat=(1, 1.0), group=(3, 1.0))


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in pairwise(times)]


async def send_many(world: World, chat_ids: list[int]) -> list[SendResult]:
    return await asyncio.gather(
        *(
            world.adapter.send(Recipient("telegram", str(chat_id)), Message(text=f"n{i}"))
            for i, chat_id in enumerate(chat_ids)
        )
    )


async def test_messages_to_one_chat_are_spaced_a_second_apart(settings, sessions, pack, clock):
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, limits=REAL_CHAT_LIMIT
    ) as world:
        results = await send_many(world, [ANN] * 3)
        assert all(isinstance(result, Delivered) for result in results)
        assert world.fake.too_many == 0
        arrivals = [call.at for call in world.fake.calls_to("sendMessage")]
        assert all(gap >= 0.99 for gap in gaps(arrivals)), gaps(arrivals)


async def test_without_the_limiter_telegram_answers_429_and_we_retry_later(
    settings, sessions, pack, clock
):
    async with telegram_world(
        settings=settings,
        sessions=sessions,
        pack=pack,
        clock=clock,
        limits=REAL_CHAT_LIMIT,
        rate_limit=False,
    ) as world:
        results = await send_many(world, [ANN] * 3)
        assert [type(r) for r in results].count(Delivered) == 1
        retries = [r for r in results if isinstance(r, RetryLater)]
        assert len(retries) == 2 and all(r.seconds >= 1 for r in retries)
        assert world.fake.too_many == 2


async def test_a_group_gets_no_more_than_its_limit(settings, sessions, pack, clock):
    async with telegram_world(
        settings=settings,
        sessions=sessions,
        pack=pack,
        clock=clock,
        limits=REAL_CHAT_LIMIT,
        limit_chat="100/1",  # only the group window should bind here
    ) as world:
        world.fake.windows.limits = FakeLimits(overall=(1000, 1.0), chat=(100, 1.0), group=(3, 1.0))
        started = time.monotonic()
        results = await send_many(world, [GROUP] * 7)
        assert all(isinstance(result, Delivered) for result in results)
        assert world.fake.too_many == 0
        assert time.monotonic() - started >= 2.0  # 3 + 3 + 1 in three windows


async def test_replies_do_not_wait_behind_a_broadcast(settings, sessions, pack, clock):
    limits = FakeLimits(overall=(20, 1.0), chat=(5, 1.0), group=(20, 60.0))
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, limits=limits
    ) as world:
        broadcast = asyncio.create_task(send_many(world, list(range(1000, 1064))))
        await asyncio.sleep(0.5)
        asked = time.monotonic()
        [reply] = await world.says(ANN, "/help")
        answered = time.monotonic() - asked
        assert reply.startswith("Wat ik kan") or reply.startswith("What I can do")
        assert not broadcast.done()  # the broadcast (64 at 16/s) is still going...
        assert answered < 1.0  # ...and the reply did not queue behind it
        results = await broadcast
        assert [r for r in results if not isinstance(r, Delivered)] == []
        assert world.fake.too_many == 0


async def test_the_overall_window_paces_messages_evenly():
    limiter = SlidingWindowLimiter(
        overall=Limit(5, 0.2), per_chat=Limit(100, 1), per_group=Limit(100, 1), margin=0
    )
    started = time.monotonic()
    stamps = []
    for i in range(15):
        await limiter.wait_for_slot("sendMessage", i, bulk=False)
        stamps.append(time.monotonic() - started)
    assert 0.55 <= stamps[14] < 0.65  # 14 gaps of 0.2 s / 5
    assert all(gap >= 0.019 for gap in gaps(stamps))  # a late one lets the next catch up
    for i in range(len(stamps) - 5):
        assert stamps[i + 5] - stamps[i] >= 0.2


def test_limits_are_written_count_per_seconds():
    assert Limit.parse("30/1") == Limit(30, 1.0)
    assert Limit.parse("20/60") == Limit(20, 60.0)
