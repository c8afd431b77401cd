"""Keep the bot token out of every log line python-telegram-bot writes.

Bot API URLs contain the token (``https://api.telegram.org/bot<token>/sendMessage``).
httpx logs them at INFO (we set it to WARNING, as PTB's examples do), and PTB itself logs
``Set Bot API URL: ...`` at DEBUG. A logging filter works per logger, not per tree, so it
is attached to each PTB logger that can see a URL; it rewrites the message with the token
replaced, and never drops a record.
"""

from __future__ import annotations

import logging

_PTB_LOGGERS = (
    "telegram.Bot",
    "telegram.ext.ExtBot",
    "telegram.ext.Application",
    "telegram.ext.Updater",
    "telegram.request.BaseRequest",
    "telegram.request.HTTPXRequest",
)
REDACTED = "<token>"


class TokenRedactor(logging.Filter):
    """Replaces each known token in a record's final message."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(token in message for token in self.tokens):
            for token in self.tokens:
                message = message.replace(token, REDACTED)
            record.msg, record.args = message, None
        return True


_redactor = TokenRedactor()


def redact_token(token: str) -> None:
    """Hide ``token`` from PTB's logs (and quieten httpx, whose INFO lines carry URLs)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    _redactor.tokens.add(token)
    for name in _PTB_LOGGERS:
        logger = logging.getLogger(name)
        if _redactor not in logger.filters:
            logger.addFilter(_redactor)


__all__ = ["REDACTED", "TokenRedactor", "redact_token"]
