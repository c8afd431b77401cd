"""Waiting for work that happens after an acknowledgement (events, envelopes, updates)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    read: Callable[[], Awaitable[T]], check: Callable[[T], bool], within: float = 5.0
) -> None:
    """Poll ``read`` until ``check`` holds: the store sends no notifications to wait on."""
    async with asyncio.timeout(within):
        while not check(await read()):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
