"""`nudgebot run` with no platform configured: a terminal chat, driven through stdin/stdout."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from nudgebot.store.db import open_store
from nudgebot.store.tables import Subscriber
from tests.support.personal_data import dump
from tests.support.store_dump import break_deliveries


class ConsoleSession:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.seen = ""

    async def expect(self, text: str, within: float = 15) -> str:
        assert self.process.stdout is not None
        async with asyncio.timeout(within):
            while text not in self.seen:
                chunk = await self.process.stdout.read(4096)
                if not chunk:
                    raise AssertionError(f"process ended before {text!r}; output:\n{self.seen}")
                self.seen += chunk.decode()
        before, _, after = self.seen.partition(text)
        self.seen = after
        return before + text

    async def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()


async def start_console(tmp_path: Path, *, locale: str) -> ConsoleSession:
    """``nudgebot run`` in ``tmp_path`` (also its home) with the terminal locale ``locale``."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")},
        "LANG": locale,
        "HOME": str(tmp_path),
        "NUDGEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        "NUDGEBOT_TICK_SECONDS": "0.2",
        "NUDGEBOT_LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "nudgebot",
        "run",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    return ConsoleSession(process)


@asynccontextmanager
async def running_console(tmp_path: Path, *, locale: str) -> AsyncIterator[ConsoleSession]:
    """:func:`start_console`, killed at the end if it has not ended by itself."""
    session = await start_console(tmp_path, locale=locale)
    try:
        yield session
    finally:
        if session.process.returncode is None:
            session.process.kill()
            await session.process.wait()


@pytest.fixture
async def console(tmp_path: Path):
    """A Dutch terminal's console, past its greeting."""
    async with running_console(tmp_path, locale="nl_NL.UTF-8") as session:
        await session.expect("Typ /start")
        yield session


async def test_a_new_user_sets_up_and_answers_todays_nudge(console):
    await console.type("/start")
    await console.expect("Welke taal")
    await console.type("2")
    await console.expect("Language changed to English")
    await console.expect("Which time zone")
    await console.type("/tz Europe/Brussels")
    await console.expect("Time zone changed to Europe/Brussels")
    await console.type("/time 25:00")
    await console.expect("isn't a time I understand")
    await console.type("/pause -3")
    await console.expect("1 to 365 days")
    await console.type("/today")
    await console.expect("📚 Source")
    await console.expect("[1]")
    await console.type("1")
    await console.expect("Streak: 1 day")
    await console.type("/streak")
    await console.expect("Best ever: 1 day")
    await console.type("/quit")
    assert await asyncio.wait_for(console.process.wait(), 10) == 0


async def test_a_nudge_arrives_when_it_is_due(console, tmp_path):
    await console.type("/start")
    await console.expect("Welke taal")
    now_local = datetime.now(ZoneInfo("Europe/Amsterdam"))
    await console.type(f"/time {now_local:%H:%M}")
    await console.expect(f"Tijd aangepast naar {now_local:%H:%M}")
    # This minute has begun, so the next nudge is tomorrow's: move it to now, as if a day passed.
    async with (
        open_store(f"sqlite+aiosqlite:///{tmp_path / 'console.db'}", migrate=False) as sessions,
        sessions() as session,
    ):
        subscriber = (await session.exec(select(Subscriber))).one()
        now = datetime.now(UTC)
        subscriber.next_due_utc = now
        subscriber.next_local_date = now.astimezone(ZoneInfo("Europe/Amsterdam")).date()
        session.add(subscriber)
        await session.commit()
    await console.expect("📚 Bron", within=20)
    await console.expect("[1]")
    console.process.stdin.close()  # end of input ends the session cleanly
    assert await asyncio.wait_for(console.process.wait(), 10) == 0


async def test_mydata_writes_a_file_and_delete_erases_everything(console, tmp_path):
    await console.type("/start")
    await console.expect("Welke taal")
    await console.type("2")
    await console.expect("Which time zone")
    await console.type("/today")
    await console.expect("[1]")
    await console.type("1")
    await console.expect("Streak: 1 day")
    await console.type("/mydata")
    shown = await console.expect(".json\n")
    path = Path(shown.rsplit("\n", 2)[-2].strip())
    mode, export = read_export(path)
    assert path.parent == tmp_path and mode & 0o077 == 0  # readable by the user only
    assert export["chat"]["address"] == "local"
    assert {"subscriber", "delivery", "engagement", "streak"} <= set(export["tables"])
    await console.type("/delete")
    await console.expect("[1] 🗑️ Yes, erase everything   [2] No, keep it")
    await console.type("1")
    await console.expect("Erased:")
    async with open_store(
        f"sqlite+aiosqlite:///{tmp_path / 'console.db'}", migrate=False
    ) as sessions:
        data = await dump(sessions)
    assert not [name for name, rows in data.items() if rows]
    await console.type("/quit")
    assert await asyncio.wait_for(console.process.wait(), 10) == 0


async def test_the_console_keeps_answering_after_any_input(console):
    await console.type("/start")
    await console.expect("Welke taal")
    for line in ("/pause ²", "/pause ①", "/pause " + "9" * 5000, "²", "①", "99999999999999999999"):
        await console.type(line)
    await console.type("x" * 70_000)  # past the reader's 64 KiB line limit
    await console.type("/help")
    await console.expect("/resume")
    await console.type("/quit")
    assert await asyncio.wait_for(console.process.wait(), 10) == 0


async def test_a_failing_command_in_the_console_gets_an_apology_and_the_chat_goes_on(
    console, tmp_path
):
    await console.type("/start")
    await console.expect("Welke taal")
    async with open_store(
        f"sqlite+aiosqlite:///{tmp_path / 'console.db'}", migrate=False
    ) as sessions:
        await break_deliveries(sessions)
    await console.type("/today")
    await console.expect("Sorry, daar ging bij mij iets mis")
    await console.type("/help")
    await console.expect("/resume")


def read_export(path: Path) -> tuple[int, dict[str, Any]]:
    export: dict[str, Any] = json.loads(path.read_text())
    return path.stat().st_mode, export


async def test_an_english_terminal_is_greeted_in_english_with_a_prompt_and_a_goodbye(tmp_path):
    async with running_console(tmp_path, locale="en_US.UTF-8") as console:
        greeting = await console.expect("> ")
        assert "nudgebot in your terminal. Type /start to subscribe" in greeting
        await console.type("/start")
        await console.expect("Hi! I'm nudgebot")
        await console.expect("> ")
        for line in ("english", "Lisbon", "7.45pm", "weekdays"):
            await console.type(line)
        await console.expect("All set! You'll get a nudge on weekdays at 19:45 (Europe/Lisbon)")
        assert console.process.stdin is not None
        console.process.stdin.close()  # Ctrl-D
        await console.expect("Bye! Everything is kept")
        assert await asyncio.wait_for(console.process.wait(), 10) == 0


async def test_a_subscriber_is_welcomed_back_not_told_to_subscribe(tmp_path):
    for expected in ("Type /start to subscribe", "Welcome back: /today"):
        async with running_console(tmp_path, locale="en_GB.UTF-8") as console:
            await console.expect(expected)
            await console.type("/start 08:00")
            await console.expect("All set!")
            await console.type("/quit")
            assert await asyncio.wait_for(console.process.wait(), 10) == 0


async def test_mydata_goes_to_downloads_not_the_working_directory(tmp_path):
    (tmp_path / "Downloads").mkdir()
    async with running_console(tmp_path, locale="C.UTF-8") as console:  # neither: English
        await console.expect("Type /start")
        await console.type("/start 08:00")
        await console.type("/mydata")
        shown = await console.expect(".json\n")
        path = Path(shown.rsplit("\n", 2)[-2].strip())
        assert path.parent == tmp_path / "Downloads"
        assert not list(tmp_path.glob("*.json"))  # the working directory stays clean
        await console.type("/quit")
        assert await asyncio.wait_for(console.process.wait(), 10) == 0
