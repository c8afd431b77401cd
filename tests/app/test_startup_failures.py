"""`nudgebot run` refuses to start with one line, exit status 2, no traceback, no secret.

Each case is a real process with one thing wrong, as an operator would meet it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scenarios.test_app import free_port
from tests.support.fakes.telegram_api import TOKEN
from tests.support.fakes.telegram_process import UNLIMITED, start_fake

REFUSED_TOKEN = "999999:refused-by-the-fake"


def run(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NUDGEBOT_")}
    env |= {
        "NUDGEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'nudgebot.db'}",
        "NUDGEBOT_TELEGRAM_TOKEN": TOKEN,
        "NUDGEBOT_HTTP_PORT": str(free_port()),
        "PYTHONWARNINGS": "default",  # an unclosed session would show as a warning
    } | settings
    return subprocess.run(
        [sys.executable, "-m", "nudgebot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def refused_in_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    lines = [line for line in result.stderr.splitlines() if "cannot start" in line]
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("cannot start: "), result.stderr
    assert "Traceback" not in result.stderr and "Unclosed" not in result.stderr, result.stderr
    for secret in (TOKEN, REFUSED_TOKEN, "s3cret"):
        assert secret not in result.stderr + result.stdout
    for words in expected:
        assert words in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def bot_api() -> Iterator[str]:
    process, url, _ = start_fake(UNLIMITED)
    try:
        yield f"{url}/bot"
    finally:
        process.kill()
        process.join(timeout=30)


def test_a_token_the_bot_api_refuses(tmp_path, bot_api):
    result = run(tmp_path, NUDGEBOT_TELEGRAM_TOKEN=REFUSED_TOKEN, NUDGEBOT_TELEGRAM_API_URL=bot_api)
    refused_in_one_line(result, "refused NUDGEBOT_TELEGRAM_TOKEN", "@BotFather")


def test_a_bot_api_url_where_nothing_answers(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/bot"
    result = run(tmp_path, NUDGEBOT_TELEGRAM_API_URL=url)
    refused_in_one_line(result, "cannot reach the Bot API", url, "NUDGEBOT_TELEGRAM_API_URL")


@pytest.mark.pg
def test_a_database_server_that_is_not_running(tmp_path):
    url = f"postgresql+asyncpg://postgres:s3cret@127.0.0.1:{free_port()}/test"
    line = refused_in_one_line(run(tmp_path, NUDGEBOT_DATABASE_URL=url), "connection refused")
    assert "postgres:***@" in line


@pytest.mark.pg
def test_a_role_the_database_does_not_know(tmp_path):
    url = "postgresql+asyncpg://no_such_role@127.0.0.1:5432/test"
    refused_in_one_line(run(tmp_path, NUDGEBOT_DATABASE_URL=url), 'role "no_such_role"')


def test_a_sqlite_file_in_a_directory_that_does_not_exist(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'nudgebot.db'}"
    refused_in_one_line(run(tmp_path, NUDGEBOT_DATABASE_URL=url), "does not exist", "create it")


def test_a_file_that_is_not_a_sqlite_database(tmp_path):
    (tmp_path / "nudgebot.db").write_bytes(b"this is no database " * 500)
    refused_in_one_line(run(tmp_path), "is not a SQLite database")


def _mount_read_only(directory: Path) -> bool:
    """Bind ``directory`` onto itself read-only (needs root, as on CI); False if not allowed."""
    if shutil.which("mount") is None:
        return False
    bound = subprocess.run(["mount", "--bind", str(directory), str(directory)], capture_output=True)
    if bound.returncode != 0:
        return False
    remount = ["mount", "-o", "remount,bind,ro", str(directory)]
    if subprocess.run(remount, capture_output=True).returncode != 0:
        subprocess.run(["umount", str(directory)], capture_output=True)
        return False
    return True


@pytest.mark.parametrize("with_file", [False, True], ids=["new-file", "existing-file"])
def test_a_sqlite_file_that_cannot_be_written(tmp_path, with_file):
    directory = tmp_path / "read-only"
    directory.mkdir()
    if with_file:
        (directory / "nudgebot.db").write_bytes(b"")  # SQLite takes an empty file as new
    if not _mount_read_only(directory):
        pytest.skip("a read-only mount needs root here (mount --bind, remount ro)")
    try:
        url = f"sqlite+aiosqlite:///{directory / 'nudgebot.db'}"
        refused_in_one_line(run(tmp_path, NUDGEBOT_DATABASE_URL=url), "cannot be written")
    finally:
        subprocess.run(["umount", str(directory)], check=True)


def test_a_migrated_sqlite_file_that_has_become_read_only(tmp_path):
    """Opening and migrating succeed (nothing to migrate); the first write would not."""
    database = tmp_path / "nudgebot.db"
    upgraded = subprocess.run(
        [sys.executable, "-m", "nudgebot", "db", "upgrade"],
        env=os.environ | {"NUDGEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{database}"},
        capture_output=True,
        timeout=60,
    )
    assert upgraded.returncode == 0, upgraded.stderr
    if (
        shutil.which("chattr") is None
        or subprocess.run(["chattr", "+i", str(database)], capture_output=True).returncode
    ):
        pytest.skip("making a file immutable needs chattr and root here")
    try:
        refused_in_one_line(run(tmp_path), "cannot be written")
    finally:
        subprocess.run(["chattr", "-i", str(database)], check=True)
