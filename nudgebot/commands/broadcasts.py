"""Admin broadcasts, the same for every way in: the CLI, Telegram admins, Slack admins.

Platform-neutral like :mod:`nudgebot.commands`: callers pass checked-or-not input and an
identity string, and get records or :class:`~nudgebot.errors.InputError` back. Who may
call what is the caller's business (the CLI is the operator; the adapters check their
admins and narrow the :class:`~nudgebot.core.broadcast.Audience` to what that admin may
reach). Everything is validated before the first write, so refused input stores nothing.
Sending itself is the engine's: :meth:`Broadcasts.send` only fills the outbox.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from nudgebot.core.broadcast import Audience, BroadcastText
from nudgebot.core.clock import Clock
from nudgebot.core.content import LANGUAGES, Lang
from nudgebot.core.outbound import Message
from nudgebot.errors import InputError
from nudgebot.store.broadcasts import (
    count_audience,
    list_broadcasts,
    outbox_counts,
    start_sending,
)
from nudgebot.store.db import Sessions
from nudgebot.store.tables import Broadcast, BroadcastState


@dataclass(frozen=True, slots=True)
class Preview:
    """What a broadcast would do: recipients per (platform, language), text per language."""

    audience: Counter[tuple[str, str]]
    messages: dict[Lang, Message]

    @property
    def total(self) -> int:
        return sum(self.audience.values())


@dataclass(frozen=True, slots=True)
class Progress:
    """A broadcast and its outbox rows per (platform, status)."""

    broadcast: Broadcast
    counts: Counter[tuple[str, str]]

    def by_status(self) -> Counter[str]:
        totals: Counter[str] = Counter()
        for (_platform, status), count in self.counts.items():
            totals[status] += count
        return totals


def describe_audience(broadcast: Broadcast) -> str:
    """``platform=slack min-streak=7``: a stored audience in one line, for lists."""
    parts = [
        f"{name}={value}"
        for name, value in (
            ("platform", broadcast.platform),
            ("language", broadcast.language),
            ("workspace", broadcast.workspace),
            ("status", broadcast.status),
            ("min-streak", broadcast.min_streak),
            ("after", broadcast.subscribed_after),
            ("before", broadcast.subscribed_before),
        )
        if value is not None
    ]
    return " ".join(parts) or "everyone active"


class Broadcasts:
    def __init__(self, *, sessions: Sessions, default_language: Lang, clock: Clock) -> None:
        self._sessions = sessions
        self._default_language = default_language
        self._clock = clock

    def _checked(self, text: BroadcastText, audience: Audience) -> None:
        text.check(self._default_language)
        audience.check()

    async def preview(self, text: BroadcastText, audience: Audience) -> Preview:
        """The dry run: counts and rendered text, nothing stored."""
        self._checked(text, audience)
        async with self._sessions() as session:
            counts = await count_audience(session, audience, now_utc=self._clock())
        messages = {
            lang: text.render(lang, default_language=self._default_language) for lang in LANGUAGES
        }
        return Preview(audience=counts, messages=messages)

    async def create(
        self,
        text: BroadcastText,
        audience: Audience,
        *,
        created_by: str,
        due_utc: datetime | None = None,
    ) -> Broadcast:
        """Store a broadcast: a draft, or scheduled when ``due_utc`` is given."""
        self._checked(text, audience)
        if due_utc is not None and due_utc <= self._clock():
            raise InputError("broadcast_in_past", value=due_utc.isoformat())
        broadcast = Broadcast(
            text_nl=text.texts.get("nl", ""),
            text_en=text.texts.get("en", ""),
            link=text.link,
            platform=audience.platform,
            language=audience.language,
            workspace=audience.workspace,
            status=audience.status,
            min_streak=audience.min_streak,
            subscribed_after=audience.subscribed_after,
            subscribed_before=audience.subscribed_before,
            created_by=created_by[:96],
            created_utc=self._clock(),
            due_utc=due_utc,
            state=BroadcastState.SCHEDULED if due_utc else BroadcastState.DRAFT,
        )
        async with self._sessions() as session:
            session.add(broadcast)
            await session.commit()
            await session.refresh(broadcast)
        return broadcast

    async def get(self, broadcast_id: int) -> Broadcast:
        async with self._sessions() as session:
            broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None:
            raise InputError("broadcast_not_found", id=broadcast_id)
        return broadcast

    async def send(self, broadcast_id: int) -> Broadcast:
        """Start sending now: the audience goes into the outbox; the ticker does the rest."""
        broadcast = await self.get(broadcast_id)
        if broadcast.state not in (BroadcastState.DRAFT, BroadcastState.SCHEDULED):
            if broadcast.state == BroadcastState.SENDING:
                return broadcast  # already under way: sending twice changes nothing
            raise InputError("broadcast_not_sendable", id=broadcast_id, state=broadcast.state)
        async with self._sessions() as session:
            await start_sending(session, broadcast_id, self._clock())
        return await self.get(broadcast_id)

    async def status(self, broadcast_id: int) -> Progress:
        broadcast = await self.get(broadcast_id)
        async with self._sessions() as session:
            counts = await outbox_counts(session, broadcast_id)
        return Progress(broadcast=broadcast, counts=counts)

    async def cancel(self, broadcast_id: int) -> Broadcast:
        """Stop a broadcast: its pending rows are never sent. Rows already sent stay sent."""
        async with self._sessions() as session:
            broadcast = await session.get(Broadcast, broadcast_id)
            if broadcast is None:
                raise InputError("broadcast_not_found", id=broadcast_id)
            if broadcast.state in (BroadcastState.DONE, BroadcastState.CANCELLED):
                raise InputError(
                    "broadcast_not_cancellable", id=broadcast_id, state=broadcast.state
                )
            broadcast.state = BroadcastState.CANCELLED
            broadcast.finished_utc = self._clock()
            session.add(broadcast)
            await session.commit()
            await session.refresh(broadcast)
        return broadcast

    async def list(self, limit: int = 50) -> list[Broadcast]:
        async with self._sessions() as session:
            return await list_broadcasts(session, limit)


__all__ = ["Broadcasts", "Preview", "Progress", "describe_audience"]
