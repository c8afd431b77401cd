"""Whether a failed HTTP request may have reached the platform: the one at-most-once rule.

Telegram and Slack take no idempotency key, so a message is retried only when the
request provably never left this process; anything else is *maybe delivered*: recorded
unknown, never resent (invariant 1). Both adapters send over aiohttp (python-telegram-bot
through :mod:`.telegram.request`, slack_sdk's async client natively), so one list of
aiohttp's exceptions decides for both.

Never left, safe to retry:

* ``ClientConnectorError`` and its subclasses: the TCP connection could not be opened
  (refused, unreachable, ``ClientConnectorDNSError`` for a name that does not resolve,
  the TLS handshake or the certificate failed, the proxy refused);
* ``ConnectionTimeoutError``: no connection within the connect timeout;
* ``ClientConnectionResetError``: aiohttp refused to write into a connection that was
  already closing, so this request's bytes were never written;
* ``InvalidURL``: nothing was attempted.

May have arrived, never retried: everything else, above all ``ServerDisconnectedError``
(the server closed the connection before answering), ``ClientOSError`` such as
``ECONNRESET`` while waiting for the answer, ``ClientPayloadError`` (the answer broke off),
``SocketTimeoutError`` and ``TimeoutError`` (no answer in time) and
``ClientResponseError`` (an answer we could not read). A reset can come before the
server read our bytes or after it acted on them: the client cannot tell the two apart,
so both are unknown.
"""

from __future__ import annotations

import aiohttp

NEVER_SENT: tuple[type[Exception], ...] = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
    aiohttp.ClientConnectionResetError,
    aiohttp.InvalidURL,
)
"""The aiohttp errors raised before any byte of the request was written."""


def may_have_arrived(error: BaseException) -> bool:
    """Whether the request behind this transport error could have reached the server."""
    return not isinstance(error, NEVER_SENT)


__all__ = ["NEVER_SENT", "may_have_arrived"]
