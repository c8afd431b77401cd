"""Wiring and lifecycle: one process, one asyncio loop, everything started is stopped.

The order matters: the store is migrated before anything reads it; adapters add their
HTTP routes before the one web server starts; the ticker starts last and stops first, so
no tick runs against a stopped adapter. An :class:`~contextlib.AsyncExitStack` undoes it
all in reverse on Ctrl-C, SIGTERM or the end of the console session.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import AsyncExitStack
from datetime import timedelta

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from nudgebot.adapters.console import ConsoleAdapter, locale_hint
from nudgebot.app.health import Readiness, handle_liveness
from nudgebot.app.startup import check_writable, database_problem
from nudgebot.commands import Commands
from nudgebot.core.chats import Recipient
from nudgebot.core.clock import utc_clock
from nudgebot.core.outbound import Message
from nudgebot.core.sending import Adapter, PollerGateFactory
from nudgebot.engine.capacity import CapacityWatch, Notify, platform_rates
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.outbox import OutboxWork
from nudgebot.engine.retention import Retention
from nudgebot.engine.scheduler import Ticker
from nudgebot.pack.loading import load_pack
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions, open_store
from nudgebot.store.election import Election, Hook, poller_lock_name
from nudgebot.store.single import only_instance

logger = logging.getLogger(__name__)


def build_platform_adapters(
    settings: Settings, commands: Commands, sessions: Sessions, web_app: web.Application
) -> list[Adapter]:
    """The Telegram and Slack adapters whose settings are present."""
    adapters: list[Adapter] = []
    if settings.telegram is not None:
        from nudgebot.adapters.telegram import TelegramAdapter  # imported only when configured

        adapters.append(
            TelegramAdapter(
                settings=settings,
                commands=commands,
                web_app=web_app,
                poller=poller_election(settings),
            )
        )
    if settings.slack is not None:
        from nudgebot.adapters.slack import SlackAdapter  # imported only when configured

        adapters.append(
            SlackAdapter(settings=settings, commands=commands, sessions=sessions, web_app=web_app)
        )
    return adapters


def poller_election(settings: Settings) -> PollerGateFactory | None:
    """On PostgreSQL, instances elect the one Telegram poller per bot (invariant 10).

    Elsewhere one instance runs (:func:`~nudgebot.store.single.only_instance` on SQLite),
    so it simply polls. The lock is named after the bot's id (the token's public part), so bots
    with different tokens sharing a database each get their own poller.
    """
    if make_url(settings.database_url).get_backend_name() != "postgresql":
        return None
    if settings.telegram is None:
        return None
    name = poller_lock_name(settings.telegram.token.get_secret_value())

    def gate(on_elected: Hook, on_deposed: Hook) -> Election:
        return Election(
            url=settings.database_url,
            name=name,
            on_elected=on_elected,
            on_deposed=on_deposed,
            retry_seconds=settings.poller_retry_seconds,
        )

    return gate


def operator_notice(settings: Settings, adapters: list[Adapter]) -> Notify | None:
    """Tells the operators (``NUDGEBOT_TELEGRAM_ADMINS``, in their private chats) a line.

    None when there is nobody to tell that way: the log line is then the warning.
    """
    telegram = next((adapter for adapter in adapters if adapter.platform == "telegram"), None)
    if telegram is None or settings.telegram is None or not settings.telegram.admins:
        return None
    admins = sorted(settings.telegram.admins)

    async def notify(text: str) -> None:
        for admin in admins:
            result = await telegram.send(Recipient("telegram", str(admin)), Message(text=text))
            logger.info("operator notice to %s: %s", admin, result)

    return notify


async def _metrics(_request: web.Request) -> web.Response:
    response = web.Response(body=generate_latest())
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    return response


def build_web_app(readiness: Readiness | None = None) -> web.Application:
    """The one web server: adapters add their routes before it starts."""
    web_app = web.Application(client_max_size=1024**2)
    web_app.router.add_get("/healthz", handle_liveness)
    if readiness is not None:
        web_app.router.add_get("/readyz", readiness.handle)
    web_app.router.add_get("/metrics", _metrics)
    return web_app


async def run(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    listening: asyncio.Future[int] | None = None,
) -> None:
    """Serve until interrupted, ``stop`` is set, or (console) the user leaves.

    ``listening`` gets the web server's port once it accepts connections: with
    ``NUDGEBOT_HTTP_PORT=0`` the system picks a free one, and only the server knows which.
    """
    pack = load_pack(settings.content_dir)
    done = stop or asyncio.Event()
    async with AsyncExitStack() as stack:
        try:
            stack.enter_context(only_instance(settings.database_url))
            sessions = await stack.enter_async_context(open_store(settings.database_url))
        except (OSError, SQLAlchemyError) as error:
            raise database_problem(settings.database_url, error) from error
        await check_writable(settings.database_url, sessions)
        commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=utc_clock)
        readiness = Readiness(sessions)
        web_app = build_web_app(readiness)
        if settings.admin is not None:
            from nudgebot.app.admin import admin_app  # the console only when configured

            admin_console = admin_app(
                settings=settings,
                admin=settings.admin,
                sessions=sessions,
                pack=pack,
                clock=utc_clock,
            )
            web_app.add_subapp("/admin", admin_console)
        adapters = build_platform_adapters(settings, commands, sessions, web_app)
        serve = bool(adapters) or settings.admin is not None
        if not adapters:
            adapters.append(
                ConsoleAdapter(commands=commands, done=done, language_hint=locale_hint())
            )
        if serve:
            runner = web.AppRunner(web_app)
            await runner.setup()
            stack.push_async_callback(runner.cleanup)
            await web.TCPSite(runner, settings.http_host, settings.http_port).start()
            port = int(runner.addresses[0][1])
            logger.info("HTTP on %s:%s", settings.http_host, port)
            if listening is not None:
                listening.set_result(port)
        for adapter in adapters:
            await adapter.start()  # a platform that cannot be used raises StartupError
            stack.push_async_callback(adapter.stop)
        engine = DeliveryEngine(
            sessions=sessions,
            pack=pack,
            adapters={adapter.platform: adapter for adapter in adapters},
            clock=utc_clock,
            grace=timedelta(minutes=settings.grace_minutes),
            lease=timedelta(seconds=settings.lease_seconds),
            max_attempts=settings.send_attempts,
            batch_size=settings.batch_size,
        )
        outbox = OutboxWork(
            sessions=sessions,
            clock=utc_clock,
            default_language=settings.default_language,
            lease=engine.lease,
            batch_size=settings.broadcast_batch,
            max_attempts=settings.send_attempts,
        )
        engine.add_work(outbox)
        retention = Retention(sessions=sessions, days=settings.retention_days, clock=utc_clock)
        capacity = CapacityWatch(
            sessions=sessions,
            rates=platform_rates(settings),
            grace=engine.grace,
            clock=utc_clock,
            notify=operator_notice(settings, adapters),
        )
        ticker = Ticker(
            engine,
            interval_seconds=settings.tick_seconds,
            outbox=outbox,
            retention=retention,
            capacity=capacity if capacity.rates else None,
        )
        ticker.start()
        stack.push_async_callback(ticker.stop, wait_seconds=settings.stop_timeout)
        readiness.watch(ticker=ticker, adapters=adapters)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, done.set)
            stack.callback(loop.remove_signal_handler, signum)
        await done.wait()
