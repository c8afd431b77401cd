"""What the batched engine moves, for any kind of work: sends, batches, outcomes, reports.

Kept apart from :mod:`.delivery` so that a kind of work (nudges in :mod:`.nudge_work`,
an admin broadcast's outbox rows) depends on these values and not on the engine that
drives it. How a kind plugs in is told in :mod:`nudgebot.engine.delivery`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from nudgebot.core.chats import Recipient
from nudgebot.core.outbound import Message
from nudgebot.core.sending import SendResult


@dataclass
class TickReport:
    """What one tick did, for logs, metrics and the simulator."""

    claimed: int = 0
    sent: int = 0
    skipped_late: int = 0
    unknown: int = 0
    gone: int = 0
    retried: int = 0
    failed: int = 0
    already_done: int = 0
    released: int = 0

    def add(self, other: TickReport) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True, slots=True)
class NotSent:
    """This send never started: give the row back at once, unsent.

    The engine stopped first, or recording the start failed (the database was away).
    ``taken``: the row was no longer ours (another instance took it after our lease ran
    out and started it first), so this instance writes nothing about it.
    """

    taken: bool = False
    failed: bool = False
    """Recording the start failed (the database is away): try again a little later, not
    at once, so a tick does not spin on rows it cannot start."""


START_FAILED_RETRY_SECONDS = 15.0
"""How long a send whose start could not be recorded waits before it is tried again."""


NOT_SENT = NotSent()
Outcome = SendResult | NotSent
"""What became of one send: the platform's answer, or that it never started."""

W = TypeVar("W")


@dataclass
class Send(Generic[W]):
    """One message to send, and the work item it belongs to (opaque to the engine)."""

    recipient: Recipient
    message: Message
    work: W
    started: bool = False
    """Set once its start is recorded, just before the platform call: a send cut off
    after this may have arrived."""


@dataclass
class Batch(Generic[W]):
    """Items leased in one statement, their rows created (not yet started) and committed."""

    lease_until: datetime
    leased: int = 0
    """How many items the claim returned; fewer than asked means the due set is drained."""
    sends: list[Send[W]] = field(default_factory=list)
    settled: TickReport = field(default_factory=TickReport)
    """What the claim settled without sending (late, found unknown, already done)."""


class WorkSource(Protocol[W]):
    """A kind of work the engine delivers in batches (see :mod:`nudgebot.engine.delivery`)."""

    async def open_batch(
        self, *, now_utc: datetime, lease_until: datetime, limit: int
    ) -> Batch[W]: ...

    async def renew(self, batch: Batch[W], *, lease_until: datetime) -> None: ...

    async def start(self, sends: Sequence[Send[W]]) -> set[int]:
        """Record that these sends start, in one statement, and commit.

        Returns the indexes (into ``sends``) of those it recorded; a send left out was no
        longer this instance's to start. See :mod:`nudgebot.engine.starts`.
        """
        ...

    async def record(
        self, batch: Batch[W], outcomes: list[Outcome], *, now_utc: datetime
    ) -> TickReport: ...


__all__ = [
    "NOT_SENT",
    "START_FAILED_RETRY_SECONDS",
    "Batch",
    "NotSent",
    "Outcome",
    "Send",
    "TickReport",
    "WorkSource",
]
