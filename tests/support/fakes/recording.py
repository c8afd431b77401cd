"""An in-process platform for engine tests: records sends, plays scripted outcomes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from nudgebot.core.chats import Recipient
from nudgebot.core.outbound import Message
from nudgebot.core.sending import Delivered, SendResult, Starting


@dataclass
class FakeAdapter:
    """Records what reached the 'platform'; scripted outcomes are used first."""

    platform: str = "fake"
    sent: list[tuple[str, Message]] = field(default_factory=list)
    script: list[SendResult | Exception] = field(default_factory=list)
    per_address: dict[str, SendResult | Exception] = field(default_factory=dict)
    """Outcomes by recipient address, used once each, before ``script``."""
    gate: asyncio.Event | None = None
    """When set, every send waits for it inside the call (a slow platform)."""
    in_call: int = 0
    delay: float = 0.0
    """Seconds every send spends inside the call (a platform that answers slowly)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(
        self, recipient: Recipient, message: Message, *, starting: Starting | None = None
    ) -> SendResult:
        if starting is not None:
            await starting()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.gate is not None:
            self.in_call += 1
            await self.gate.wait()
        outcome = self.per_address.pop(recipient.address, None)
        if outcome is None and self.script:
            outcome = self.script.pop(0)
        if outcome is not None:
            if isinstance(outcome, Exception):
                raise outcome
            if not isinstance(outcome, Delivered):
                return outcome
        self.sent.append((recipient.address, message))
        return Delivered(ref=str(len(self.sent)))

    def to(self, address: str) -> list[Message]:
        return [message for to, message in self.sent if to == address]
