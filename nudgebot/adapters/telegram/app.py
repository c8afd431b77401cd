"""The Telegram adapter: a python-telegram-bot ``Application`` living in our loop.

Modelled on PTB's ``examples/customwebhookbot/starlettebot.py``: we own the loop and the
web server, so PTB never runs ``run_polling``/``run_webhook``, and it gets no JobQueue
(the engine schedules nudges in the database; one PTB job per subscriber does not scale).

* Long polling by default; with ``NUDGEBOT_TELEGRAM_WEBHOOK_URL`` the update route is
  added to the shared aiohttp app in ``__init__`` (routes cannot be added once it runs).
* One HTTP stack: PTB runs over :class:`.request.AiohttpRequest`.
* Several instances on PostgreSQL poll one at a time: with a ``poller`` factory the
  adapter polls only while this instance holds the poller election
  (:mod:`nudgebot.store.election`); it delivers and answers webhooks either way.
* Every message call waits for :class:`.ratelimit.SlidingWindowLimiter`; a 429 that still
  comes back is returned as ``RetryLater``, never slept on here.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from aiohttp import web
from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder

from nudgebot.commands import REGISTRY, Commands
from nudgebot.core.chats import Recipient
from nudgebot.core.content import LANGUAGES, Lang
from nudgebot.core.outbound import Message
from nudgebot.core.sending import (
    Connection,
    Delivered,
    PollerGateFactory,
    RecipientGone,
    SendResult,
    Starting,
)
from nudgebot.errors import ConfigError, StartupError
from nudgebot.settings import Settings

from .errors import to_send_result
from .handlers import NO_PREVIEW, PLATFORM, TelegramHandlers
from .keyboards import to_outgoing
from .logs import redact_token
from .ratelimit import Bulk, SlidingWindowLimiter
from .request import AiohttpRequest
from .webhook import WebhookRoute, webhook_path, webhook_secret

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
POLL_TIMEOUT = timedelta(seconds=10)

PTBApplication = Application[Any, Any, Any, Any, Any, Any]


def file_url(api_url: str) -> str:
    """``https://host/bot`` -> ``https://host/file/bot``, as the Bot API lays out its paths."""
    base, _, last = api_url.rstrip("/").rpartition("/")
    return f"{base}/file/{last}"


def command_list(lang: Lang) -> list[BotCommand]:
    """The ``/`` menu: every registered command with its help line in ``lang``."""
    return [BotCommand(command.name, command.help[lang]) for command in REGISTRY.public()]


class TelegramAdapter:
    """Serves Telegram subscribers; ``send`` is what the delivery engine calls."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        settings: Settings,
        commands: Commands,
        web_app: web.Application,
        poller: PollerGateFactory | None = None,
    ):
        if settings.telegram is None:
            raise ConfigError(["NUDGEBOT_TELEGRAM_TOKEN: needed for the Telegram adapter"])
        config = settings.telegram
        # Opt in to PTB's coming behaviour (a timedelta ``RetryAfter.retry_after``): PTB 22
        # otherwise warns on every 429 it parses. errors.py accepts both forms.
        os.environ.setdefault("PTB_TIMEDELTA", "true")
        # Before PTB logs its URLs, or setWebhook's parameters at DEBUG.
        redact_token(config.token.get_secret_value(), webhook_secret(config))
        self._settings = settings
        self._limiter: SlidingWindowLimiter | None = None
        self._requests = [
            AiohttpRequest(
                read_timeout=config.timeout,
                write_timeout=config.timeout,
                connect_timeout=config.timeout,
            )
        ]
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            Application.builder()
            .token(config.token.get_secret_value())
            .base_url(config.api_url)
            .base_file_url(file_url(config.api_url))
            .request(self._requests[0])
            .job_queue(None)
            .concurrent_updates(64)
        )
        if config.rate_limit:
            self._limiter = SlidingWindowLimiter(
                overall=config.limit_overall,
                per_chat=config.limit_chat,
                per_group=config.limit_group,
            )
            builder = builder.rate_limiter(self._limiter)
        self._webhook_url = config.webhook_url
        self._gate = (
            None
            if (poller is None or self._webhook_url)
            else poller(self._start_polling, self._stop_polling)
        )
        if self._webhook_url:
            builder = builder.updater(None)
        else:
            self._requests.append(AiohttpRequest(connection_pool_size=1))
            builder = builder.get_updates_request(self._requests[1])
        self.application: PTBApplication = builder.build()
        TelegramHandlers(commands, admins=config.admins).install(self.application)
        if self._webhook_url:
            self._secret = webhook_secret(config)
            route = WebhookRoute(self.application, self._secret)
            web_app.router.add_post(webhook_path(self._webhook_url), route.handle)

    async def start(self) -> None:
        """Connect (``getMe``), publish the command menu, then start receiving updates.

        A refused token or an unreachable Bot API raises :class:`StartupError` (one line,
        no token), after every HTTP session this adapter opened is closed again.
        """
        try:
            try:
                await self.application.initialize()
            except InvalidToken as error:
                raise StartupError(
                    f"telegram: the Bot API at {self._settings_api_url()} refused "
                    "NUDGEBOT_TELEGRAM_TOKEN (401/404): copy the token from @BotFather "
                    "again, and check NUDGEBOT_TELEGRAM_API_URL if you changed it"
                ) from error
            except TelegramError as error:
                raise StartupError(
                    f"telegram: cannot reach the Bot API at {self._settings_api_url()} "
                    f"({type(error).__name__}): check NUDGEBOT_TELEGRAM_API_URL and the network"
                ) from error
            await self._publish_commands()
            await self.application.start()
            if self._webhook_url:
                await self.application.bot.set_webhook(
                    url=self._webhook_url,
                    secret_token=self._secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            elif self._gate is not None:
                self._gate.start()
            else:
                await self._start_polling()
        except BaseException:
            await self.stop()
            await self._close_requests()
            raise
        logger.info(
            "telegram: serving @%s by %s",
            self.application.bot.username,
            "webhook" if self._webhook_url else "long polling",
        )

    def _settings_api_url(self) -> str:
        assert self._settings.telegram is not None
        return self._settings.telegram.api_url

    async def _close_requests(self) -> None:
        """Close the transports even when PTB never finished initialising (no getMe)."""
        for request in self._requests:
            await request.shutdown()

    async def _start_polling(self) -> None:
        assert self.application.updater is not None
        # start_polling deletes any webhook first: polling and a webhook exclude each other
        # on Telegram's side.
        await self.application.updater.start_polling(
            timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES
        )
        logger.info("telegram: polling for updates")

    async def _stop_polling(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
            logger.info("telegram: stopped polling")

    async def connection(self) -> Connection:
        """For ``/readyz``: an instance waiting for the poller role still delivers (ready)."""
        if not self.application.running:
            return Connection(False, "not started")
        if self._webhook_url:
            return Connection(True, "webhook set")
        updater = self.application.updater
        if updater is not None and updater.running:
            return Connection(True, "polling")
        if self._gate is not None and not self._gate.holding:
            return Connection(True, "waiting for the poller lock")
        return Connection(False, "not polling")

    async def _publish_commands(self) -> None:
        bot = self.application.bot
        default = self._settings.default_language
        await bot.set_my_commands(command_list(default))
        for lang in LANGUAGES:
            await bot.set_my_commands(command_list(lang), language_code=lang)

    async def stop(self) -> None:
        """Stop receiving, let handlers in flight finish, close the HTTP sessions.

        The webhook stays registered: Telegram keeps updates queued for the next start (or
        for another instance behind the same URL).
        """
        if self._gate is not None:
            await self._gate.stop()  # stops polling before it releases the lock
        await self._stop_polling()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def send(
        self, recipient: Recipient, message: Message, *, starting: Starting | None = None
    ) -> SendResult:
        """Send one nudge; a Telegram error comes back as the engine's outcome.

        With the limiter on, ``starting`` runs inside it, once the chat's slot is taken
        and before the overall one; without it, right before the request.
        """
        try:
            chat_id = int(recipient.address)
        except ValueError:
            return RecipientGone(reason=f"not a Telegram chat id: {recipient.address!r}")
        ref = ""
        if starting is not None and not self._limiter:
            await starting()
            starting = None
        try:
            for outgoing in to_outgoing([message]):
                sent = await self.application.bot.send_message(
                    chat_id=chat_id,
                    text=outgoing.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=outgoing.keyboard,
                    link_preview_options=NO_PREVIEW,
                    rate_limit_args=Bulk(starting) if self._limiter else None,
                )
                starting = None  # once, before the first part
                ref = str(sent.message_id)
        except TelegramError as error:
            result = to_send_result(error)
            logger.info("telegram send to %s: %s", chat_id, result)
            return result
        return Delivered(ref=ref)


__all__ = ["TelegramAdapter", "command_list", "file_url"]
