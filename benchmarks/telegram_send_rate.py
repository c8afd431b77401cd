"""Telegram send rate against the fake Bot API, and CPU per send for each transport.

Rate with and without our limiter, as a share of Telegram's 30/s; how long a reply
waits while a fan-out runs (at least 95% of the rate with no 429, and a reply
delayed by under 100 ms at the median); the CPU each ``sendMessage`` costs over PTB's
httpx transport and over our aiohttp one.

The fake runs in a child process, so the CPU figures are the client's alone. Run::

    PYTHONPATH=. python benchmarks/telegram_send_rate.py [--sends 300] [--cpu-sends 3000]

With Telegram's limits (30/s overall) the limited run takes about ``sends / 29`` seconds:
nudges are sent as "bulk", which take every slot no reply is waiting for.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from telegram.ext import ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from nudgebot.adapters.telegram.ratelimit import BULK, Bulk, Limit, SlidingWindowLimiter
from nudgebot.adapters.telegram.request import AiohttpRequest
from tests.support.fakes.telegram_api import TOKEN
from tests.support.fakes.telegram_process import UNLIMITED, start_fake
from tests.support.fakes.telegram_rules import FakeLimits

TELEGRAM = FakeLimits(overall=(30, 1.0), chat=(1, 1.0), group=(20, 60.0))


async def send_burst(
    url: str, count: int, *, request: BaseRequest, limiter: SlidingWindowLimiter | None
) -> tuple[float, float, int]:
    """``count`` sends to distinct chats at once: (wall seconds, CPU seconds, failures)."""
    bot: ExtBot[Bulk] = ExtBot(TOKEN, base_url=f"{url}/bot", request=request, rate_limiter=limiter)
    async with bot:
        wall, cpu = time.perf_counter(), time.process_time()
        results = await asyncio.gather(
            *(
                bot.send_message(
                    chat_id=10_000 + n,
                    text=f"nudge {n}",
                    rate_limit_args=BULK if limiter else None,
                )
                for n in range(count)
            ),
            return_exceptions=True,
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, sum(isinstance(r, Exception) for r in results)


def limiter() -> SlidingWindowLimiter:
    return SlidingWindowLimiter(overall=Limit(30, 1), per_chat=Limit(1, 1), per_group=Limit(20, 60))


async def reply_waits(url: str, sends: int) -> tuple[float, float, float, int]:
    """A fan-out of ``sends`` with a reply every 0.3 s.

    Returns the messages per second that left (fan-out and replies: both use the overall
    rate), the median reply time when idle and during the fan-out, and the 429s.
    """
    rate_limiter = limiter()
    bot: ExtBot[Bulk] = ExtBot(
        TOKEN, base_url=f"{url}/bot", request=AiohttpRequest(), rate_limiter=rate_limiter
    )

    async def reply(chat_id: int) -> float:
        started = time.perf_counter()
        await bot.send_message(chat_id=chat_id, text="reply")
        return time.perf_counter() - started

    async with bot:
        idle = [await reply(500 + n) for n in range(10)]
        await asyncio.sleep(1.1)
        started = time.perf_counter()
        fan_out = asyncio.gather(
            *(
                bot.send_message(chat_id=10_000 + n, text=f"nudge {n}", rate_limit_args=BULK)
                for n in range(sends)
            ),
            return_exceptions=True,
        )
        busy: list[float] = []
        while not fan_out.done():
            await asyncio.sleep(0.3)
            if not fan_out.done():
                busy.append(await reply(600 + len(busy)))
        results = await fan_out
        wall = time.perf_counter() - started
    refused = sum(isinstance(r, Exception) for r in results)
    delivered = sends - refused + len(busy)
    return delivered / wall, statistics.median(idle), statistics.median(busy), refused


async def main(sends: int, cpu_sends: int) -> None:
    process, url, _ = start_fake(TELEGRAM)
    try:
        print(f"fake Bot API enforcing 30/s overall, 1/s per chat; {sends} sends to new chats")
        rate, idle, busy, refused = await reply_waits(url, sends)
        print(
            f"  limiter on : {rate:5.1f} delivered/s = {rate / 30:6.1%} of 30/s, "
            f"{refused} refused with 429; a reply takes {1000 * idle:5.1f} ms idle, "
            f"{1000 * busy:5.1f} ms during the fan-out (median): "
            f"{1000 * (busy - idle):5.1f} ms added"
        )
        await asyncio.sleep(1.1)  # let the fake's windows empty between runs
        wall, _, failed = await send_burst(url, sends, request=AiohttpRequest(), limiter=None)
        ok = sends - failed
        print(
            f"  limiter off: {ok:4d} delivered, {failed:4d} refused with 429, in {wall:5.1f} s "
            f"= {ok / wall:5.1f} delivered/s"
        )
    finally:
        process.kill()
    process, url, _ = start_fake(UNLIMITED)
    try:
        print(f"fake Bot API without limits; {cpu_sends} sends, client CPU only")
        for name, make in (("httpx  (PTB default)", HTTPXRequest), ("aiohttp (ours)      ", None)):
            request = make(connection_pool_size=256) if make else AiohttpRequest()
            await send_burst(url, 200, request=request, limiter=None)  # warm up
            request = make(connection_pool_size=256) if make else AiohttpRequest()
            wall, cpu, failed = await send_burst(url, cpu_sends, request=request, limiter=None)
            print(
                f"  {name}: {1000 * cpu / cpu_sends:5.2f} ms CPU per send, "
                f"{cpu_sends / wall:6.0f} sends/s, {failed} failed"
            )
    finally:
        process.kill()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=300)
    parser.add_argument("--cpu-sends", type=int, default=3000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.sends, arguments.cpu_sends))
