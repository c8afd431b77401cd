"""A whole morning: a million subscribers due at once, sent through ``nudgebot run``.

Seeds ``--due`` subscribers, all due a minute ago (``COPY``; the subscriber table is
analyzed once, as an audience's table would be), on the machine's PostgreSQL as it is
(this machine runs with autovacuum off, so nothing analyzes the day rows, streaks and
rotations that the morning creates), then runs one and then two ``nudgebot run``
processes with Telegram against the fake Bot API in its own process (lean: it counts,
keeps no messages; flood limits off). Prints per run: total seconds, nudges per second
over the first and the last 100,000 and over every tenth of the morning (what slows
down as the tables grow), each process's peak resident memory (``VmHWM``), and
duplicates (messages beyond the first in a chat) and chats never reached.

Run (a scratch database per run, dropped after)::

    PYTHONPATH=. .venv/bin/python benchmarks/morning.py [--due 1000000] [--instances 1 2]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.support.audience import scratch_postgres, seed_postgres
from tests.support.fakes.telegram_api import TOKEN
from tests.support.fakes.telegram_process import UNLIMITED, start_fake

SLICE = 100_000


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory so far (the kernel's high-water mark)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def morning(url: str, due: int, instances: int) -> dict[str, object]:
    """Start ``instances`` bots against one lean fake; the figures once all ``due`` arrived."""
    fake_process, fake_url, stats_url = start_fake(UNLIMITED, lean=True)
    runs = []
    started = time.monotonic()
    for n in range(instances):
        env = os.environ | {
            "NUDGEBOT_DATABASE_URL": url,
            "NUDGEBOT_TELEGRAM_TOKEN": TOKEN,
            "NUDGEBOT_TELEGRAM_API_URL": f"{fake_url}/bot",
            "NUDGEBOT_TELEGRAM_LIMIT_OVERALL": "100000/1",
            "NUDGEBOT_HTTP_PORT": str(19_000 + os.getpid() % 500 + n),
            "NUDGEBOT_LOG_LEVEL": "WARNING",
        }
        log = (Path(tempfile.gettempdir()) / f"nudgebot-morning-{n}.log").open("ab")
        runs.append(
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "nudgebot", "run", env=env, cwd=tempfile.gettempdir(),
                stdout=log, stderr=log,
            )
        )  # fmt: skip
    peaks = [0.0] * instances
    shown = 0
    try:
        async with aiohttp.ClientSession() as http:
            while True:
                async with http.get(stats_url) as response:
                    stats = await response.json()
                peaks = [peak_rss_mib(run.pid) for run in runs]
                if stats["sent"] >= shown + SLICE:  # progress, for a run that takes an hour
                    shown = stats["sent"] // SLICE * SLICE
                    elapsed = time.monotonic() - started
                    print(f"  {stats['sent']:,} sent after {elapsed:.0f} s", flush=True)
                if stats["sent"] >= due:
                    break
                if time.monotonic() - started > 4 * 3600:
                    raise TimeoutError(f"only {stats['sent']} of {due} after four hours")
                await asyncio.sleep(2)  # another process: nothing to await but its count
            await asyncio.sleep(3)  # a late duplicate would have arrived by now
            async with http.get(stats_url, params={"every": str(SLICE)}) as response:
                stats = await response.json()
    finally:
        for run in runs:
            run.terminate()
        for run in runs:
            await run.wait()
        fake_process.kill()
    marks = [stats["first"], *stats["marks"]]
    return {
        "seconds": stats["last"] - stats["first"],
        "to_first": stats["first"] - started,
        "slices": [SLICE / (b - a) for a, b in itertools.pairwise(marks)],
        "peaks": peaks,
        "duplicates": stats["duplicates"],
        "missing": due - stats["chats"],
        "sent": stats["sent"],
    }


async def main(args: argparse.Namespace) -> None:
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}")
    for instances in args.instances:
        print(f"load average before the run: {os.getloadavg()}")
        async with scratch_postgres() as url:
            seeding = time.monotonic()
            await seed_postgres(url, args.due, args.due, "telegram")
            print(f"seeded {args.due:,} due in {time.monotonic() - seeding:.0f} s")
            f = await morning(url, args.due, instances)
        slices: list[float] = f["slices"]  # type: ignore[assignment]
        peaks: list[float] = f["peaks"]  # type: ignore[assignment]
        seconds: float = f["seconds"]  # type: ignore[assignment]
        print(
            f"{instances} instance(s): {args.due:,} due, {f['sent']:,} sent in {seconds:.0f} s "
            f"({args.due / seconds:.0f}/s; first nudge {f['to_first']:.1f} s after start)"
        )
        print(
            f"  first {SLICE:,}: {slices[0]:.0f}/s, last {SLICE:,}: {slices[-1]:.0f}/s "
            f"(last/first {slices[-1] / slices[0]:.0%})"
        )
        print("  every 100,000: " + ", ".join(f"{rate:.0f}" for rate in slices))
        print(
            "  peak resident memory: " + ", ".join(f"{peak:.0f} MiB" for peak in peaks)
            + f"; duplicates {f['duplicates']}, chats never reached {f['missing']}"
        )  # fmt: skip
        print(f"load average after the run: {os.getloadavg()}")


if __name__ == "__main__":
    assert isinstance(sys.stdout, io.TextIOWrapper)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it comes, even to a file
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=1_000_000)
    parser.add_argument("--instances", type=int, nargs="+", default=[1, 2])
    asyncio.run(main(parser.parse_args()))
