"""The fake Bot API in a process of its own, with a record of what reached it.

In its own process so that the figures of the process under test are its own (the
fake's work would otherwise share its CPU), and so that tests can kill ``nudgebot run``
processes around it. ``GET /stats`` on a second port answers, on the machine-wide
monotonic clock (``time.monotonic`` is comparable between processes on Linux):

* ``sent``, ``first``, ``last``: the number of ``sendMessage`` calls and the first and
  last arrival (the benchmarks);
* ``counts``: messages per chat; ``conflicts``: 409s for a second concurrent
  ``getUpdates``; ``poll_starts``: when each served ``getUpdates`` began (kill tests).

Started ``lean`` (a morning of a million), the fake keeps no messages, only when each
arrived and how many each chat got; ``/stats`` then answers ``chats`` and ``duplicates``
instead of ``counts``, and ``/stats?every=k`` adds ``marks``, the arrival of every k-th.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from aiohttp import web

from tests.support.fakes.telegram_api import FakeTelegramApi
from tests.support.fakes.telegram_rules import Chaos, FakeLimits

UNLIMITED = FakeLimits(enforce=False)
"""No flood limits: for tests that count duplicates and runs that measure speed."""


def _serve(limits: FakeLimits, chaos: Chaos | None, lean: bool, port_out: Connection) -> None:
    async def main() -> None:
        fake = await FakeTelegramApi(limits=limits, chaos=chaos, keep_messages=not lean).start()

        async def stats(request: web.Request) -> web.Response:
            if lean:
                return web.json_response(_lean_stats(fake, int(request.query.get("every", 0))))
            sends = [call.at for call in fake.calls if call.method == "sendMessage"]
            return web.json_response(
                {
                    "sent": len(sends),
                    "first": min(sends, default=0),
                    "last": max(sends, default=0),
                    "counts": {str(chat): len(sent) for chat, sent in fake.chats.items()},
                    "conflicts": fake.conflicts,
                    "poll_starts": fake.poll_starts,
                    "faults": fake.faults,
                    "early": fake.early,
                }
            )

        app = web.Application()
        app.router.add_get("/stats", stats)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        port_out.send((fake.url, f"http://127.0.0.1:{port}/stats"))
        await asyncio.Event().wait()

    asyncio.run(main())


def _lean_stats(fake: FakeTelegramApi, every: int) -> dict[str, object]:
    times = fake.send_times
    return {
        "sent": len(times),
        "first": times[0] if times else 0,
        "last": times[-1] if times else 0,
        "chats": len(fake.counts),
        "duplicates": sum(count - 1 for count in fake.counts.values()),
        "marks": times[every - 1 :: every] if every else [],
        "conflicts": fake.conflicts,
    }


def start_fake(
    limits: FakeLimits, chaos: Chaos | None = None, *, lean: bool = False
) -> tuple[BaseProcess, str, str]:
    """Start the fake; returns the process, its URL and its stats URL.

    The Bot API base URL for ``NUDGEBOT_TELEGRAM_API_URL`` is the URL plus ``/bot``.
    """
    receiver, sender = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(limits, chaos, lean, sender), daemon=True
    )
    process.start()
    fake_url, stats_url = receiver.recv()
    return process, str(fake_url), str(stats_url)
