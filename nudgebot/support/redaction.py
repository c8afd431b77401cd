"""Secrets never reach a log line: any logger, any level, any handler.

Bot API URLs hold the Telegram token, python-telegram-bot logs each call's parameters at
DEBUG (``setWebhook``'s ``secret_token`` among them), and slack_sdk logs
request and response bodies at DEBUG. A filter on a few named loggers missed some of
these, so redaction sits in the log record factory instead: every record any logger
creates has each registered secret replaced in its message and in its traceback text
before a handler or formatter sees it. Records are only created for enabled levels, so
the switched-off DEBUG lines cost nothing.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

REDACTED = "<secret>"

_secrets: set[str] = set()
_make_record = logging.getLogRecordFactory()


def redact(*secrets: str) -> None:
    """Hide each of ``secrets`` from every log record created from now on."""
    global _make_record
    _secrets.update(secret for secret in secrets if secret)
    if logging.getLogRecordFactory() is not _redacting_factory:
        _make_record = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_redacting_factory)


def hide(text: str) -> str:
    """``text`` with every registered secret replaced by :data:`REDACTED`."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    if _secrets:
        _scrub(record)
    return record


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it at emit time, as ever
        return
    hidden = hide(message)
    if hidden != message:
        record.msg, record.args = hidden, None
    if record.exc_info and record.exc_info[1] is not None:
        # Formatters keep a record's exc_text instead of formatting exc_info again.
        shown = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        hidden = hide(shown)
        if hidden != shown:
            record.exc_text = hidden


__all__ = ["REDACTED", "hide", "redact"]
