"""One delivery engine in a process of its own, for multi-process runs on PostgreSQL.

``python -m tests.support.engine_process URL [--live] [--batch-size N]`` sets up, prints
``ready``, waits for a line on stdin (so that every process starts at once, after its
imports), ticks until nothing more is due, and prints the addresses it sent to, one a
line. The tests run it on a fixed clock (Monday 1 June, 08:01 Amsterdam) and small
batches; ``benchmarks/pipeline.py`` with ``--live`` (the real clock) and the default
batch size.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.pack.loading import load_pack
from nudgebot.store.db import create_engine, create_sessions
from nudgebot.support.resources import bundled_dir
from tests.support.fakes.recording import FakeAdapter

DUE = datetime(2026, 6, 1, 6, 1, tzinfo=UTC)


async def main(url: str, *, live: bool, batch_size: int) -> None:
    database = create_engine(url)
    adapter = FakeAdapter()
    engine = DeliveryEngine(
        sessions=create_sessions(database),
        pack=load_pack(bundled_dir("content")),
        adapters={"fake": adapter},
        clock=(lambda: datetime.now(UTC)) if live else (lambda: DUE),
        batch_size=batch_size,
    )
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    while (await engine.tick()).claimed:
        pass
    await database.dispose()
    sys.stdout.write("".join(f"{address}\n" for address, _ in adapter.sent))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--live", action="store_true", help="the real clock, not 1 June")
    parser.add_argument("--batch-size", type=int, default=25)
    args = parser.parse_args()
    asyncio.run(main(args.url, live=args.live, batch_size=args.batch_size))
