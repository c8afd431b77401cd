"""Flood limits: the limiter keeps the fake (which enforces Telegram's windows) from 429s."""

from __future__ import annotations

import asyncio
import random
import time
from itertools import pairwise

import pytest

from nudgebot.adapters.telegram.ratelimit import (
    STARTED_AHEAD,
    Bulk,
    Limit,
    SlidingWindowLimiter,
)
from nudgebot.core.chats import Recipient
from nudgebot.core.outbound import Message
from nudgebot.core.sending import Delivered, RetryLater, SendResult
from tests.support.fakes.telegram_harness import World, telegram_world
from tests.support.fakes.telegram_rules import FakeLimits

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


@pytest.mark.slow  # waits out the real limiter
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


@pytest.mark.slow  # waits out the real limiter
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


@pytest.mark.slow  # waits out the real limiter
async def test_replies_do_not_wait_behind_a_broadcast(settings, sessions, pack, clock):
    limits = FakeLimits(overall=(20, 1.0), chat=(5, 1.0), group=(20, 60.0))
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock, limits=limits
    ) as world:
        # 128 at 16/s: 8 s, so that a reply slowed by a busy machine still lands mid-way
        # (with 64 it failed once under a load of 12 on 2 cores).
        broadcast = asyncio.create_task(send_many(world, list(range(1000, 1128))))
        await asyncio.sleep(0.5)
        [reply] = await world.says(ANN, "/help")
        assert reply.startswith("Wat ik kan") or reply.startswith("What I can do")
        assert not broadcast.done()  # the broadcast is still going...
        results = await broadcast
        sent_to = [int(c.params["chat_id"]) for c in world.fake.calls_to("sendMessage")]
        assert sent_to.index(ANN) < len(sent_to) - 16  # ...and the reply did not queue behind
        # it: a second's worth of the broadcast (16 at 16/s) still went after the reply
        assert [r for r in results if not isinstance(r, Delivered)] == []
        assert world.fake.too_many == 0


class SteppedTime:
    """The limiter's clock, moved only by the limiter's own sleeps: no wall time at all."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


WIDE = Limit(100, 1)


def stepped_limiter(time: SteppedTime, overall: Limit, per_group: Limit = WIDE):
    return SlidingWindowLimiter(
        overall=overall,
        per_chat=WIDE,
        per_group=per_group,
        margin=0,
        clock=time,
        sleep=time.sleep,
    )


async def stamps_of(limiter: SlidingWindowLimiter, time: SteppedTime, chats: list[int]):
    stamps = []
    for chat_id in chats:
        await limiter.wait_for_slot("sendMessage", chat_id, bulk=False)
        stamps.append(time())
    return stamps


async def test_the_overall_window_paces_messages_evenly():
    time = SteppedTime()
    stamps = await stamps_of(stepped_limiter(time, Limit(5, 0.2)), time, list(range(15)))
    assert min(gaps(stamps)) == pytest.approx(0.03)  # 0.2 s / 5, less a quarter at most
    assert stamps[14] == pytest.approx(14 * 0.04 - 0.01)  # the rate, to the message
    for i in range(len(stamps) - 5):
        assert stamps[i + 5] - stamps[i] >= 0.2 - 1e-9  # never six in a window


async def test_a_group_window_lets_its_count_through_then_waits_for_the_window():
    time = SteppedTime()
    limiter = stepped_limiter(time, Limit(1000, 1), per_group=Limit(3, 1))
    stamps = await stamps_of(limiter, time, [GROUP] * 7)
    assert stamps == pytest.approx([0, 0.00075, 0.00175, 1, 1.00075, 1.00175, 2])


def test_limits_are_written_count_per_seconds():
    assert Limit.parse("30/1") == Limit(30, 1.0)
    assert Limit.parse("20/60") == Limit(20, 60.0)


async def test_a_429_holds_every_bulk_send_for_its_retry_after_but_not_replies(
    settings, sessions, pack, clock
):
    async with telegram_world(
        settings=settings, sessions=sessions, pack=pack, clock=clock
    ) as world:
        world.fake.flood(retry_after=1, chat_id=ANN)
        [flooded] = await send_many(world, [ANN])
        assert isinstance(flooded, RetryLater) and flooded.seconds == 1
        held = asyncio.create_task(send_many(world, [ANN + 1]))  # another chat's nudge
        await world.adapter.application.bot.send_message(chat_id=ANN + 2, text="a reply")
        assert not held.done()  # the reply went; the nudge still waits out the flood
        [later] = await held
        assert isinstance(later, Delivered)
        calls = world.fake.calls_to("sendMessage")
        flood_at = calls[0].at
        reply_at, nudge_at = (next(c.at for c in calls if c.params["chat_id"] == str(chat))
                              for chat in (ANN + 2, ANN + 1))  # fmt: skip
        assert reply_at - flood_at < 0.5
        assert nudge_at - flood_at >= 1.0


async def test_a_slow_start_write_does_not_bunch_requests_past_the_window():
    """The engine's start record can take long (a busy disk: up to a second, measured).

    Requests must still leave spread out as the overall window allows: the window is
    stamped when the request leaves, not when the send first reached the front.
    """
    limiter = SlidingWindowLimiter(overall=Limit(20, 0.2), per_chat=WIDE, per_group=WIDE)
    delays = random.Random(7)
    left: list[float] = []
    started = most = 0

    async def request() -> bool:
        left.append(time.monotonic())
        return True

    async def send(chat_id: int) -> None:
        async def starting() -> None:
            nonlocal started, most
            started += 1
            most = max(most, started - len(left))
            await asyncio.sleep(delays.uniform(0, 0.15))

        await limiter.process_request(
            request, (), {}, "sendMessage", {"chat_id": chat_id}, Bulk(starting)
        )

    await asyncio.gather(*(send(1000 + n) for n in range(80)))
    left.sort()
    busiest = max(sum(1 for t in left[i:] if t - left[i] < 0.2) for i in range(len(left)))
    assert len(left) == 80
    assert busiest <= 20
    # Slow writes let more sends be recorded ahead, so the writes overlap the sends.
    assert 2 < most <= STARTED_AHEAD


async def test_few_sends_wait_recorded_as_started_but_not_yet_sent():
    """What a crash can turn into "unknown" although Telegram never saw it stays small.

    With a fast database, two sends recorded ahead keep the window busy.
    """
    limiter = SlidingWindowLimiter(overall=Limit(500, 1), per_chat=WIDE, per_group=WIDE)
    started = called = most = 0

    async def request() -> bool:
        nonlocal called
        called += 1
        return True

    async def starting() -> None:
        nonlocal started, most
        started += 1
        most = max(most, started - called)

    await asyncio.gather(
        *(
            limiter.process_request(
                request, (), {}, "sendMessage", {"chat_id": 1000 + n}, Bulk(starting)
            )
            for n in range(120)
        )
    )
    assert called == started == 120
    assert most <= 2
