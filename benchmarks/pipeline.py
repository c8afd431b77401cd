"""The batched delivery pipeline's figures, from one run on this machine.

Subscribers are seeded with SQL (``COPY`` on PostgreSQL), spread the way an audience
is: ten time zones, four in five between 07:00 and 09:00 local, the rest over the day;
``--due`` of them are due at once. Prints:

* engine only (an adapter that answers at once): nudges per second on SQLite with one
  process and on PostgreSQL with one and three processes, and milliseconds to claim and
  render one batch of 1,000 on PostgreSQL;
* ``nudgebot run`` with Telegram against the fake Bot API in a process of its own (limiter
  opened) over ``--subscribers`` on PostgreSQL: seconds to ``/healthz``, to the first
  tick and to the first nudge, resident memory after the first tick, nudges per second
  end to end, and in the same run the bare aiohttp POST ceiling against the same fake;
* the peer pattern: one python-telegram-bot ``JobQueue.run_daily`` job per subscriber
  (``--peer`` of them), seconds to schedule and memory, beside nudgebot's start-up.

Run (a scratch PostgreSQL database is created and dropped each time)::

    PYTHONPATH=. .venv/bin/python benchmarks/pipeline.py [--subscribers 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as wall_time
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import asyncpg

from nudgebot.core.sending import Delivered
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.work import Outcome
from nudgebot.pack.loading import load_pack
from nudgebot.store.db import create_engine, create_sessions, upgrade
from nudgebot.support.resources import bundled_dir
from tests.support.audience import COLUMNS, ZONES, audience, scratch_postgres, seed_postgres
from tests.support.fakes.recording import FakeAdapter
from tests.support.fakes.telegram_api import TOKEN
from tests.support.fakes.telegram_process import UNLIMITED, start_fake
from tests.support.paths import REPO_ROOT


async def seed_sqlite(url: str, count: int, due: int) -> None:
    await upgrade(url)
    with sqlite3.connect(url.split("///", 1)[1]) as db:
        marks = ", ".join("?" * len(COLUMNS))
        rows = (
            tuple(v.isoformat(" ") if isinstance(v, datetime) else v for v in row)
            for row in audience(count, due, datetime.now(UTC), "fake")
        )
        db.executemany(f"INSERT INTO subscriber ({', '.join(COLUMNS)}) VALUES ({marks})", rows)


def engine_for(url: str, adapter: FakeAdapter) -> DeliveryEngine:
    return DeliveryEngine(
        sessions=create_sessions(create_engine(url)),
        pack=load_pack(bundled_dir("content")),
        adapters={"fake": adapter},
        clock=lambda: datetime.now(UTC),
    )


async def drain(engine: DeliveryEngine) -> None:
    """Tick until nothing is due."""
    while (await engine.tick()).claimed:
        pass


async def engine_rate(url: str, due: int, processes: int) -> float:
    """Nudges per second with ``processes`` engines, each in its own process."""
    if processes == 1:
        adapter = FakeAdapter()
        engine = engine_for(url, adapter)
        started = time.perf_counter()
        await drain(engine)
        return len(adapter.sent) / (time.perf_counter() - started)
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.engine_process",
            url,
            "--live",
            f"--batch-size={DeliveryEngine.batch_size}",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=REPO_ROOT,
        )
        for _ in range(processes)
    ]
    for child in children:
        assert child.stdout is not None and child.stdin is not None
        await child.stdout.readline()  # "ready": imported and connected
    started = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"go\n")
        await child.stdin.drain()
    sent = sum([len((await child.communicate())[0].split()) for child in children])
    assert sent == due, (sent, due)
    return sent / (time.perf_counter() - started)


async def batch_millis(url: str) -> tuple[float, float]:
    """Milliseconds to lease, create and render one batch of 1,000 (median of three).

    Twice: on the audience's first morning (no streak or rotation rows yet), and on the
    next morning, once the first morning's nudges were sent and recorded (the rows exist,
    as they do for an audience with a history). The audience needs 3,000 due.
    """
    engine = engine_for(url, FakeAdapter())

    async def three_batches() -> float:
        times = []
        for _ in range(3):
            now = datetime.now(UTC)
            started = time.perf_counter()
            batch = await engine.nudges.open_batch(
                now_utc=now, lease_until=now + engine.lease, limit=1000
            )
            times.append(1000 * (time.perf_counter() - started))
            assert len(batch.sends) == 1000, len(batch.sends)
            outcomes: list[Outcome] = [Delivered(ref="1")] * len(batch.sends)
            await engine.nudges.record(batch, outcomes, now_utc=now)
        return sorted(times)[1]

    first = await three_batches()
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:  # the next morning, reached at once: those three thousand are due again
        await connection.execute(
            "UPDATE subscriber SET next_due_utc = now() - interval '1 minute'"
            " WHERE id IN (SELECT subscriber_id FROM delivery)"
        )
    finally:
        await connection.close()
    return first, await three_batches()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def through_run(url: str, due: int) -> dict[str, float]:
    """``nudgebot run`` with Telegram against the fake in its own process: the figures."""
    fake_process, fake_url, stats_url = start_fake(UNLIMITED)
    port = 18_000 + os.getpid() % 1000
    env = os.environ | {
        "NUDGEBOT_DATABASE_URL": url,
        "NUDGEBOT_TELEGRAM_TOKEN": TOKEN,
        "NUDGEBOT_TELEGRAM_API_URL": f"{fake_url}/bot",
        "NUDGEBOT_TELEGRAM_LIMIT_OVERALL": "100000/1",
        "NUDGEBOT_HTTP_PORT": str(port),
        "NUDGEBOT_LOG_LEVEL": "WARNING",
    }
    figures: dict[str, float] = {}
    async with aiohttp.ClientSession() as http:
        started = time.monotonic()
        run = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "nudgebot", "run", env=env, cwd=tempfile.gettempdir()
        )
        try:
            while "healthz" not in figures or "first_tick" not in figures:
                await asyncio.sleep(0.05)
                try:
                    async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                        figures.setdefault("healthz", time.monotonic() - started)
                        if "nudgebot_ticks_total 1.0" in await response.text():
                            figures["first_tick"] = time.monotonic() - started
                except aiohttp.ClientConnectionError:
                    continue
            while (stats := await (await http.get(stats_url)).json())["sent"] < due:  # noqa: ASYNC110
                await asyncio.sleep(0.2)  # another process: nothing to wait on but its count
            figures["first_nudge"] = stats["first"] - started
            figures["end_to_end"] = due / (stats["last"] - stats["first"])
            await asyncio.sleep(1)  # the tick records its last batch
            figures["rss_mib"] = rss_mib(run.pid)
        finally:
            run.terminate()
            await run.wait()
        figures["bare_post"] = await bare_posts(http, fake_url, 5000)
    fake_process.kill()
    return figures


async def bare_posts(http: aiohttp.ClientSession, fake_url: str, count: int) -> float:
    """The ceiling: plain aiohttp POSTs of ``sendMessage`` to the same fake, 100 at a time."""
    gate = asyncio.Semaphore(100)

    async def post(n: int) -> None:
        async with gate:
            data = {"chat_id": 900_000 + n, "text": "ceiling"}
            async with http.post(f"{fake_url}/bot{TOKEN}/sendMessage", data=data) as response:
                await response.read()

    started = time.perf_counter()
    await asyncio.gather(*(post(n) for n in range(count)))
    return count / (time.perf_counter() - started)


async def peer_pattern(count: int) -> tuple[float, float]:
    """PTB's JobQueue with one ``run_daily`` job per subscriber: (seconds, MiB grown)."""
    from telegram.ext import Application, ContextTypes

    async def nudge(_context: ContextTypes.DEFAULT_TYPE) -> None: ...

    application = Application.builder().token(TOKEN).build()
    queue = application.job_queue
    assert queue is not None
    await queue.start()  # the scheduler runs; nothing here talks to Telegram
    before = rss_mib(os.getpid())
    started = time.perf_counter()
    for n in range(count):
        local = wall_time(7 + n % 2, 15 * (n % 4), tzinfo=ZoneInfo(ZONES[n % len(ZONES)]))
        queue.run_daily(nudge, local, chat_id=10_000 + n, name=str(n))
    seconds = time.perf_counter() - started
    grown = rss_mib(os.getpid()) - before
    await queue.stop()
    return seconds, grown


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"load average at start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.db'}"
        await seed_sqlite(url, args.engine_subscribers, args.due)
        rate = await engine_rate(url, args.due, 1)
        print(f"engine only, SQLite, 1 process     : {args.due} due at {rate:6.0f} nudges/s")
    for processes in (1, 3):
        async with scratch_postgres() as url:
            await seed_postgres(url, args.engine_subscribers, args.due, "fake")
            rate = await engine_rate(url, args.due, processes)
            print(f"engine only, PostgreSQL, {processes} process(es): {rate:6.0f} nudges/s")
            if processes == 1:
                async with scratch_postgres() as fresh:
                    await seed_postgres(fresh, args.engine_subscribers, 3000, "fake")
                    first, later = await batch_millis(fresh)
                print(
                    "claim and render one batch of 1,000 on PostgreSQL: "
                    f"{first:5.0f} ms on the first morning, {later:5.0f} ms on the next"
                )
    for count in (args.peer, args.subscribers):
        async with scratch_postgres() as url:
            await seed_postgres(url, count, args.due, "telegram")
            f = await through_run(url, args.due)
        print(
            f"nudgebot run, {count:,} subscribers on PostgreSQL, {args.due} due: /healthz "
            f"{f['healthz']:.1f} s, first tick {f['first_tick']:.1f} s, first nudge "
            f"{f['first_nudge']:.1f} s, {f['rss_mib']:.0f} MiB resident after the first tick"
        )
        print(
            f"  end to end through Telegram to the fake: {f['end_to_end']:6.0f} nudges/s; "
            f"bare aiohttp POST ceiling {f['bare_post']:6.0f}/s; "
            f"ratio {f['end_to_end'] / f['bare_post']:.0%}"
        )
    seconds, grown = await peer_pattern(args.peer)
    print(
        f"peer pattern, PTB JobQueue.run_daily x {args.peer:,}: {seconds:.1f} s to schedule, "
        f"{grown:.0f} MiB grown"
    )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--engine-subscribers", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=20_000)
    parser.add_argument("--peer", type=int, default=100_000)
    asyncio.run(main(parser.parse_args()))
