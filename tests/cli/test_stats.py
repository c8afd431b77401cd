"""`nudgebot stats`: the numbers an admin reads, and the PNG they look at."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from nudgebot.cli.main import main
from nudgebot.store.db import open_store
from nudgebot.store.tables import Delivery, Engagement, Subscriber
from tests.support.broadcast_seeding import Seed, seed


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}"
    monkeypatch.setenv("NUDGEBOT_DATABASE_URL", url)
    today = datetime.now(UTC).date()

    async def _seed():
        async with open_store(url) as sessions:
            ids = await seed(
                sessions,
                [
                    Seed("telegram", "nl", streak=4),
                    Seed("slack", "en", "T1"),
                    Seed("telegram"),
                    Seed("telegram", "en", status="stopped"),
                ],
            )
            async with sessions() as session:
                for back in range(10):
                    day = today - timedelta(days=back)
                    for n, sid in enumerate(ids[:3]):
                        kind, item = ("tip", "tip-fiber") if n else ("myth", "myth-detox")
                        row = Delivery(subscriber_id=sid, local_date=day, item_id=item, kind=kind)
                        row.status = "sent"
                        session.add(row)
                        await session.flush()
                        if n == 0 or (n == 1 and back % 2 == 0):  # myth always, tip sometimes
                            session.add(
                                Engagement(
                                    delivery_id=row.id or 0,
                                    subscriber_id=sid,
                                    actor="x",
                                    answer="ok",
                                    local_date=day,
                                )
                            )
                await session.commit()

    asyncio.run(_seed())


def test_stats_prints_subscribers_answer_rates_streaks_and_items(db, capsys):
    assert main(["stats", "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "Subscribers (4)" in out
    assert "last 7 days" in out and "last 30 days" in out
    myth_row = next(line for line in out.splitlines() if line.startswith("│ myth"))
    assert "10 · 100%" in myth_row  # ten myths in 30 days, all answered
    tip_row = next(line for line in out.splitlines() if line.startswith("│ tip"))
    assert "20 · 25%" in tip_row  # 5 of 20 tips answered
    assert "myth-detox" in out and "tip-fiber" in out


def test_plot_writes_a_png_a_person_can_read(db, tmp_path, capsys):
    # matplotlib is an optional extra (nudgebot[plot]): without it there is nothing to check.
    imread = pytest.importorskip(
        "matplotlib.image", reason="the plot extra is not installed"
    ).imread

    target = tmp_path / "out" / "daily.png"
    assert main(["stats", "--days", "14", "--plot", str(target)]) == 0
    assert f"plot written to {target}" in capsys.readouterr().out.replace("\n", "")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = imread(target).shape
    assert (width, height) == (1200, 600)


@pytest.mark.parametrize("argv", [["--days", "0"], ["--plot", "chart.jpg"]])
def test_bad_stats_options_get_one_line_and_exit_2(db, capsys, argv):
    assert main(["stats", *argv]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_stats_shows_the_capacity_of_the_next_day_when_telegram_is_configured(
    db, monkeypatch, capsys
):
    monkeypatch.setenv("NUDGEBOT_TELEGRAM_TOKEN", "1:x")
    monkeypatch.setenv("NUDGEBOT_TELEGRAM_LIMIT_OVERALL", "1/60")  # one message a minute
    monkeypatch.setenv("NUDGEBOT_GRACE_MINUTES", "2")

    async def due_in_an_hour():
        url = os.environ["NUDGEBOT_DATABASE_URL"]
        async with open_store(url) as sessions, sessions() as session:
            await session.exec(
                update(Subscriber).values(next_due_utc=datetime.now(UTC) + timedelta(hours=1))
            )
            await session.commit()

    asyncio.run(due_in_an_hour())
    assert main(["stats"]) == 0
    out = capsys.readouterr().out.replace("\n", " ")
    assert "Capacity, telegram, next 24 hours" in out
    # Two Telegram subscribers due at once, one a minute (less the margin), two minutes of grace.
    assert "2 due" in out and "1 to be skipped" in out


def test_idle_subscribers_count_in_the_zero_bucket_not_the_longest(db, capsys):
    assert main(["stats"]) == 0
    rows = {
        cells[1].strip(): cells[2].strip()
        for line in capsys.readouterr().out.splitlines()
        if len(cells := line.split("│")) == 4
    }
    # Three subscribers are not stopped: one with a streak of 4, two with none.
    assert rows["0"] == "2"
    assert rows["3-6"] == "1"
    assert rows["30+"] == "0"


def test_stats_names_the_database_it_read_without_its_password(db, capsys, tmp_path):
    assert main(["stats"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"database: sqlite+aiosqlite:///{tmp_path / 'stats.db'}"
    )
    from nudgebot.store.db import shown_url

    assert shown_url("postgresql+asyncpg://bot:s3cret@db/nudge") == (
        "postgresql+asyncpg://bot:***@db/nudge"
    )


def test_a_window_without_deliveries_is_drawn_as_no_data(tmp_path):
    from nudgebot.cli.stats import daily_figure

    today = datetime.now(UTC).date()
    figure = daily_figure({}, first=today - timedelta(days=7), last=today)
    axes = figure.axes[0]
    assert [text.get_text() for text in axes.texts] == ["no nudges delivered in this window"]
    assert axes.get_ylim() == (0, 1)  # not -0.04 to 0.04


def test_plot_without_matplotlib_says_so_in_english_before_printing_anything(
    db, capsys, monkeypatch
):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    assert main(["stats", "--plot", "daily.png"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "--plot needs matplotlib: pip install 'nudgebot[plot]'."
