"""Which transport failures are retried and which are unknown, against real misbehaving sockets.

A raw TCP server on 127.0.0.1 does exactly one thing wrong per case: nobody listens
(refused), the connection is reset at once, the request is read and the connection reset
(the platform may have taken the message), the request is read and never answered (a
stall), the answer breaks off mid-body. Telegram's transport and Slack's client must
retry only what provably never left.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from telegram.error import NetworkError, TimedOut

from nudgebot.adapters.slack.errors import from_exception
from nudgebot.adapters.telegram.request import AiohttpRequest
from nudgebot.core.sending import MaybeDelivered, TransientFailure

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0), as a crashing server or a middlebox does."""
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _read_request(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)


async def reset_at_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    _reset(writer)


async def reset_after_reading(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)  # the platform has the message now
    _reset(writer)


async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    await asyncio.sleep(30)


async def cut_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    writer.write(
        b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ok"'
    )
    await writer.drain()
    _reset(writer)


@asynccontextmanager
async def server(handler: Handler) -> AsyncIterator[str]:
    """Serve ``handler`` on a free port; every connection is torn down on the way out."""
    connections: set[asyncio.Task[None]] = set()
    writers: list[asyncio.StreamWriter] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        task = asyncio.current_task()
        assert task is not None
        connections.add(task)
        with suppress(ConnectionError, asyncio.IncompleteReadError):
            await handler(reader, writer)

    listening = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        listening.close()
        for task in connections:
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)
        for writer in writers:
            writer.transport.abort()
        await listening.wait_closed()
        await asyncio.sleep(0)  # let the aborted transports close their sockets


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there now: connection refused


MAY_HAVE_ARRIVED = [
    pytest.param(reset_after_reading, id="reset-after-reading"),
    pytest.param(stall, id="stall"),
    pytest.param(cut_body, id="body-cut-off"),
    # The client has written its request before the reset reaches it: it cannot tell
    # this from a reset after the platform took the message.
    pytest.param(reset_at_once, id="reset-on-accept"),
]


async def telegram_post(base: str) -> None:
    request = AiohttpRequest(read_timeout=0.5, write_timeout=0.5, connect_timeout=0.5)
    await request.initialize()
    try:
        await request.do_request(f"{base}/bot123:ABC/sendMessage", "POST")
    finally:
        await request.shutdown()


async def test_telegram_retries_a_refused_connection():
    with pytest.raises(NetworkError) as raised:
        await telegram_post(closed_port())
    assert not isinstance(raised.value, TimedOut)
    assert "123:ABC" not in str(raised.value)


@pytest.mark.parametrize("handler", MAY_HAVE_ARRIVED)
async def test_telegram_never_retries_what_may_have_arrived(handler):
    async with server(handler) as base:
        with pytest.raises(TimedOut) as raised:
            await telegram_post(base)
    assert "123:ABC" not in str(raised.value)


async def slack_post(base: str) -> object:
    client = AsyncWebClient(token="xoxb-test", base_url=f"{base}/api/", timeout=1)
    try:
        await client.chat_postMessage(channel="C1", text="hi")
    except Exception as error:
        return from_exception(error)
    raise AssertionError("the post cannot have succeeded")


async def test_slack_retries_a_refused_connection():
    assert isinstance(await slack_post(closed_port()), TransientFailure)


@pytest.mark.parametrize("handler", MAY_HAVE_ARRIVED)
async def test_slack_never_retries_what_may_have_arrived(handler):
    async with server(handler) as base:
        assert isinstance(await slack_post(base), MaybeDelivered)
