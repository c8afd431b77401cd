"""Recording that sends start, in small groups, just before their platform calls.

A send may call the platform only after the database says it started: that record is
what tells a crash's survivors which sends might have arrived (``unknown``, never
resent) from those that never left (sent by any instance once the lease runs out). One
statement per send would cost a round trip each; one per batch would leave a whole
batch waiting on the rate limiter marked as started. So sends come here when the
adapter is about to queue them for the platform (Telegram: once the chat's own slot is
free), and one writer records up to :data:`GROUP` of them in one statement and
commits, then lets them go. While a write is on its way the next group
gathers, so under load the groups fill and when idle a send waits for one small write.

The adapter bounds how many sends are recorded as started and not yet called (the
window a crash can turn into ``unknown`` without the platform having seen them):
Telegram's limiter lets about two writes' worth wait for the overall slot, one being
written while the other leaves, never more than ``GROUP``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from nudgebot.core.sending import STARTED_AT_MOST

GROUP = STARTED_AT_MOST
"""Most sends recorded as started in one statement: the crash window stated in the docs."""

K = TypeVar("K")


class StartTaken(Exception):
    """The row was no longer ours to start: another instance took it after our lease."""


class StartGroups(Generic[K]):
    """Groups start records for one kind of work.

    ``write`` runs one statement that marks the rows still waiting to start and returns
    the indexes of those it marked; one it leaves out belongs to someone else now. If
    ``write`` raises (the database is away), every send of that group gets the error and
    none starts.
    """

    def __init__(self, write: Callable[[Sequence[K]], Awaitable[set[int]]], group: int = GROUP):
        self._write = write
        self._group = group
        self._waiting: list[tuple[K, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def start(self, key: K) -> None:
        """Return once ``key`` is recorded as started; raise if it cannot be."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((key, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_groups())
        await future

    async def _write_groups(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting[: self._group], self._waiting[self._group :]
            group = [(key, future) for key, future in group if not future.done()]
            if not group:
                continue
            try:
                marked = await self._write([key for key, _ in group])
            except BaseException as error:  # handed to every waiter of the group
                for _, future in group:
                    if not future.done():
                        future.set_exception(error)
                if not isinstance(error, Exception):
                    raise
                continue
            for index, (_, future) in enumerate(group):
                if future.done():
                    continue
                if index in marked:
                    future.set_result(None)
                else:
                    future.set_exception(StartTaken())


__all__ = ["GROUP", "StartGroups", "StartTaken"]
