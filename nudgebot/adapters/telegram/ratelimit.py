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

Replies to a user must not queue behind a broadcast, and a broadcast should use every
slot nobody else wants: the overall window is a priority queue, not a share.
Sends marked :class:`Bulk` (nudges and broadcasts, through ``rate_limit_args``) wait behind
every waiting reply or tap answer; a reply that arrives while a bulk send holds the
window waits for that one slot at most. With nobody else waiting, bulk sends get the
whole rate (less the margin).

Per-chat windows are kept in least-recently-used order, so forgetting the idle ones
once there are more than 4,096 looks only at the oldest few, not at every window: a
fan-out touches a new chat with every send.

Waiting for a slot is not a retry: nothing has been sent yet. A 429 that gets through
anyway is re-raised as PTB's ``RetryAfter`` for :mod:`.errors` to turn into a value.

**A 429 pauses every bulk send of the bot, not only its chat.** Telegram's answer does not
say which limit was hit (the chat's, a group's or the bot's overall rate); the Bot API
documents ``retry_after`` as the time "before the request can be repeated", and its FAQ
warns that a bot that keeps sending past its limits gets longer waits and, in the end, a
ban. Our windows should have prevented the 429, so getting one means our picture of the
limits is wrong right now: the safe reading is the widest one. Nudges and broadcasts
therefore hold off for ``retry_after`` (python-telegram-bot's own ``AIORateLimiter`` pauses
all requests the same way), while replies to a user's own action still go: they are few,
and waiting a morning's flood pause to answer a tap would look broken. The chat that got
the 429 is also moved by the engine, in the database, by the same ``retry_after``.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from nudgebot.core.limits import MARGIN, Limit
from nudgebot.core.sending import STARTED_AT_MOST, Starting

from .errors import retry_after_seconds

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

_MAX_IDLE_WINDOWS = 4096

STARTED_AHEAD = STARTED_AT_MOST
"""Most bulk sends recorded as started and still queued for the overall slot.

A crash turns these into ``unknown`` without the platform having seen them, so the
number is as small as the database allows: see :class:`StartedAhead`.
"""


class StartedAhead:
    """Admits bulk sends to their start record, so few are recorded long before leaving.

    Enough sends must be recorded ahead that one write overlaps the sends of the last
    (or the overall window waits for the database), and no more (each one is lost to a
    crash). That is about two writes' worth at the overall rate: with the last write
    time ``w`` and the rate ``r``, ``2·w·r + 1`` sends, at least two, at most
    :data:`STARTED_AHEAD`. A slow write raises the figure at once; it comes down slowly.
    Measured in the chaos test: a fixed 40 lost about 38 sends to each SIGKILL.
    """

    def __init__(self, rate: float, most: int = STARTED_AHEAD) -> None:
        self._rate = rate
        self._most = most
        self._write_seconds = 0.0
        self._held = 0
        self._changed = asyncio.Condition()

    def limit(self) -> int:
        wanted = math.ceil(2 * self._write_seconds * self._rate) + 1
        return max(2, min(self._most, wanted))

    async def acquire(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self._held < self.limit())
            self._held += 1

    async def release(self) -> None:
        async with self._changed:
            self._held -= 1
            self._changed.notify_all()

    async def wrote(self, seconds: float) -> None:
        """One start record took ``seconds``: adjust how many go ahead."""
        if seconds >= self._write_seconds:
            self._write_seconds = seconds
        else:
            self._write_seconds = 0.9 * self._write_seconds + 0.1 * seconds
        async with self._changed:
            self._changed.notify_all()


class PriorityLock:
    """An asyncio lock that hands itself to urgent waiters first, FIFO within each class.

    Released, it passes straight to the next waiter (it never looks free in between), so
    a stream of bulk waiters cannot slip ahead of an urgent one that is already queued.
    """

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._bulk: deque[asyncio.Future[None]] = deque()

    def locked(self) -> bool:
        return self._held

    @asynccontextmanager
    async def hold(self, *, urgent: bool) -> AsyncIterator[None]:
        await self._acquire(urgent)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, urgent: bool) -> None:
        if not self._held:
            self._held = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._bulk).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # handed the lock as we were cancelled: pass it on
            else:
                (self._urgent if urgent else self._bulk).remove(waiter)
            raise

    def _release(self) -> None:
        for queue in (self._urgent, self._bulk):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._held = False


class Window:
    """A sliding-window counter of sent messages; its lock makes waiters queue in order.

    ``paced`` windows also keep ``seconds / count`` between two messages. A bare sliding
    window lets a whole window's worth leave at once, and then a little network jitter
    (an early burst arriving late, the next one on time) puts more than ``count`` into
    one of Telegram's windows: measured against the fake, a 20/s window without pacing
    drew 429s under load. Pacing is for the busy shared windows; a group's 20 a minute
    stays a plain window so that a conversation in the group is not slowed to one
    message every three seconds.

    Pacing follows a schedule, not the last stamp: ``asyncio.sleep`` wakes late on a
    busy machine, and spacing each message from the previous one's late start lost a
    tenth of the rate (measured: 87% of 30/s). A message that left late lets the next
    one go up to a quarter gap early, never more, so the catch-up is no burst.
    """

    def __init__(
        self,
        limit: Limit,
        *,
        margin: float,
        clock: Callable[[], float],
        paced: bool = False,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._count = limit.count
        self._sleep = sleep
        # The margin (a share of the period) absorbs jitter between our clock and the
        # server's arrival times.
        self._period = limit.seconds * (1 + margin)
        self._gap = self._period / self._count if paced else 0.0
        self._clock = clock
        self._stamps: deque[float] = deque()
        self._next = float("-inf")
        """When the next paced message is scheduled to leave."""
        self.lock = PriorityLock()

    def idle(self) -> bool:
        """No slot taken within the window and nobody waiting: safe to forget."""
        return not self.lock.locked() and (
            not self._stamps or self._stamps[-1] <= self._clock() - self._period
        )

    async def wait_free(self) -> None:
        """Wait until a slot is free; call with :attr:`lock` held, then :meth:`stamp`."""
        while True:
            now = self._clock()
            # The same sum as the wait below: "now - period" can round the other way, and
            # then a stamp that the wait says is out of the window stayed in it, while the
            # message went anyway (a fourth in a 3-a-second window, found on a stepped clock).
            while self._stamps and self._stamps[0] + self._period <= now:
                self._stamps.popleft()
            wait = self._next - now
            if len(self._stamps) >= self._count:
                wait = max(wait, self._stamps[0] + self._period - now)
            if wait <= 0:
                return
            await self._sleep(wait)

    def stamp(self, now: float) -> None:
        self._stamps.append(now)
        if self._gap:
            self._next = max(self._next, now - self._gap / 4) + self._gap


async def take_slots(
    windows: list[Window],
    clock: Callable[[], float],
    *,
    urgent: bool = True,
    before_last: Callable[[], Awaitable[None]] | None = None,
) -> float:
    """Take a slot in each window, the first held while the next ones are waited for.

    Every window is stamped with the same instant, the one at which the message leaves:
    stamping a chat's window when its own slot frees up, and only later getting an
    overall slot, would let two messages into the chat closer together than allowed.
    Windows are always taken in the same order (chat, group, overall): no deadlock.

    ``before_last`` runs with every window but the last (the overall one) held, before
    queueing for it. Whatever it waits for (a database write) therefore happens before
    the overall slot is stamped: a stamp is the instant the request leaves, never a
    moment before a wait. Stamping first and writing after let the requests of a slow
    write leave together, and the fake Bot API answered 429 to the bunch (measured: up
    to 1 s between slot and request with the disk busy, 17 429s in a burst of 2,000).
    """
    if not windows:
        return clock()
    window, *rest = windows
    if not rest and before_last is not None:
        await before_last()
    async with window.lock.hold(urgent=urgent):
        await window.wait_free()
        now = await take_slots(rest, clock, urgent=urgent, before_last=before_last)
        window.stamp(now)
        return now


@dataclass(frozen=True, slots=True)
class Bulk:
    """``rate_limit_args`` for a send that may wait behind replies (nudges, broadcasts).

    ``starting`` is awaited once the send holds its chat's slot, just before it queues
    for the overall one: the engine records there that the send has started, so a crash
    while the send waited for its chat leaves it safe to retry (see
    ``core.sending.Adapter.send``). :class:`StartedAhead` bounds how many sends are between
    that record and their request.
    """

    starting: Starting | None = None


BULK = Bulk()
"""A bulk send with nothing to await before its request."""


class SlidingWindowLimiter(BaseRateLimiter[Bulk]):
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
        margin: float = MARGIN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """``clock`` and ``sleep`` go together: tests pass a clock that ``sleep`` moves."""
        self._per_chat = per_chat
        self._per_group = per_group
        self._margin = margin
        self._clock = clock
        self._sleep = sleep
        self._overall = Window(overall, margin=margin, clock=clock, paced=True, sleep=sleep)
        self._chats: OrderedDict[tuple[str, int], Window] = OrderedDict()
        self._started_ahead = StartedAhead(overall.count / overall.seconds)
        self.bulk_paused_until = float("-inf")
        """Until when (on ``clock``) bulk sends wait after a 429: see the module docstring."""

    async def initialize(self) -> None:
        """Nothing to set up: windows are made on first use."""

    async def shutdown(self) -> None:
        self._chats.clear()

    def _window(self, kind: str, chat_id: int, limit: Limit) -> Window:
        key = (kind, chat_id)
        window = self._chats.get(key)
        if window is not None:
            self._chats.move_to_end(key)
            return window
        # Least recently used first: stop at the first window still in use.
        while len(self._chats) >= _MAX_IDLE_WINDOWS:
            oldest = next(iter(self._chats.values()))
            if not oldest.idle():
                break
            self._chats.popitem(last=False)
        window = self._chats[key] = Window(
            limit, margin=self._margin, clock=self._clock, sleep=self._sleep
        )
        return window

    @property
    def windows_kept(self) -> int:
        """How many per-chat and per-group windows are remembered (bounded when idle)."""
        return len(self._chats)

    async def wait_for_slot(
        self,
        endpoint: str,
        chat_id: int | None,
        *,
        bulk: bool,
        starting: Starting | None = None,
    ) -> None:
        """Wait until the message may leave: the chat's window first, the shared one last.

        Waiting for the chat's own window before the overall one keeps a busy chat from
        holding overall slots that other chats could use. ``starting`` is awaited
        between the two (see :class:`Bulk`).
        """
        if not endpoint.startswith(("send", "edit", "copy", "forward")):
            if starting is not None:
                await starting()
            return
        windows = []
        if chat_id is not None:
            if endpoint.startswith("send"):
                windows.append(self._window("chat", chat_id, self._per_chat))
            if chat_id < 0:
                windows.append(self._window("group", chat_id, self._per_group))
        windows.append(self._overall)
        if starting is None:
            await take_slots(windows, self._clock, urgent=not bulk)
            return
        ahead = False

        async def started() -> None:
            nonlocal ahead
            await self._started_ahead.acquire()
            ahead = True
            began = self._clock()
            await starting()
            await self._started_ahead.wrote(self._clock() - began)

        try:
            await take_slots(windows, self._clock, urgent=not bulk, before_last=started)
        finally:
            if ahead:
                await self._started_ahead.release()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Bulk | None,
    ) -> JSONResult:
        chat_id = _chat_id(data.get("chat_id"))
        bulk = rate_limit_args is not None
        while bulk and (pause := self.bulk_paused_until - self._clock()) > 0:
            await self._sleep(pause)
        starting = rate_limit_args.starting if rate_limit_args is not None else None
        await self.wait_for_slot(endpoint, chat_id, bulk=bulk, starting=starting)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as flood:
            until = self._clock() + retry_after_seconds(flood)
            self.bulk_paused_until = max(self.bulk_paused_until, until)
            raise


def _chat_id(value: object) -> int | None:
    """Numeric chat id, or None for ``@channelusername`` and calls without a chat."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


__all__ = [
    "BULK",
    "STARTED_AHEAD",
    "Bulk",
    "Limit",
    "PriorityLock",
    "SlidingWindowLimiter",
    "StartedAhead",
    "Window",
    "take_slots",
]
