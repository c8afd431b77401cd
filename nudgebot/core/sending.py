"""The one small interface every platform implements, and the outcomes of a send.

Adapters translate: inbound updates into calls of :class:`nudgebot.commands.Commands`,
outbound :class:`~nudgebot.core.outbound.Message` values into platform calls, and
platform errors into a :data:`SendResult`. Expected failures come back as values; only
bugs raise. An adapter never sleeps inside :meth:`Adapter.send`: it returns
:class:`RetryLater` and the engine moves the due time in the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from nudgebot.core.chats import Recipient
from nudgebot.core.outbound import Message

Starting = Callable[[], Awaitable[None]]
"""What an adapter awaits just before the platform call (see :meth:`Adapter.send`)."""

STARTED_AT_MOST = 20
"""Most sends recorded as started and not yet called: the crash window stated in the docs.

The engine records starts in groups of this size, and an adapter that lets recorded
sends queue (Telegram's limiter) lets no more than this many wait.
"""


@dataclass(frozen=True, slots=True)
class Delivered:
    """The platform accepted the message; ``ref`` lets us edit it later."""

    ref: str = ""


@dataclass(frozen=True, slots=True)
class RecipientGone:
    """Blocked, deleted, kicked, uninstalled: stop the subscription, never retry."""

    reason: str


@dataclass(frozen=True, slots=True)
class Moved:
    """The chat has a new address (a Telegram group became a supergroup): store it, resend."""

    new_address: str


@dataclass(frozen=True, slots=True)
class RetryLater:
    """The platform asked us to wait (HTTP 429, Retry-After)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class MaybeDelivered:
    """The request left but no answer came (a read timeout, a dropped connection).

    The platforms take no idempotency key, so the message may have arrived: like a crash
    inside the send call, the delivery is marked unknown and not resent (at most once).
    """

    reason: str


@dataclass(frozen=True, slots=True)
class TransientFailure:
    """Nothing was delivered (a refused connection, a 5xx): retry with back-off, bounded.

    ``skip_day`` marks failures that retrying today will not fix (an unexplained 403 on
    Telegram): today's nudge is dropped and the subscriber's failed-day count grows.
    """

    reason: str
    skip_day: bool = False


SendResult = Delivered | RecipientGone | Moved | RetryLater | MaybeDelivered | TransientFailure


class Adapter(Protocol):
    """A platform the engine can deliver to, started and stopped by :mod:`nudgebot.app.wiring`.

    ``start`` connects (polling, Socket Mode, a terminal) and returns once the adapter
    is serving; ``stop`` undoes it. Routes an adapter serves over HTTP are added to the
    app's one aiohttp application before ``start`` (see ``nudgebot.app.wiring``).
    """

    platform: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(
        self, recipient: Recipient, message: Message, *, starting: Starting | None = None
    ) -> SendResult:
        """Send one message; never raise for a platform error, return its outcome.

        ``starting`` is awaited once, after any wait for a rate-limit slot and right
        before the first platform call that could deliver the message: the engine
        records there that this send has started. If it raises, no call is made and the
        exception propagates unchanged (the send never started, so it is safe to retry).
        Answers that need no platform call (a malformed address, a local pacing wait)
        come back without awaiting it.
        """
        ...


@dataclass(frozen=True, slots=True)
class Connection:
    """How a platform is connected, for ``/readyz``: ready to serve or not, and why."""

    ready: bool
    state: str


@runtime_checkable
class ReportsConnection(Protocol):
    """An adapter that can say whether it is connected (every platform adapter can)."""

    platform: str

    async def connection(self) -> Connection: ...


class PollerGate(Protocol):
    """Who may poll a platform that allows one poller (Telegram): one instance at a time.

    Built with the hooks to run on gaining and losing the role; ``stop`` steps down
    (running the second hook) before it lets another instance take over.
    """

    @property
    def holding(self) -> bool: ...

    def start(self) -> None: ...

    async def stop(self) -> None: ...


PollerGateFactory = Callable[
    [Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]], PollerGate
]
"""Builds the gate from ``(on_elected, on_deposed)``."""


__all__ = [
    "STARTED_AT_MOST",
    "Adapter",
    "Connection",
    "Delivered",
    "MaybeDelivered",
    "Moved",
    "PollerGate",
    "PollerGateFactory",
    "Recipient",
    "RecipientGone",
    "ReportsConnection",
    "RetryLater",
    "SendResult",
    "Starting",
    "TransientFailure",
]
