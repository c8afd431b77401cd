"""Telegram's exceptions, turned into the engine's :data:`~nudgebot.core.sending.SendResult`.

PTB's tree, as far as a send can meet it (``telegram.error``)::

    TelegramError
     ├── Forbidden          403: blocked, deactivated, kicked, or something unexplained
     ├── ChatMigrated       400 + migrate_to_chat_id: a group became a supergroup
     ├── RetryAfter         429 + retry_after: flood control
     ├── InvalidToken       401/404: our configuration, not the recipient
     └── NetworkError       5xx, refused connections
          ├── BadRequest    400: "chat not found", or a message we built wrongly
          └── TimedOut      sent, but no answer in time: the message may have arrived

Our transport (:mod:`.request`) raises ``TimedOut`` only when the request may have
reached Telegram; a connection that never opened is a plain ``NetworkError``. A
``TimedOut`` send is therefore never retried (invariant 1 of docs/architecture.md: at most once).

``BadRequest`` and ``TimedOut`` are subclasses of ``NetworkError``, so they are matched
first. Only a text Telegram documents as final makes a recipient gone: anything else
must not stop a subscription on a guess.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from nudgebot.core.sending import (
    MaybeDelivered,
    Moved,
    RecipientGone,
    RetryLater,
    SendResult,
    TransientFailure,
)

GONE_FORBIDDEN = (
    "bot was blocked by the user",
    "user is deactivated",
    "bot was kicked from",  # the group chat / the supergroup chat / the channel chat
    "bot is not a member of",
    "bot can't initiate conversation with a user",
    "bot can't send messages to bots",
    "the group chat was deleted",
)
"""Forbidden texts that mean the chat will never take a message from us again."""

GONE_BAD_REQUEST = (
    "chat not found",
    "group chat was deactivated",
)
"""BadRequest texts that mean the chat no longer exists."""


def retry_after_seconds(error: RetryAfter) -> float:
    """``retry_after`` in seconds, as PTB's int (v22) or timedelta (``PTB_TIMEDELTA=1``).

    PTB 22.2+ warns on reading the int form; the warning is about the future type, which
    this function already accepts.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: object = error.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"unexpected retry_after {value!r}")


def _has(message: str, texts: tuple[str, ...]) -> bool:
    lowered = message.lower()
    return any(text in lowered for text in texts)


def to_send_result(error: TelegramError) -> SendResult:
    """The engine's outcome for a failed send; only the texts above end a subscription."""
    match error:
        case ChatMigrated():
            return Moved(new_address=str(error.new_chat_id))
        case RetryAfter():
            return RetryLater(seconds=retry_after_seconds(error))
        case Forbidden() if _has(error.message, GONE_FORBIDDEN):
            return RecipientGone(reason=error.message)
        case Forbidden():
            return TransientFailure(reason=error.message, skip_day=True)
        case BadRequest() if _has(error.message, GONE_BAD_REQUEST):
            return RecipientGone(reason=error.message)
        case BadRequest():
            # A message Telegram refuses (bad HTML, too long), or a group that muted the
            # bot ("not enough rights"): retrying today fails the same way, so skip the day.
            return TransientFailure(reason=error.message, skip_day=True)
        case TimedOut():
            return MaybeDelivered(reason="timed out (the message may have arrived)")
        case NetworkError():
            return TransientFailure(reason=error.message)
        case _:
            return TransientFailure(reason=f"{type(error).__name__}: {error.message}")


__all__ = ["GONE_BAD_REQUEST", "GONE_FORBIDDEN", "retry_after_seconds", "to_send_result"]
