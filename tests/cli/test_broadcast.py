"""`nudgebot broadcast ...` as an operator types it: output, exit codes, what is stored."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from nudgebot.cli.main import main
from nudgebot.store.db import open_store
from tests.support.broadcast_seeding import Seed, seed


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "ops.db"
    url = f"sqlite+aiosqlite:///{path}"
    monkeypatch.setenv("NUDGEBOT_DATABASE_URL", url)

    async def _seed():
        async with open_store(url) as sessions:
            await seed(
                sessions,
                [Seed("telegram", "nl"), Seed("telegram", "en"), Seed("slack", "en", "T1")],
            )

    asyncio.run(_seed())
    return path


@pytest.fixture
def texts(tmp_path):
    (tmp_path / "nl.txt").write_text("Maandag start de kefir-uitdaging!\n")
    (tmp_path / "en.txt").write_text("The kefir challenge starts Monday <3 & more\n")
    return ["--text-nl", str(tmp_path / "nl.txt"), "--text-en", str(tmp_path / "en.txt")]


def count(path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute(f"select count(*) from {table}").fetchone()[0])


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse refusing an option
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_create_prints_a_summary_and_the_id_alone_on_the_last_line(db, texts, capsys):
    code, out, _ = run(capsys, "broadcast", "create", *texts, "--platform", "telegram")
    assert code == 0
    assert "Audience: 2 subscriber(s)" in out
    assert out.strip().splitlines()[-1] == "1"
    assert count(db, "broadcast") == 1
    assert count(db, "outbox") == 0  # nothing is sent before `send`


def test_dry_run_shows_audience_and_text_per_language_and_stores_nothing(db, texts, capsys):
    code, out, _ = run(capsys, "broadcast", "create", *texts, "--dry-run")
    assert code == 0
    assert "Audience: 3 subscriber(s)" in out
    assert "Maandag start de kefir-uitdaging!" in out
    assert "The kefir challenge starts Monday <3 & more" in out
    assert count(db, "broadcast") == 0


def test_send_status_list_and_cancel(db, texts, capsys):
    run(capsys, "broadcast", "create", *texts, "--language", "en")
    code, out, _ = run(capsys, "broadcast", "send", "1")
    assert code == 0
    assert "broadcast 1 is sending" in out
    code, out, _ = run(capsys, "broadcast", "status", "1")
    assert code == 0
    assert "Broadcast 1: sending" in out
    all_row = next(line for line in out.splitlines() if "all" in line)
    assert all_row.split("│")[2].strip() == "2"  # two pending: one per platform
    code, out, _ = run(capsys, "broadcast", "list")
    assert code == 0
    assert "language=en" in out
    code, out, _ = run(capsys, "broadcast", "cancel", "1")
    assert code == 0
    assert "cancelled" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["create", "--text-nl", "missing.txt"], "missing.txt", id="missing-file"),
        pytest.param(["create", "--text-nl", "empty.txt"], "missing or empty", id="empty-text"),
        pytest.param(["create", "--text-nl", "long.txt"], "3001", id="over-the-limit"),
        pytest.param(
            ["create", "--text-en", "nl.txt"],
            "The nl text (the default language) is missing or empty.",
            id="no-default-lang",
        ),
        pytest.param(["create", "--text-nl", "nl.txt", "--platform", "fax"], "fax", id="platform"),
        pytest.param(["create", "--text-nl", "nl.txt", "--language", "fr"], "fr", id="language"),
        pytest.param(["create", "--text-nl", "nl.txt", "--status", "gone"], "gone", id="status"),
        pytest.param(
            ["create", "--text-nl", "nl.txt", "--status", "stopped"], "stopped", id="stopped"
        ),
        pytest.param(["create", "--text-nl", "nl.txt", "--min-streak", "-3"], "0", id="streak"),
        pytest.param(["create", "--text-nl", "nl.txt", "--at", "soon"], "soon", id="bad-time"),
        pytest.param(["create", "--text-nl", "nl.txt", "--at", "2001-01-01T09"], "2001", id="past"),
        pytest.param(
            ["create", "--text-nl", "nl.txt", "--subscribed-after", "May"], "May", id="date"
        ),
        pytest.param(
            ["create", "--text-nl", "nl.txt", "--link", "ftp://x"], "ftp://x", id="bad-link"
        ),
        pytest.param(["create", "--text-nl", "nl.txt", "--bogus"], "--bogus", id="unknown-opt"),
        pytest.param(["send", "42"], "There is no broadcast with id 42.", id="unknown-id"),
        pytest.param(["show", "42"], "There is no broadcast with id 42.", id="show-unknown"),
        pytest.param(["status", "abc"], "abc", id="not-an-id"),
        pytest.param(["cancel", "42"], "42", id="cancel-unknown"),
    ],
)
def test_every_bad_input_gets_one_line_exit_2_and_stores_nothing(
    db, tmp_path, capsys, argv, message
):
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "long.txt").write_text("x" * 3001)
    (tmp_path / "nl.txt").write_text("Hallo")
    code, _, err = run(capsys, "broadcast", *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert message in lines[0]
    assert "Traceback" not in err
    assert count(db, "broadcast") == 0


def test_sending_a_cancelled_broadcast_is_refused(db, texts, capsys):
    run(capsys, "broadcast", "create", *texts)
    run(capsys, "broadcast", "cancel", "1")
    code, _, err = run(capsys, "broadcast", "send", "1")
    assert code == 2
    assert "cancelled" in err
    assert count(db, "outbox") == 0


def test_send_wait_follows_the_running_bot_until_done(db, texts, capsys, pack):
    import threading
    import time as clock_time

    from nudgebot.engine.delivery import DeliveryEngine
    from nudgebot.engine.outbox import OutboxWork, tick_with_outbox
    from nudgebot.store.tables import utc_now
    from tests.support.fakes.recording import FakeAdapter

    run(capsys, "broadcast", "create", *texts, "--platform", "telegram")
    adapter = FakeAdapter(platform="telegram")

    def the_running_bot() -> None:
        async def tick() -> None:
            async with open_store(f"sqlite+aiosqlite:///{db}", migrate=False) as sessions:
                engine = DeliveryEngine(
                    sessions=sessions, pack=pack, adapters={"telegram": adapter}, clock=utc_now
                )
                outbox = OutboxWork(sessions=sessions, clock=utc_now, default_language="nl")
                engine.add_work(outbox)
                await tick_with_outbox(engine, outbox)

        clock_time.sleep(1.0)  # `send --wait` is following by now
        asyncio.run(tick())

    bot = threading.Thread(target=the_running_bot)
    bot.start()
    code, out, _ = run(capsys, "broadcast", "send", "1", "--wait")
    bot.join()
    assert code == 0
    assert "2/2" in out  # the progress bar, complete
    assert "Broadcast 1: done" in out
    assert sorted(address for address, _ in adapter.sent) == ["1000", "1001"]


def test_show_prints_the_full_text_the_audience_and_the_figures(db, tmp_path, capsys):
    long_text = "Maandag start de kefir-uitdaging, " + "veertien dagen lang, " * 5 + "doe mee!"
    (tmp_path / "nl.txt").write_text(long_text)
    run(capsys, "broadcast", "create", "--text-nl", str(tmp_path / "nl.txt"), "--min-streak", "2")
    code, out, _ = run(capsys, "broadcast", "list")
    assert "…" in out  # the list only starts the text, and says so
    code, out, _ = run(capsys, "broadcast", "show", "1")
    assert code == 0
    assert long_text in " ".join(out.split())
    assert "min-streak=2" in out
    assert "Broadcast 1: draft" in out
    assert "(none: these subscribers get the default language's)" in out  # no en text
    assert "pending" in out  # the figures' columns


def test_send_says_a_running_bot_sends_it_and_whether_one_runs(db, texts, capsys):
    from nudgebot.store.single import only_instance

    url = f"sqlite+aiosqlite:///{db}"
    run(capsys, "broadcast", "create", *texts)
    run(capsys, "broadcast", "create", *texts)
    code, out, _ = run(capsys, "broadcast", "send", "1")
    assert code == 0
    flat = " ".join(out.split())
    assert "no `nudgebot run` is serving this database right now" in flat
    with only_instance(url):  # what a running `nudgebot run` holds
        code, out, _ = run(capsys, "broadcast", "send", "2")
    assert "a running `nudgebot run` is serving this database: it sends it now" in " ".join(
        out.split()
    )
