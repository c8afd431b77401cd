"""On SQLite one `nudgebot run` serves a file; a second one says so in one line and stops."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.cli.test_main import nudgebot

pytestmark = pytest.mark.slow


def test_a_second_run_on_the_same_sqlite_file_is_refused_in_one_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("NUDGEBOT_")}
    with subprocess.Popen(
        [sys.executable, "-m", "nudgebot", "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    ) as first:
        try:
            deadline = time.monotonic() + 30
            while not (tmp_path / "nudgebot.db").exists():  # migrated: the lock is held
                assert first.poll() is None, first.stderr.read() if first.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
            second = nudgebot("run", cwd=tmp_path)
            assert second.returncode == 1
            lines = second.stderr.strip().splitlines()
            assert len(lines) == 1, second.stderr
            assert "already serving" in lines[0]
            assert "nudgebot.db" in lines[0]
            assert first.poll() is None  # the first one serves on
        finally:
            if first.stdin:
                first.stdin.close()  # end of input: the console session ends
            first.wait(timeout=30)
    third = subprocess.run(
        [sys.executable, "-m", "nudgebot", "run"],
        input="/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert third.returncode == 0, third.stderr  # the lock went with the first process
