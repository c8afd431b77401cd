"""python-telegram-bot's HTTP transport over aiohttp, the project's one HTTP stack.

PTB talks to the Bot API through :class:`telegram.request.BaseRequest`; its default,
``HTTPXRequest``, costs about 2.7 ms of CPU per ``sendMessage`` on our machines, while
this transport costs well under 1 ms (``benchmarks/telegram_send_rate.py`` measures
both). It only moves bytes: PTB's ``BaseRequest`` still turns HTTP statuses into
``Forbidden``, ``BadRequest``, ``RetryAfter`` and friends.

The request URL contains the bot token. Nothing here may put a URL into an exception
message or a log line.
"""

from __future__ import annotations

import logging

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from nudgebot.adapters.transport import may_have_arrived

logger = logging.getLogger(__name__)

_JSON = {"Content-Type": "application/json"}


def _seconds(value: object, default: float | None) -> float | None:
    """A PTB timeout argument (a float, None, or PTB's ``DEFAULT_NONE``) as seconds."""
    if value is None or isinstance(value, int | float):
        return value
    return default


class AiohttpRequest(BaseRequest):
    """One pooled :class:`aiohttp.ClientSession`, created in the running loop by ``initialize``.

    Use one instance for API calls and another for ``getUpdates``, as PTB does, so that a
    long poll never holds a connection that a send is waiting for.
    """

    __slots__ = ("_connect_timeout", "_pool_size", "_read_timeout", "_session", "_write_timeout")

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                # Bot API responses are JSON; skip aiohttp's cookie handling and
                # content-type sniffing on the hot path.
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = _seconds(read_timeout, self._read_timeout)
        write = _seconds(write_timeout, self._write_timeout)
        connect = _seconds(connect_timeout, self._connect_timeout)
        # pool_timeout is ignored on purpose: a burst waits for a pooled connection
        # (the rate limiter bounds how many), it does not fail.
        # aiohttp has no write timeout of its own: the write happens within sock_read's
        # reach for small JSON bodies, so the larger of the two bounds the read.
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None,
            sock_connect=connect,
            sock_read=max(filter(None, (read, write)), default=None),
        )
        body: bytes | aiohttp.FormData | None = None
        headers: dict[str, str] | None = None
        if request_data is not None and request_data.contains_files:
            body = _form_data(request_data)
        elif request_data is not None:
            body, headers = request_data.json_payload, _JSON
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            # Name the class only: some aiohttp errors carry the URL, and the URL the token.
            # TimedOut means "may have been delivered": never retried (see ..transport).
            name = f"aiohttp.{type(error).__name__}"
            if may_have_arrived(error):
                raise TimedOut(name) from error
            raise NetworkError(name) from error


def _form_data(request_data: RequestData) -> aiohttp.FormData:
    """Multipart form data for an upload (``/mydata``'s JSON file goes as a document)."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        if isinstance(part, tuple):
            filename, content, *mime = part
            form.add_field(name, content, filename=filename, content_type=mime[0] if mime else None)
        else:
            form.add_field(name, part)
    return form


__all__ = ["AiohttpRequest"]
