"""Subscribers written straight into a store, for tests that need many of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from nudgebot.core.content import Lang
from nudgebot.core.subscription import Status
from nudgebot.store.db import Sessions
from nudgebot.store.tables import StreakRow, Subscriber


@dataclass(frozen=True)
class Seed:
    platform: str = "telegram"
    language: Lang = "nl"
    workspace: str = ""
    status: str = "active"
    streak: int = 0
    created_utc: datetime = datetime(2026, 5, 1, tzinfo=UTC)


async def seed(sessions: Sessions, seeds: list[Seed], *, start: int = 0) -> list[int]:
    """Insert one subscriber per seed (addresses start+0, start+1, ...); returns their ids."""
    rows = [
        Subscriber(
            platform=s.platform,
            workspace=s.workspace,
            address=f"{'U' if s.platform == 'slack' else ''}{start + i + 1000}",
            language=s.language,
            timezone="Europe/Amsterdam",
            local_time=time(8, 0),
            status=Status(s.status),
            created_utc=s.created_utc,
        )
        for i, s in enumerate(seeds)
    ]
    async with sessions() as session:
        session.add_all(rows)
        await session.commit()
        ids = [row.id for row in rows if row.id is not None]
        session.add_all(
            StreakRow(subscriber_id=sid, current=s.streak, best=s.streak)
            for sid, s in zip(ids, seeds, strict=True)
            if s.streak
        )
        await session.commit()
    return ids
