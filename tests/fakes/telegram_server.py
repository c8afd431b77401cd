"""The fake Bot API in a process of its own, for tests that kill `nudgebot run` processes.

``python -m tests.fakes.telegram_server`` prints its API URL on the first line of stdout
and serves until stdin closes. ``GET /_stats`` returns what it recorded: messages per
chat, the number of 409 conflicts (a second ``getUpdates`` while one was open) and when
each served ``getUpdates`` started (``time.monotonic()``, the same clock in every
process on Linux). Its flood limits are out of reach: the kill tests count duplicates,
not rate limits.
"""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web

from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.telegram_rules import FakeLimits

UNLIMITED = FakeLimits(overall=(10**6, 1.0), chat=(10**6, 1.0), group=(10**6, 60.0))


async def serve() -> None:
    fake = await FakeTelegramApi(limits=UNLIMITED).start()

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response(
            {
                "counts": {str(chat): len(sent) for chat, sent in fake.chats.items()},
                "conflicts": fake.conflicts,
                "poll_starts": fake.poll_starts,
            }
        )

    stats_app = web.Application()
    stats_app.router.add_get("/_stats", stats)
    runner = web.AppRunner(stats_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(fake.api_url, f"http://127.0.0.1:{port}/_stats", flush=True)
    try:
        await asyncio.to_thread(sys.stdin.read)
    finally:
        await runner.cleanup()
        await fake.stop()


if __name__ == "__main__":
    asyncio.run(serve())
