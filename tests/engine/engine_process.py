"""One delivery engine in a process of its own, for the multi-process tests on PostgreSQL.

``python -m tests.engine.engine_process URL`` sets up, prints ``ready``, waits for a line
on stdin (so that every process starts at once, after its imports), ticks until nothing
more is due, and prints the addresses it sent to, one a line.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.packs import load_pack
from nudgebot.resources import bundled_dir
from nudgebot.store.db import create_engine, create_sessions
from tests.fakes.recording import FakeAdapter

DUE = datetime(2026, 6, 1, 6, 1, tzinfo=UTC)


async def main(url: str) -> None:
    database = create_engine(url)
    adapter = FakeAdapter()
    engine = DeliveryEngine(
        sessions=create_sessions(database),
        pack=load_pack(bundled_dir("content")),
        adapters={"fake": adapter},
        clock=lambda: DUE,
        batch_size=25,
    )
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    while (await engine.tick()).claimed:
        pass
    await database.dispose()
    sys.stdout.write("".join(f"{address}\n" for address, _ in adapter.sent))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
