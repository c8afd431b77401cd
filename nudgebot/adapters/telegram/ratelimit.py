"""Stay inside Telegram's flood limits by waiting for a slot before each message.

Why not PTB's ``AIORateLimiter``: its leaky buckets admit a full bucket at once and then
refill, so any one-second window can see nearly twice the rate (the fake Bot API, which
counts sliding windows as Telegram does, answers 429 to that); it has no per-chat limit
for private chats; and its retry mode sleeps on ``RetryAfter``, which our engine must do
in the database instead (STYLE.md section 5). This limiter keeps sliding windows:

* overall: ``30/1``, at most 30 messages in any second, across all chats, paced evenly
  (one every 1/30 s, see :class:`Window` for why);
* per chat: ``1/1``, one ``send*`` per second in one chat (edits are not counted here);
* per group: ``20/60``, twenty messages a minute into one group (negative chat id).

Replies to a user must not queue behind a broadcast: sends marked ``"bulk"`` (the daily
nudges, through ``rate_limit_args``) also take a slot in a bulk window of 80% of the
overall rate, so a few slots a second stay free for replies, which skip that window.

Waiting for a slot is not a retry: nothing has been sent yet. A 429 that gets through
anyway is re-raised as PTB's ``RetryAfter`` for :mod:`.errors` to turn into a value.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter

from nudgebot.core.limits import Limit

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

_MAX_IDLE_WINDOWS = 4096


class Window:
    """A sliding-window counter of sent messages; its lock makes waiters queue in order.

    ``paced`` windows also keep ``seconds / count`` between two messages. A bare sliding
    window lets a whole window's worth leave at once, and then a little network jitter
    (an early burst arriving late, the next one on time) puts more than ``count`` into
    one of Telegram's windows: measured against the fake, a 20/s window without pacing
    drew 429s under load. Pacing is for the busy shared windows; a group's 20 a minute
    stays a plain window so that a conversation in the group is not slowed to one
    message every three seconds.
    """

    def __init__(
        self, limit: Limit, *, margin: float, clock: Callable[[], float], paced: bool = False
    ) -> None:
        self._count = limit.count
        # The margin (a share of the period) absorbs jitter between our clock and the
        # server's arrival times.
        self._period = limit.seconds * (1 + margin)
        self._gap = self._period / self._count if paced else 0.0
        self._clock = clock
        self._stamps: deque[float] = deque()
        self.lock = asyncio.Lock()

    def idle(self) -> bool:
        """No slot taken within the window and nobody waiting: safe to forget."""
        return not self.lock.locked() and (
            not self._stamps or self._stamps[-1] <= self._clock() - self._period
        )

    async def wait_free(self) -> None:
        """Wait until a slot is free; call with :attr:`lock` held, then :meth:`stamp`."""
        while True:
            now = self._clock()
            while self._stamps and self._stamps[0] <= now - self._period:
                self._stamps.popleft()
            wait = self._stamps[-1] + self._gap - now if self._stamps else 0.0
            if len(self._stamps) >= self._count:
                wait = max(wait, self._stamps[0] + self._period - now)
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    def stamp(self, now: float) -> None:
        self._stamps.append(now)


async def take_slots(windows: list[Window], clock: Callable[[], float]) -> float:
    """Take a slot in each window, the first held while the next ones are waited for.

    Every window is stamped with the same instant, the one at which the message leaves:
    stamping a chat's window when its own slot frees up, and only later getting an
    overall slot, would let two messages into the chat closer together than allowed.
    Windows are always taken in the same order (chat, group, overall): no deadlock.
    """
    if not windows:
        return clock()
    window, *rest = windows
    async with window.lock:
        await window.wait_free()
        now = await take_slots(rest, clock)
        window.stamp(now)
        return now


BULK = "bulk"
"""``rate_limit_args`` for a send that may wait behind replies (the daily nudges)."""


class SlidingWindowLimiter(BaseRateLimiter[str]):
    """PTB rate limiter: overall, per-chat and per-group sliding windows for message calls.

    Only methods that put or change a message in a chat wait (``send*``, ``edit*``,
    ``copy*``, ``forward*``); ``answerCallbackQuery``, ``getChatMember`` and the rest are
    not what Telegram's flood limits count, and a tap's answer must be fast.
    """

    def __init__(
        self,
        *,
        overall: Limit,
        per_chat: Limit,
        per_group: Limit,
        bulk_share: float = 0.8,
        margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_chat = per_chat
        self._per_group = per_group
        self._margin = margin
        self._clock = clock
        self._overall = Window(overall, margin=margin, clock=clock, paced=True)
        bulk = Limit(max(1, int(overall.count * bulk_share)), overall.seconds)
        self._bulk = Window(bulk, margin=margin, clock=clock, paced=True)
        self._chats: dict[tuple[str, int], Window] = {}

    async def initialize(self) -> None:
        """Nothing to set up: windows are made on first use."""

    async def shutdown(self) -> None:
        self._chats.clear()

    def _window(self, kind: str, chat_id: int, limit: Limit) -> Window:
        key = (kind, chat_id)
        window = self._chats.get(key)
        if window is None:
            if len(self._chats) > _MAX_IDLE_WINDOWS:
                for stale in [k for k, w in self._chats.items() if w.idle()]:
                    del self._chats[stale]
            window = self._chats[key] = Window(limit, margin=self._margin, clock=self._clock)
        return window

    async def wait_for_slot(self, endpoint: str, chat_id: int | None, *, bulk: bool) -> None:
        """Wait until the message may leave: the chat's window first, the shared one last.

        Waiting for the chat's own window before the overall one keeps a busy chat from
        holding overall slots that other chats could use.
        """
        if not endpoint.startswith(("send", "edit", "copy", "forward")):
            return
        windows = []
        if chat_id is not None:
            if endpoint.startswith("send"):
                windows.append(self._window("chat", chat_id, self._per_chat))
            if chat_id < 0:
                windows.append(self._window("group", chat_id, self._per_group))
        if bulk:
            windows.append(self._bulk)
        windows.append(self._overall)
        await take_slots(windows, self._clock)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> JSONResult:
        chat_id = _chat_id(data.get("chat_id"))
        await self.wait_for_slot(endpoint, chat_id, bulk=rate_limit_args == BULK)
        return await callback(*args, **kwargs)


def _chat_id(value: object) -> int | None:
    """Numeric chat id, or None for ``@channelusername`` and calls without a chat."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


__all__ = ["BULK", "Limit", "SlidingWindowLimiter", "Window", "take_slots"]
