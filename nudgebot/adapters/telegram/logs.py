"""Keep the bot token and the webhook secret out of every log line.

Bot API URLs contain the token (``https://api.telegram.org/bot<token>/sendMessage``);
httpx logs them at INFO (we set it to WARNING, as PTB's examples do), PTB logs
``Set Bot API URL: ...`` and each call's parameters (``setWebhook``'s ``secret_token``)
at DEBUG. :mod:`nudgebot.support.redaction` replaces both in every record, at every level.
"""

from __future__ import annotations

import logging

from nudgebot.support.redaction import REDACTED, redact


def redact_token(*secrets: str) -> None:
    """Hide ``secrets`` from all logs (and quieten httpx, whose INFO lines carry URLs)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact(*secrets)


__all__ = ["REDACTED", "redact_token"]
