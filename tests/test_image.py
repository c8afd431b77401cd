"""The container image, built by ``deploy/image.sh`` and run for real with podman.

One build per session (``deploy/image.sh build``: the base image and pip's downloads are
kept between builds, so a rebuild is the wheels only), then the image as an operator runs
it: ``--version``, ``content check``, ``db upgrade`` against the machine's PostgreSQL,
and ``run`` with the fake Bot API and the fake Slack (Socket Mode), each in a process of
its own on the host, reached with ``--network host``: ``/readyz`` answers 200, one nudge
reaches each fake, the image's HEALTHCHECK reports healthy, SIGTERM ends it with exit
code 0. A container with no platform configured refuses in one line.

Skipped only where podman is missing and cannot be installed (not root, or no apt-get).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from multiprocessing.process import BaseProcess
from typing import Any

import aiohttp
import asyncpg
import pytest

import nudgebot
from nudgebot.store.election import to_asyncpg_dsn
from tests.scenarios.test_app import free_port
from tests.support.fakes import slack_process
from tests.support.fakes.telegram_api import TOKEN
from tests.support.fakes.telegram_process import UNLIMITED
from tests.support.fakes.telegram_process import start_fake as start_telegram
from tests.support.paths import REPO_ROOT
from tests.support.postgres import fresh_database

pytestmark = [pytest.mark.slow, pytest.mark.pg]

SCRIPT = REPO_ROOT / "deploy" / "image.sh"
TAG = "localhost/nudgebot:test"
CHAT = 4242


def image_sh(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def can_install_podman() -> bool:
    return shutil.which("podman") is not None or (
        os.geteuid() == 0 and shutil.which("apt-get") is not None
    )


@pytest.fixture(scope="module")
def image() -> str:
    if not can_install_podman():
        pytest.skip("podman is not installed and cannot be (needs root and apt-get)")
    started = time.monotonic()
    built = image_sh("build", TAG, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    print(f"image built in {time.monotonic() - started:.0f} s")
    return TAG


def test_version_and_content_check_run_in_the_image(image):
    version = image_sh("run", image, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"nudgebot {nudgebot.__version__}"
    checked = image_sh("run", image, "content", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_container_with_no_platform_refuses_in_one_line(image):
    refused = image_sh("run", image)
    assert refused.returncode == 2
    [line] = refused.stderr.strip().splitlines()
    assert "no platform is configured" in line
    assert "NUDGEBOT_TELEGRAM_TOKEN" in line and "NUDGEBOT_SLACK_BOT_TOKEN" in line


def test_the_container_env_example_stores_sqlite_on_the_volume(image):
    # docs/deploy.md's `docker run --env-file ... -v nudgebot-data:/var/lib/nudgebot`, with
    # the example as shipped (no platform yet), for the one command that needs none.
    volume = f"nudgebot-test-{uuid.uuid4().hex[:8]}"
    mount = f"{volume}:/var/lib/nudgebot"
    example = str(REPO_ROOT / "deploy" / "container.env.example")
    try:
        upgraded = image_sh("run", "--env-file", example, "-v", mount, image, "db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
        stored = "import os; print(os.path.getsize('/var/lib/nudgebot/nudgebot.db'))"
        size = image_sh("run", "-v", mount, "--entrypoint", "python", image, "-c", stored)
        assert int(size.stdout) > 0, size.stderr
    finally:
        image_sh("podman", "volume", "rm", "--force", volume)


async def stats(url: str) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return dict(await response.json())


async def status_of(url: str) -> int:
    try:
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            return response.status
    except aiohttp.ClientError:
        return 0


async def until(check: Any, what: str, within: float) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.3)


@pytest.fixture
def fakes() -> Iterator[tuple[str, str, str, str]]:
    """The Bot API base URL and stats URL, then Slack's Web API URL and stats URL."""
    processes: list[BaseProcess] = []
    try:
        telegram, telegram_url, telegram_stats = start_telegram(UNLIMITED)
        processes.append(telegram)
        slack, slack_url, slack_stats = slack_process.start_fake()
        processes.append(slack)
        yield f"{telegram_url}/bot", telegram_stats, slack_url, slack_stats
    finally:
        for process in processes:
            process.kill()
            process.join(timeout=30)


@pytest.fixture
async def database() -> AsyncIterator[str]:
    async with fresh_database() as url:
        yield url


async def seed_due_subscribers(url: str) -> None:
    """One Telegram chat and one Slack channel, both due now."""
    connection = await asyncpg.connect(to_asyncpg_dsn(url))
    try:
        await connection.executemany(
            """
            INSERT INTO subscriber (platform, workspace, address, language, timezone,
                local_time, status, next_due_utc, next_local_date, failed_days, created_utc)
            VALUES ($1, $2, $3, 'en', 'UTC', to_char(now() AT TIME ZONE 'UTC', 'HH24:MI'),
                'active', date_trunc('minute', now()), (now() AT TIME ZONE 'UTC')::date, 0, now())
            """,
            [("telegram", "", str(CHAT)), ("slack", slack_process.TEAM, slack_process.CHANNEL)],
        )
    finally:
        await connection.close()


async def test_run_serves_both_fakes_is_healthy_and_stops_on_sigterm(image, fakes, database):
    telegram_api, telegram_stats, slack_api, slack_stats = fakes
    started = time.monotonic()
    upgraded = image_sh("run", "-e", f"NUDGEBOT_DATABASE_URL={database}", image, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    await seed_due_subscribers(database)

    port = free_port()
    name = f"nudgebot-test-{uuid.uuid4().hex[:8]}"
    settings = {
        "NUDGEBOT_DATABASE_URL": database,
        "NUDGEBOT_HTTP_PORT": str(port),
        "NUDGEBOT_TICK_SECONDS": "1",
        "NUDGEBOT_TELEGRAM_TOKEN": TOKEN,
        "NUDGEBOT_TELEGRAM_API_URL": telegram_api,
        "NUDGEBOT_SLACK_BOT_TOKEN": slack_process.BOT_TOKEN,
        "NUDGEBOT_SLACK_APP_TOKEN": slack_process.APP_TOKEN,
        "NUDGEBOT_SLACK_API_URL": slack_api,
    }
    environment = [part for key, value in settings.items() for part in ("-e", f"{key}={value}")]
    # Without systemd podman cannot time the HEALTHCHECK (and says so): it is run on demand.
    detached = image_sh("podman", "run", "-d", "--network", "host", "--name", name,
                        *environment, image)  # fmt: skip
    assert detached.returncode == 0, detached.stderr
    try:
        ready = f"http://127.0.0.1:{port}/readyz"
        await until(lambda: _is(status_of(ready), 200), "/readyz 200", within=60)

        async def delivered() -> bool:
            sent = (await stats(telegram_stats))["counts"].get(str(CHAT), 0)
            posted = (await stats(slack_stats))["posted"].get(slack_process.CHANNEL, 0)
            return bool(sent == 1 and posted == 1)

        await until(delivered, "one nudge in each fake", within=30)

        health = image_sh("podman", "healthcheck", "run", name)
        assert health.returncode == 0, health.stdout + health.stderr
        inspected = image_sh("podman", "inspect", "--format", "{{.State.Health.Status}}", name)
        assert inspected.stdout.strip() == "healthy"

        assert image_sh("podman", "kill", "--signal", "TERM", name).returncode == 0
        waited = image_sh("podman", "wait", name, timeout=60)
        assert waited.stdout.strip() == "0", waited.stdout + waited.stderr
        logs = image_sh("podman", "logs", name).stdout + image_sh("podman", "logs", name).stderr
        for secret in (TOKEN, slack_process.BOT_TOKEN, slack_process.APP_TOKEN):
            assert secret not in logs
        print(f"db upgrade, run, two nudges and a stop in {time.monotonic() - started:.0f} s")
    finally:
        image_sh("podman", "rm", "--force", name)


async def _is(status: Any, expected: int) -> bool:
    return bool(await status == expected)
