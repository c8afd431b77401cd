"""Replies before bulk sends in the Telegram limiter, and cheap forgetting of idle chats.

Ordered by what happened, not by wall-clock bounds, so a busy machine cannot fail them.
"""

from __future__ import annotations

import asyncio

from nudgebot.adapters.telegram.ratelimit import Limit, PriorityLock, SlidingWindowLimiter

ROOMY = Limit(1000, 1)


async def test_a_waiting_reply_takes_the_lock_before_every_waiting_bulk_send():
    lock, order = PriorityLock(), []

    async def take(name: str, *, urgent: bool) -> None:
        async with lock.hold(urgent=urgent):
            order.append(name)
            await asyncio.sleep(0)

    async with lock.hold(urgent=False):
        bulk = [asyncio.create_task(take(f"bulk{n}", urgent=False)) for n in range(3)]
        await asyncio.sleep(0)
        reply = asyncio.create_task(take("reply", urgent=True))
        await asyncio.sleep(0)
    await asyncio.gather(*bulk, reply)
    assert order == ["reply", "bulk0", "bulk1", "bulk2"]


async def test_a_cancelled_waiter_does_not_keep_the_lock():
    lock = PriorityLock()
    async with lock.hold(urgent=False):
        waiting = asyncio.create_task(lock.hold(urgent=True).__aenter__())
        await asyncio.sleep(0)
        waiting.cancel()
    await asyncio.sleep(0)
    assert not lock.locked()


async def test_during_a_fan_out_a_reply_waits_at_most_one_slot():
    limiter = SlidingWindowLimiter(overall=Limit(50, 1), per_chat=ROOMY, per_group=ROOMY, margin=0)
    left: list[str] = []
    ten_left = asyncio.Event()

    async def send(name: str, chat_id: int, *, bulk: bool) -> None:
        await limiter.wait_for_slot("sendMessage", chat_id, bulk=bulk)
        left.append(name)
        if len(left) == 10:
            ten_left.set()

    fan_out = [asyncio.create_task(send(f"n{n}", 1000 + n, bulk=True)) for n in range(40)]
    await ten_left.wait()
    asked_after = len(left)
    await send("reply", 7, bulk=False)
    assert left.index("reply") <= asked_after + 1  # behind the one slot already taken
    await asyncio.gather(*fan_out)
    assert len(left) == 41


async def test_bulk_sends_alone_use_every_slot():
    """No reply waiting: bulk sends are not held to a share of the overall rate."""
    stamps: list[float] = []
    now = [0.0]

    def clock() -> float:
        return now[0]

    limiter = SlidingWindowLimiter(
        overall=Limit(8, 1), per_chat=ROOMY, per_group=ROOMY, margin=0, clock=clock
    )
    for n in range(32):
        async with asyncio.timeout(1):  # a slot that is not free would make this wait
            await limiter.wait_for_slot("sendMessage", 1000 + n, bulk=True)
        stamps.append(now[0])
        now[0] += 0.125  # one paced gap later (binary fractions: no rounding)
    assert stamps[-1] == 31 * 0.125


async def test_idle_chat_windows_are_forgotten_oldest_first():
    now = [0.0]
    limiter = SlidingWindowLimiter(
        overall=Limit(64, 1), per_chat=Limit(1, 1), per_group=ROOMY, clock=lambda: now[0]
    )
    for chat_id in range(10_000):
        await limiter.wait_for_slot("sendMessage", chat_id, bulk=True)
        now[0] += 0.0625
    assert limiter.windows_kept <= 4096
