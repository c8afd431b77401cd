"""Two instances working one broadcast on PostgreSQL: they share it, nobody gets it twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest

from nudgebot.commands.broadcasts import Broadcasts
from nudgebot.core.broadcast import Audience, BroadcastText
from nudgebot.core.sending import Delivered
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.outbox import OutboxWork, tick_with_outbox
from nudgebot.store.db import create_engine, create_sessions, upgrade
from tests.support.broadcast_seeding import Seed, seed

pytestmark = pytest.mark.pg


class SlowPlatform:
    """Takes a moment per message, so two instances really overlap; records who sent what."""

    platform = "fake"

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.by_instance: Counter[str] = Counter()

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def as_instance(self, name: str):
        platform = self

        class Instance:
            platform = "fake"

            async def start(self) -> None: ...

            async def stop(self) -> None: ...

            async def send(self, recipient, message, *, starting=None):
                if starting is not None:
                    await starting()
                await asyncio.sleep(0.002)
                platform.sent[recipient.address] += 1
                platform.by_instance[name] += 1
                return Delivered()

        return Instance()


async def test_two_instances_send_one_broadcast_each_recipient_once(pg_url, pack):
    await upgrade(pg_url)
    engines = [create_engine(pg_url) for _ in range(2)]
    now = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
    platform = SlowPlatform()
    try:
        sessions = [create_sessions(engine) for engine in engines]
        await seed(sessions[0], [Seed("fake", "nl")] * 1000 + [Seed("fake", "en")] * 500)
        service = Broadcasts(sessions=sessions[0], default_language="nl", clock=lambda: now)
        broadcast = await service.create(
            BroadcastText(texts={"nl": "hoi"}), Audience(), created_by="test"
        )
        assert broadcast.id is not None
        await service.send(broadcast.id)
        instances = []
        for n, s in enumerate(sessions):
            instance = DeliveryEngine(
                sessions=s,
                pack=pack,
                adapters={"fake": platform.as_instance(f"i{n}")},
                clock=lambda: now,
            )
            outbox = OutboxWork(sessions=s, clock=lambda: now, default_language="nl", batch_size=40)
            instance.add_work(outbox)
            instances.append(tick_with_outbox(instance, outbox))
        await asyncio.gather(*instances)
        assert len(platform.sent) == 1500
        assert set(platform.sent.values()) == {1}
        assert min(platform.by_instance.values()) > 200  # the second instance helped
        progress = await service.status(broadcast.id)
        assert progress.by_status() == {"sent": 1500}
        assert progress.broadcast.state == "done"
    finally:
        for engine in engines:
            await engine.dispose()
