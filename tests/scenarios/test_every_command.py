"""Every registered command is reachable on every platform and listed in every help.

Parametrised by nothing but the registry: a new entry in ``nudgebot/commands/registry.py``
is checked here on the console, on Telegram (the real PTB against the fake Bot API) and
on Slack (signed requests to the real Bolt app) without touching this file.
"""

from __future__ import annotations

import asyncio
import io

from nudgebot.adapters.console import ConsoleAdapter
from nudgebot.adapters.slack.blocks import slack_spelling
from nudgebot.commands import REGISTRY, Commands
from nudgebot.core.content import LANGUAGES
from nudgebot.core.texts import say
from tests.support.fakes.slack_world import open_world
from tests.support.fakes.telegram_harness import telegram_world

UNKNOWN = tuple(say(lang, "unknown_command") for lang in LANGUAGES)
EVERY_NAME = [name for command in REGISTRY.public() for name in command.names]
"""What every user can reach; operators' commands are tested in tests/cli."""


def reached(text: str) -> bool:
    return not any(unknown in text for unknown in UNKNOWN)


def lists_every_command(help_text: str, spell=lambda command: f"/{command.name}") -> list[str]:
    """The commands missing from a help text (none, when all is well)."""
    return [command.name for command in REGISTRY.public() if spell(command) not in help_text]


async def test_console_reaches_every_command_and_lists_them(sessions, pack, settings, clock):
    out = io.StringIO()
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    console = ConsoleAdapter(commands=commands, done=asyncio.Event(), out=out)
    await console.handle_line("/start")
    for name in EVERY_NAME:
        before = len(out.getvalue())
        await console.handle_line(f"/{name}")
        answer = out.getvalue()[before:]
        assert answer.strip() and reached(answer), (name, answer)
    for lang in LANGUAGES:
        await console.handle_line(f"/language {lang}")
        before = len(out.getvalue())
        await console.handle_line("/help")
        assert lists_every_command(out.getvalue()[before:]) == [], lang


async def test_console_answers_the_time_question_with_a_bare_time(sessions, pack, settings, clock):
    out = io.StringIO()
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    console = ConsoleAdapter(commands=commands, done=asyncio.Event(), out=out)
    for line in ("/start", "en", "Lisbon", "7.30pm"):
        await console.handle_line(line)
    assert "Time changed to 19:30" in out.getvalue()


async def test_telegram_reaches_every_command_and_lists_them(sessions, pack, settings, clock):
    chat = 4711
    async with telegram_world(settings=settings, sessions=sessions, pack=pack, clock=clock) as w:
        await w.says(chat, "/start", language="en")
        for name in EVERY_NAME:
            replies = await w.says(chat, f"/{name}")
            assert all(reached(reply) for reply in replies), (name, replies)
        for lang in LANGUAGES:
            await w.says(chat, f"/language {lang}")
            [help_text] = await w.says(chat, "/help")
            assert lists_every_command(help_text) == [], lang
            menu = [entry["command"] for entry in w.fake.menus[lang]]
            assert menu == [command.name for command in REGISTRY.public()]
            assert all(entry["description"] for entry in w.fake.menus[lang])
        assert [e["command"] for e in w.fake.menus[None]] == [c.name for c in REGISTRY.public()]


async def test_slack_reaches_every_command_and_lists_them(sessions, pack, settings, clock):
    async with open_world(base=settings, sessions=sessions, pack=pack, clock=clock) as world:
        world.fake.add_user("U1", tz="Europe/Amsterdam", locale="en-GB")
        await world.command("subscribe")
        slack_help = say("en", "slack_help")
        for name in EVERY_NAME:
            text = "\n".join(r["text"] for r in await world.command(name))
            assert reached(text), (name, text)
            assert (slack_help in text) == (name == "help"), (name, text)
        for lang in LANGUAGES:
            await world.command(f"language {lang}")
            shown = "\n".join(r["text"] for r in await world.command("help"))
            assert lists_every_command(shown, slack_spelling) == [], lang
