"""A benchmark's audience: subscribers seeded with SQL, spread the way an audience is.

Ten time zones, four in five between 07:00 and 09:00 local, the rest over the day; the
first ``due`` of them due a minute ago. ``COPY`` on PostgreSQL, into a scratch database
that is dropped afterwards (benchmarks/pipeline.py and benchmarks/morning.py).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from zoneinfo import ZoneInfo

import asyncpg

from nudgebot.core.timing import next_due
from nudgebot.store.db import upgrade

SERVER = "postgres@127.0.0.1:5432"
ZONES = (
    "Europe/Amsterdam",
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Africa/Lagos",
)
COLUMNS = (
    "platform", "workspace", "address", "language", "timezone", "local_time", "status",
    "next_due_utc", "next_local_date", "failed_days", "created_utc",
)  # fmt: skip


def audience(
    count: int, due: int, now_utc: datetime, platform: str
) -> Iterator[tuple[object, ...]]:
    """Subscriber rows; the first ``due`` are due a minute ago, the rest at their next time.

    The rest fall due an hour from now at the earliest, so that none joins the due set
    while a measurement runs.
    """
    rng = random.Random(9)
    morning = [wall_time(7 + q // 4, 15 * (q % 4)) for q in range(8)]
    day = [wall_time(h, m) for h in range(6, 22) for m in (0, 30)]
    upcoming: dict[tuple[str, wall_time], tuple[date, datetime]] = {}
    for n in range(count):
        zone = ZONES[n % len(ZONES)]
        local = rng.choice(morning) if rng.random() < 0.8 else rng.choice(day)
        key = (zone, local)
        if key not in upcoming:
            upcoming[key] = next_due(
                local_time=local, tz=ZoneInfo(zone), after_utc=now_utc + timedelta(hours=1)
            )
        local_date, due_utc = upcoming[key]
        if n < due:  # their wall time was a minute ago
            wall = (now_utc - timedelta(minutes=1)).astimezone(ZoneInfo(zone))
            local, local_date = wall.time().replace(second=0, microsecond=0), wall.date()
            due_utc = now_utc - timedelta(minutes=1)
        yield (
            platform, "", str(10_000 + n), rng.choice(("nl", "en")), zone,
            local.strftime("%H:%M"), "active", due_utc, local_date, 0, now_utc,
        )  # fmt: skip


async def seed_postgres(url: str, count: int, due: int, platform: str) -> None:
    await upgrade(url)
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        rows = audience(count, due, datetime.now(UTC), platform)
        while chunk := [row for _, row in zip(range(50_000), rows, strict=False)]:
            await connection.copy_records_to_table("subscriber", records=chunk, columns=COLUMNS)
        await connection.execute("ANALYZE subscriber")
    finally:
        await connection.close()


@asynccontextmanager
async def scratch_postgres() -> AsyncIterator[str]:
    name = f"nudgebot_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"postgresql://{SERVER}/test")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://{SERVER}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
