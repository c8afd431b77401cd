"""How many nudges per second the engine delivers when many subscribers fall due at once.

The platform is an in-process adapter that answers at once, so what is measured is the
engine and the store: claiming, choosing and recording. Run::

    PYTHONPATH=. python benchmarks/engine_throughput.py [--subscribers 2000] [--postgres]

``--postgres`` also measures PostgreSQL at 127.0.0.1:5432 (a scratch database is created
and dropped), with one and with four engines ticking at once (four instances).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.pack.loading import load_pack
from nudgebot.settings import Settings
from nudgebot.store.db import create_engine, create_sessions, upgrade
from nudgebot.support.resources import bundled_dir
from tests.support.fakes.recording import FakeAdapter

SIGN_UP = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
DUE = datetime(2026, 6, 1, 6, 1, tzinfo=UTC)  # 08:00 Amsterdam has passed for everyone


async def measure(url: str, subscribers: int, instances: int) -> float:
    await upgrade(url)
    pack = load_pack(bundled_dir("content"))
    settings = Settings(_env_file=None, database_url=url)
    now = SIGN_UP
    adapter = FakeAdapter()
    databases = [create_engine(url) for _ in range(instances)]
    try:
        engines = [
            DeliveryEngine(
                sessions=create_sessions(db),
                pack=pack,
                adapters={"fake": adapter},
                clock=lambda: now,
            )
            for db in databases
        ]
        commands = Commands(
            sessions=engines[0].sessions, pack=pack, settings=settings, clock=lambda: now
        )
        for n in range(subscribers):
            await commands.handle(Chat(recipient=Recipient("fake", f"u{n}")), "/start")
        now = DUE
        started = time.perf_counter()
        await asyncio.gather(*(engine.tick() for engine in engines))
        elapsed = time.perf_counter() - started
        assert len(adapter.sent) == subscribers, len(adapter.sent)
        return subscribers / elapsed
    finally:
        for db in databases:
            await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.db'}"
        rate = await measure(url, args.subscribers, 1)
        print(f"SQLite, one instance     : {args.subscribers} nudges at {rate:6.0f}/s")
    if args.postgres:
        for instances in (1, 4):
            name = f"nudgebot_bench_{uuid.uuid4().hex[:8]}"
            admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
            await admin.execute(f'CREATE DATABASE "{name}"')
            try:
                url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
                rate = await measure(url, args.subscribers, instances)
                label = f"PostgreSQL, {instances} instance(s)"
                print(f"{label}: {args.subscribers} nudges at {rate:6.0f}/s")
            finally:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
