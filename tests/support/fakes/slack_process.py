"""The fake Slack Web API in a process of its own, in Socket Mode, with a record of posts.

For tests that run nudgebot in another process or a container (``--network host``): the
fake cannot share their event loop. One workspace (:data:`TEAM`, bot token
:data:`BOT_TOKEN`), one channel (:data:`CHANNEL`) and Socket Mode on (:data:`APP_TOKEN`).
``GET /stats`` on a second port answers ``posted`` (messages per channel) and ``sockets``
(open Socket Mode connections).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from aiohttp import web

from tests.support.fakes.slack_api import FakeSlackApi

TEAM = "T0DEPLOY"
CHANNEL = "C0DEPLOY"
BOT_TOKEN = "xoxb-deploy-test-bot-token"
APP_TOKEN = "xapp-1-ADEPLOY-1-deploy-test-app-token"


def _serve(port_out: Connection) -> None:
    async def main() -> None:
        fake = FakeSlackApi()
        fake.add_team(TEAM, BOT_TOKEN)
        fake.add_channel(CHANNEL)
        fake.enable_socket_mode(APP_TOKEN)
        await fake.start()

        async def stats(_request: web.Request) -> web.Response:
            posted: dict[str, int] = {}
            for message in fake.posted:
                posted[message["channel"]] = posted.get(message["channel"], 0) + 1
            return web.json_response({"posted": posted, "sockets": len(fake.live_sockets)})

        app = web.Application()
        app.router.add_get("/stats", stats)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        port_out.send((fake.base_url, f"http://127.0.0.1:{port}/stats"))
        await asyncio.Event().wait()

    asyncio.run(main())


def start_fake() -> tuple[BaseProcess, str, str]:
    """Start the fake; returns the process, its Web API URL and its stats URL."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(sender,), daemon=True
    )
    process.start()
    api_url, stats_url = receiver.recv()
    return process, str(api_url), str(stats_url)
