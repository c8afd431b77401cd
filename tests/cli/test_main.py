"""The `nudgebot` command as a user runs it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def nudgebot(
    *args: str, env: dict[str, str] | None = None, cwd: Path
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "nudgebot", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        pytest.param("NUDGEBOT_DEFAULT_TIMEZONE", "Mars/Olympus", id="zone"),
        pytest.param("NUDGEBOT_DEFAULT_TIME", "25:00", id="time"),
        pytest.param("NUDGEBOT_GRACE_MINUTES", "lots", id="grace"),
        pytest.param("NUDGEBOT_DEFAULT_LANGUAGE", "fr", id="language"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(tmp_path, variable, value):
    result = nudgebot("run", env={variable: value}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert variable in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "nudgebot.db").exists()


def test_a_setting_can_come_from_a_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("NUDGEBOT_DEFAULT_TIMEZONE=Nowhere/Special\n")
    result = nudgebot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "NUDGEBOT_DEFAULT_TIMEZONE" in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path):
    result = nudgebot(
        "db", "upgrade", env={"NUDGEBOT_DATABASE_URL": "sqlite+aiosqlite:///x.db"}, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    tables = {
        row[0]
        for row in sqlite3.connect(tmp_path / "x.db").execute("select name from sqlite_master")
    }
    assert {"subscriber", "delivery", "engagement", "streak", "alembic_version"} <= tables


def test_db_upgrade_names_the_database_and_each_revision_it_applies(tmp_path):
    env = {"NUDGEBOT_DATABASE_URL": "sqlite+aiosqlite:///fresh.db"}
    first = nudgebot("db", "upgrade", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == f"database: sqlite+aiosqlite:///{tmp_path.resolve() / 'fresh.db'}"
    assert "applied 0001: initial schema" in lines
    assert any(line.startswith("applied 0006: ") for line in lines)
    again = nudgebot("db", "upgrade", env=env, cwd=tmp_path)
    assert again.stdout.splitlines()[1] == "0 revision(s) applied; the schema is up to date"


def test_db_upgrade_hides_the_password_of_the_url(tmp_path):
    env = {"NUDGEBOT_DATABASE_URL": "postgresql+asyncpg://bot:s3cret@127.0.0.1:1/none"}
    result = nudgebot("db", "upgrade", env=env, cwd=tmp_path)
    assert "s3cret" not in result.stdout + result.stderr
    assert "postgresql+asyncpg://bot:***@127.0.0.1:1/none" in result.stdout


def test_help_lists_the_settings_with_their_defaults(capsys):
    from nudgebot.cli.main import main

    for argv in (["--help"], ["run", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        assert "NUDGEBOT_DATABASE_URL = sqlite+aiosqlite:///nudgebot.db" in out
        assert "NUDGEBOT_TICK_SECONDS = 30.0" in out
        assert ".env file" in out
        assert "NUDGEBOT_TELEGRAM_TOKEN" in out
        assert "example" in out


def test_each_command_help_ends_with_an_example(capsys):
    from nudgebot.cli.main import main

    for command in ("simulate", "db", "content", "broadcast", "stats", "admin"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "example:\n  nudgebot " in out, command
    with pytest.raises(SystemExit):
        main(["simulate", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--days DAYS days of nudges each simulated subscriber gets (default: 30)" in out
    assert "(default: 500)" in out and "(default: 7)" in out


def test_a_kept_simulation_ends_today_so_stats_shows_it(tmp_path, capsys, monkeypatch):
    from nudgebot.cli.main import main

    url = f"sqlite+aiosqlite:///{tmp_path / 'sim.db'}"
    argv = ["simulate", "--days", "3", "--subscribers", "12", "--database", url]
    assert main(argv) == 0
    capsys.readouterr()
    monkeypatch.setenv("NUDGEBOT_DATABASE_URL", url)
    assert main(["stats", "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "Subscribers (12)" in out
    all_row = next(line for line in out.splitlines() if line.startswith("│ all"))
    assert all_row.split("│")[2].strip() != "-"  # nudges delivered in the last 7 days


@pytest.mark.slow
def test_a_short_simulation_reports_no_duplicates_and_no_misses(tmp_path):
    result = nudgebot("simulate", "--days", "3", "--subscribers", "20", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "duplicates: 0" in result.stdout
    assert "missed: 0" in result.stdout
    assert "with freezes and replayed without" in result.stdout
    assert "best, no freeze" in result.stdout
    assert "moved to three times a week:" in result.stdout
    assert "challenge series: joined 4;" in result.stdout  # every fifth person joins one


def test_a_bad_rate_limit_stops_start_up_with_one_line(tmp_path):
    env = {"NUDGEBOT_TELEGRAM_TOKEN": "123:abc", "NUDGEBOT_TELEGRAM_LIMIT_OVERALL": "lots"}
    result = nudgebot("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "NUDGEBOT_TELEGRAM_LIMIT_OVERALL: " in line and "123:abc" not in line


def test_incomplete_slack_settings_stop_start_up_with_a_clear_line(tmp_path):
    result = nudgebot("run", env={"NUDGEBOT_SLACK_CLIENT_ID": "123.456"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "NUDGEBOT_SLACK_CLIENT_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_with_console_off_and_no_platform_run_refuses_in_one_line_naming_what_to_set(tmp_path):
    # The container image sets NUDGEBOT_CONSOLE=false: no one is at a container's terminal.
    result = nudgebot("run", env={"NUDGEBOT_CONSOLE": "false"}, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "no platform is configured" in line
    assert "NUDGEBOT_TELEGRAM_TOKEN" in line and "NUDGEBOT_SLACK_BOT_TOKEN" in line
    assert not (tmp_path / "nudgebot.db").exists()


def test_console_off_changes_nothing_for_the_other_commands(tmp_path):
    env = {"NUDGEBOT_CONSOLE": "false", "NUDGEBOT_DATABASE_URL": "sqlite+aiosqlite:///x.db"}
    assert nudgebot("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    assert nudgebot("content", "check", env=env, cwd=tmp_path).returncode == 0
