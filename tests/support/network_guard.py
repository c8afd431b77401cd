"""No test leaves the machine: every connection and name lookup must stay on loopback.

The idea of PTB's ``tests/auxil/networking.py::OfflineRequest``, one level down: the
socket's ``connect`` and ``getaddrinfo`` refuse anything but 127.0.0.0/8, ::1, a Unix
socket or "localhost", and remember what was tried so the test fails even when the code
under test catches the refusal (an HTTP client may well retry or swallow it). Processes
a test starts (the console, the CLI) are not covered: their settings point at fakes.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest


class OffLoopback(OSError):
    """A connection or lookup that would have left the machine."""


def is_loopback(host: object) -> bool:
    if host is None or host in ("localhost", b"localhost"):
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    try:
        return ipaddress.ip_address(text.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class LoopbackOnly:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reached: list[object] = []
        connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
        lookup = socket.getaddrinfo

        def check(address: Any) -> None:
            if isinstance(address, (str, bytes)):  # AF_UNIX
                return
            if not is_loopback(address[0]):
                self.reached.append(address)
                raise OffLoopback(f"tests stay on loopback; refused {address!r}")

        def guarded_connect(sock: socket.socket, address: Any) -> None:
            check(address)
            connect(sock, address)

        def guarded_connect_ex(sock: socket.socket, address: Any) -> int:
            check(address)
            return connect_ex(sock, address)

        def guarded_lookup(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if not is_loopback(host):
                self.reached.append((host, port))
                raise socket.gaierror(f"tests stay on loopback; refused to look up {host!r}")
            return lookup(host, port, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", guarded_connect)
        monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
