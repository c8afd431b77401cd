"""Electing one holder of a role among instances that share a PostgreSQL database.

Telegram answers 409 Conflict to every ``getUpdates`` but one (invariant 10),
so several instances must agree on a single poller, through the database and nothing
else (invariant 7). The holder is whoever owns a session-level advisory lock, taken on a
connection of its own that stays open while it holds the role: when the process dies or
its connection drops, PostgreSQL ends the session and frees the lock, and another
instance, retrying every :attr:`Election.retry_seconds`, takes over within seconds. The
holder checks its connection at the same pace and steps down when it is gone; after a
network split two instances may therefore both poll for up to that long (Telegram then
answers 409 to one of them, which PTB retries).

On stop the holder first steps down (``on_deposed`` stops polling) and only then closes
the connection, so the next poller never overlaps with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum

import asyncpg
from sqlalchemy.engine import make_url

logger = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[None]]


class Role(StrEnum):
    HOLDING = "holding"
    WAITING = "waiting"
    STOPPED = "stopped"


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``name`` (the same in every instance)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


def to_asyncpg_dsn(url: str) -> str:
    """``postgresql+asyncpg://...`` (SQLAlchemy's form) as the plain DSN asyncpg takes."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def poller_lock_name(token: str) -> str:
    """The Telegram poller's role, named after the bot's id (the token's public part).

    Bots with different tokens sharing a database each get their own poller.
    """
    return f"telegram-poller:{token.partition(':')[0]}"


async def held_elsewhere(url: str, name: str) -> bool:
    """Whether some session holds ``name``'s advisory lock: a running instance does.

    Read from ``pg_locks``, which shows a bigint advisory key as its two 32-bit halves
    (``classid`` high, ``objid`` low, ``objsubid`` 1). It takes nothing itself.
    """
    key = lock_key(name) & 0xFFFFFFFFFFFFFFFF
    connection = await asyncpg.connect(to_asyncpg_dsn(url), timeout=5)
    try:
        found = await connection.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1",
            key >> 32,
            key & 0xFFFFFFFF,
        )
    finally:
        await connection.close()
    return bool(found)


class Election:
    """Hold ``name`` on one instance at a time; run hooks when this one gains or loses it."""

    def __init__(
        self,
        *,
        url: str,
        name: str,
        on_elected: Hook,
        on_deposed: Hook,
        retry_seconds: float = 3.0,
    ) -> None:
        self._dsn = to_asyncpg_dsn(url)
        self._name = name
        self._key = lock_key(name)
        self._on_elected = on_elected
        self._on_deposed = on_deposed
        self.retry_seconds = retry_seconds
        self.role = Role.STOPPED
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def holding(self) -> bool:
        return self.role is Role.HOLDING

    def start(self) -> None:
        self.role = Role.WAITING
        self._stopping = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=f"election {self._name}")

    async def stop(self) -> None:
        """Step down (running ``on_deposed``) if holding, then release the lock.

        Asked, not cancelled: ``on_deposed`` stops polling with network calls of its own,
        which must not run inside a cancelled task.
        """
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None
        self.role = Role.STOPPED

    async def _pause(self) -> bool:
        """Wait one retry interval; True when asked to stop meanwhile."""
        try:
            await asyncio.wait_for(self._stopping.wait(), self.retry_seconds)
        except TimeoutError:
            return False
        return True

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._campaign()
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                logger.warning("election %s: database connection lost (%s)", self._name, error)
            self.role = Role.WAITING
            if await self._pause():
                return

    async def _campaign(self) -> None:
        connection = await asyncpg.connect(self._dsn, timeout=self.retry_seconds * 2)
        try:
            # Trying again and again, not pg_advisory_lock: a blocked call could not stop.
            while not await connection.fetchval("SELECT pg_try_advisory_lock($1)", self._key):
                if await self._pause():
                    return
            self.role = Role.HOLDING
            logger.info("election %s: this instance holds it", self._name)
            try:
                await self._on_elected()
                while not await self._pause():
                    await connection.fetchval("SELECT 1", timeout=self.retry_seconds)
            finally:
                self.role = Role.WAITING
                await self._on_deposed()
        finally:
            # Ending the session releases the advisory lock.
            try:
                await connection.close(timeout=self.retry_seconds)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                connection.terminate()


__all__ = [
    "Election",
    "Role",
    "held_elsewhere",
    "lock_key",
    "poller_lock_name",
    "to_asyncpg_dsn",
]
