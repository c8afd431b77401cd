"""Slack Web API failures mapped onto the engine's outcomes (:data:`SendResult`).

Slack reports most failures as HTTP 200 with ``ok: false`` and an ``error`` code, which
slack_sdk raises as :class:`SlackApiError`; a rate limit is HTTP 429 with a
``Retry-After`` header. Nothing here retries or sleeps: the engine owns the schedule.
Connections that never opened and 5xx have already been retried a bounded number of
times by the client's retry handlers when they reach :func:`from_exception`; a timeout
or a dropped connection after the request left is :class:`MaybeDelivered`, never resent.

Codes that mean the whole workspace is gone (:data:`WORKSPACE_GONE`) make the adapter
stop every subscription of that workspace and forget its token, not just this one.
"""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from nudgebot.adapters.transport import may_have_arrived
from nudgebot.core.sending import (
    MaybeDelivered,
    RecipientGone,
    RetryLater,
    SendResult,
    TransientFailure,
)

CHANNEL_GONE = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "restricted_action",
    }
)
"""This conversation can no longer receive our messages: stop its subscription."""

WORKSPACE_GONE = frozenset(
    {"account_inactive", "invalid_auth", "token_revoked", "not_authed", "team_access_revoked"}
)
"""The token is dead: the app was removed from the workspace, or the workspace closed."""

TRY_AGAIN = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)
"""Slack's own trouble: worth another attempt later today."""

DEFAULT_RETRY_AFTER = 30.0
"""When a 429 carries no usable Retry-After (Slack always sends one, proxies may not)."""


def error_code(error: SlackApiError) -> str:
    data = error.response.data
    code = data.get("error") if isinstance(data, dict) else None
    return str(code or f"http_{error.response.status_code}")


def retry_after_of(error: SlackApiError) -> float:
    headers = {str(k).lower(): v for k, v in (error.response.headers or {}).items()}
    raw = headers.get("retry-after")
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    try:
        seconds = float(raw) if raw is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        seconds = DEFAULT_RETRY_AFTER
    return max(seconds, 1.0)


def is_workspace_gone(result: SendResult) -> bool:
    return isinstance(result, RecipientGone) and result.reason in WORKSPACE_GONE


def from_api_error(error: SlackApiError) -> SendResult:
    """The outcome of a Slack API call that answered with an error."""
    if error.response.status_code == 429:
        return RetryLater(retry_after_of(error))
    code = error_code(error)
    if code in CHANNEL_GONE or code in WORKSPACE_GONE:
        return RecipientGone(code)
    if code in TRY_AGAIN or error.response.status_code >= 500:
        return TransientFailure(code)
    # invalid_blocks, msg_too_long, missing_scope...: retrying today will not fix it.
    return TransientFailure(code, skip_day=True)


def from_exception(error: Exception) -> SendResult | None:
    """The outcome of a failed call, or None when the exception is a bug to raise."""
    if isinstance(error, SlackApiError):
        return from_api_error(error)
    if isinstance(error, aiohttp.ClientError | TimeoutError):
        if may_have_arrived(error):  # the message may be posted already (see ..transport)
            return MaybeDelivered(type(error).__name__)
        return TransientFailure(type(error).__name__)  # never reached Slack
    if isinstance(error, SlackClientError):
        return TransientFailure(type(error).__name__)
    return None


__all__ = [
    "CHANNEL_GONE",
    "TRY_AGAIN",
    "WORKSPACE_GONE",
    "error_code",
    "from_api_error",
    "from_exception",
    "is_workspace_gone",
    "retry_after_of",
]
