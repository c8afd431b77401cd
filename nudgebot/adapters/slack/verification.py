"""Slack's request signature, checked on the raw bytes before anything parses them.

Bolt verifies inside its middleware chain, but :class:`AsyncBoltRequest` parses the body
when it is built, before that chain runs: an unsigned ``payload={not json`` raised there,
answered 500 and logged a 31-line traceback. Here an unauthenticated request
gets 401 and nothing beyond the web server's access line at INFO; only a signed body is
handed to Bolt, and a signed body Bolt cannot read gets 400 and one warning. Bolt's own
check stays on behind ours; it costs one HMAC.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from nudgebot.core.numbers import parse_number

logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
_MAX_TIMESTAMP = 10**11 - 1
"""Unix seconds well past any real clock; longer header values are refused unread."""
_MAX_SIGNATURE = 80  # "v0=" and 64 hex digits


def signed_body(verifier: SignatureVerifier, raw: bytes, headers: Mapping[str, str]) -> str | None:
    """``raw`` as text if Slack signed it within the last five minutes, else None.

    The headers are checked for shape first: slack_sdk's ``int(timestamp)`` raises on
    "①" or on thousands of digits, and ``hmac.compare_digest`` on non-ASCII text.
    """
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    signature = headers.get(SIGNATURE_HEADER, "")
    if parse_number(timestamp, maximum=_MAX_TIMESTAMP) is None:
        return None
    if not signature.isascii() or len(signature) > _MAX_SIGNATURE:
        return None
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None  # Slack sends UTF-8; anything else cannot be what it signed
    return body if verifier.is_valid(body, timestamp, signature) else None


async def to_signed_bolt_request(
    request: web.Request, verifier: SignatureVerifier
) -> AsyncBoltRequest | web.Response:
    """The Bolt request for a signed body, or the 401/400 answer for anything else."""
    body = signed_body(verifier, await request.read(), request.headers)
    if body is None:
        # DEBUG: anyone can send these, by the thousand; the access log's line is the one.
        logger.debug("slack: refused a request without a valid signature (401)")
        return web.Response(status=401, text="invalid signature")
    try:
        # Bolt parses JSON, form data and the form's JSON "payload" and reads ids out of
        # the result; a signed but malformed body raises one of these. The text is the
        # one verified (bolt's to_bolt_request would decode again, by the charset header).
        bolt_request = AsyncBoltRequest(
            body=body,
            query=request.query_string,
            headers=request.headers,  # type: ignore[arg-type]
        )
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as e:
        logger.warning("slack: a signed request's body was unreadable (%s); 400", type(e).__name__)
        return web.Response(status=400, text="unreadable body")
    if not isinstance(bolt_request.body, dict):
        logger.warning("slack: a signed request's body was not an object; 400")
        return web.Response(status=400, text="unreadable body")
    return bolt_request


__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "signed_body", "to_signed_bolt_request"]
