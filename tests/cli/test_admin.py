"""`nudgebot admin link`: one line, one link, one use; off says how to turn it on."""

from __future__ import annotations

import sqlite3

from nudgebot.cli.main import main
from tests.app.admin.console_client import SECRET


def test_admin_link_prints_a_one_time_link_and_stores_only_its_hash(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NUDGEBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    monkeypatch.setenv("NUDGEBOT_ADMIN_SECRET", SECRET)
    monkeypatch.setenv("NUDGEBOT_ADMIN_URL", "https://bot.example.org/")
    assert main(["admin", "link", "--workspace", "T1", "--minutes", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "one-time sign-in link, valid 5 minutes, sees Slack workspace T1:"
    link = out[-1]
    assert link.startswith("https://bot.example.org/admin/login?token=")
    token = link.split("=", 1)[1]
    with sqlite3.connect(tmp_path / "a.db") as db:
        stored = db.execute("select token_hash, workspace, who from admin_link").fetchall()
        audit = db.execute("select action, workspace from admin_audit").fetchall()
    assert len(stored) == 1 and token not in stored[0][0] and stored[0][1] == "T1"
    assert stored[0][2].startswith("cli:")
    assert audit == [("link created", "T1")]


def test_admin_link_without_a_secret_says_how_to_turn_the_console_on(tmp_path, capsys):
    assert main(["admin", "link"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == (
        "The web console is off: set NUDGEBOT_ADMIN_SECRET (32+ characters)."
    )
    assert not (tmp_path / "nudgebot.db").exists()


def test_a_short_admin_secret_stops_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("NUDGEBOT_ADMIN_SECRET", "short")
    assert main(["admin", "link"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("configuration: NUDGEBOT_ADMIN_SECRET")
    assert "short" not in line.split(":", 2)[2] or "32" in line
