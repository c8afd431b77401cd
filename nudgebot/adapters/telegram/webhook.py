"""The Telegram webhook route in the app's one aiohttp server (not PTB's own webhook server).

Telegram proves a request is its own only by echoing the ``secret_token`` we gave
``setWebhook`` in the ``X-Telegram-Bot-Api-Secret-Token`` header. A request without the
right header gets 403 and reaches nothing else: no parsing, no queueing, no store. A body
that is not an update gets 400 and one log line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from nudgebot.settings import TelegramSettings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
MAX_BODY = 1 << 20
"""Updates are a few KiB; anything near a megabyte is not from Telegram."""


def webhook_path(url: str) -> str:
    """The route to serve: the public URL's path (the proxy in front keeps it as is)."""
    path = urlsplit(url).path.rstrip("/")
    return path or DEFAULT_PATH


def webhook_secret(settings: TelegramSettings) -> str:
    """``NUDGEBOT_TELEGRAM_WEBHOOK_SECRET``, or one derived from the token.

    Deriving keeps the one-variable set-up safe: the secret changes with the token and is
    never the token itself (Telegram allows 1-256 of ``A-Za-z0-9_-``; hex qualifies).
    """
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    token = settings.token.get_secret_value().encode()
    return hmac.new(token, b"nudgebot telegram webhook", hashlib.sha256).hexdigest()


class WebhookRoute:
    """``POST <path>``: check the secret, parse the update, queue it for the application."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], secret: str):
        self._application = application
        self._secret = secret.encode()

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self._secret):
            logger.warning("telegram webhook: request with a wrong or missing secret, refused")
            return web.Response(status=403, text="forbidden")
        if not self._application.running:
            return web.Response(status=503, text="starting")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="too large")
        update = self._to_update(await request.read())
        if update is None:
            logger.warning("telegram webhook: a body that is not an update, refused (400)")
            return web.Response(status=400, text="not an update")
        await self._application.update_queue.put(update)
        return web.Response(text="ok")

    def _to_update(self, raw: bytes) -> Update | None:
        """The update in ``raw``, or None for anything PTB could not turn into one.

        PTB's ``de_json`` trusts the Bot API's types: ``"message": "hello"`` raises
        AttributeError, 200,000 nested ``[`` make ``json.loads`` raise RecursionError, and
        fuzzing found more (a date out of range raises OverflowError): whatever it raises,
        the body was not an update.
        """
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or type(data.get("update_id")) is not int:
                return None
            return Update.de_json(data, self._application.bot)
        except Exception:
            return None


__all__ = ["SECRET_HEADER", "WebhookRoute", "webhook_path", "webhook_secret"]
