"""The guard that keeps every test on loopback refuses the rest, and says so."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from tests.support.network_guard import LoopbackOnly, OffLoopback


def test_a_connection_off_the_machine_is_refused_and_remembered(monkeypatch):
    guard = LoopbackOnly(monkeypatch)
    with socket.socket() as sock, pytest.raises(OffLoopback):
        sock.connect(("192.0.2.1", 443))  # TEST-NET-1: never routable
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("api.telegram.org", 443)
    assert guard.reached == [("192.0.2.1", 443), ("api.telegram.org", 443)]


async def test_an_http_client_cannot_slip_past_it(monkeypatch):
    guard = LoopbackOnly(monkeypatch)
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientError):
            await http.get("https://slack.com/api/api.test")
    assert guard.reached


def test_loopback_stays_open(monkeypatch):
    guard = LoopbackOnly(monkeypatch)
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        client.connect(server.getsockname())
    assert socket.getaddrinfo("localhost", 80) and guard.reached == []
