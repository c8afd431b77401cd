"""What a command is: its names, arguments, help per language and who may use it.

The entries themselves live in :mod:`nudgebot.commands.registry`; this module holds the
shape they share and the rules every platform derives its parser, menu and help from.
Nothing here knows a platform: an adapter says how a command is *spelled* on its
platform (``/pause`` on Telegram, ``/gutnudge pause`` on Slack) by passing ``spell``,
and says who a person is by the :data:`Authorize` function it hands to ``Commands``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from nudgebot.core.chats import Chat
from nudgebot.core.content import LANGUAGES, Lang
from nudgebot.core.outbound import Reply

if TYPE_CHECKING:
    from nudgebot.commands.usecases import UseCases

Run = Callable[["UseCases", Chat, list[str]], Awaitable[Reply]]
"""Reads a command's arguments (raising ``InputError`` on bad ones) and calls its use case."""


class Access(Enum):
    """Who may use a command in a shared chat (a group, a channel).

    In a private chat its owner may use every command but the operators' ones.
    """

    ANYONE = "anyone"
    """Reads only: any member may ask (``/streak``, ``/today``)."""
    CHAT_ADMIN = "chat_admin"
    """Changes the chat's subscription: a group's admins, a channel's managers."""
    OPERATOR = "operator"
    """Runs the bot itself (broadcasts, statistics): the bot's operators only."""


Authorize = Callable[[Access], Awaitable[str | None]]
"""An adapter's answer to "may this person do that here?": None, or the refusal's
catalogue key. Every command and every button goes through it before its use case runs."""


async def private_chat(access: Access) -> str | None:
    """The owner of a private chat: everything but the operators' commands."""
    return "operators_only" if access is Access.OPERATOR else None


_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_MAX_HELP = 256  # Telegram's limit on a menu entry's description


@dataclass(frozen=True, slots=True)
class Command:
    """One command.

    Attributes:
        name: what users type; also the Telegram menu entry. Lowercase, at most 32.
        run: parses the arguments and calls the use case.
        help: one line per language, shown in every help text and in Telegram's menu.
        usage: an example of the arguments for help texts (``"07:45"``), or empty.
        aliases: other names that do the same (``tz`` and ``timezone``).
        access: who may use it in a shared chat.
        free_text: takes the rest of the message as one argument, line breaks kept (or,
            with nothing after the name, the message it replies to): ``/broadcast``.
    """

    name: str
    run: Run
    help: Mapping[Lang, str]
    usage: str = ""
    aliases: tuple[str, ...] = ()
    access: Access = Access.ANYONE
    free_text: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def read_only(self) -> bool:
        return self.access is Access.ANYONE

    @property
    def changes_chat(self) -> bool:
        """Changes a shared chat's settings, so only its admins may use it there."""
        return self.access is Access.CHAT_ADMIN

    @property
    def operators_only(self) -> bool:
        return self.access is Access.OPERATOR


def slash(command: Command) -> str:
    """How a command is spelled in a chat with slash commands: ``/pause``."""
    return f"/{command.name}"


class Registry:
    """The commands in the order help texts list them; looked up by name or alias."""

    def __init__(self, *commands: Command) -> None:
        self._commands = commands
        self._by_name: dict[str, Command] = {}
        for command in commands:
            for name in command.names:
                if not _NAME.match(name):
                    raise ValueError(f"command name {name!r} is not [a-z][a-z0-9_]{{0,31}}")
                if name in self._by_name:
                    raise ValueError(f"command name {name!r} is registered twice")
                self._by_name[name] = command
            for lang in LANGUAGES:
                line = command.help.get(lang, "")
                if not 0 < len(line) <= _MAX_HELP or "\n" in line:
                    raise ValueError(f"/{command.name}: help in {lang!r} must be one line")

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands)

    def public(self) -> Iterator[Command]:
        """The commands everyone sees in help and menus: not the operators' ones."""
        return (command for command in self._commands if not command.operators_only)

    def find(self, name: str) -> Command | None:
        return self._by_name.get(name.lower())

    def names(self) -> tuple[str, ...]:
        """Every name and alias, for parsers that must recognise a command in free text."""
        return tuple(self._by_name)

    def help_lines(self, lang: Lang, spell: Callable[[Command], str] = slash) -> list[str]:
        """``/time 07:45 – change the time``: one line per command, spelled for a platform."""
        lines = []
        for command in self.public():
            usage = f" {command.usage}" if command.usage else ""
            lines.append(f"{spell(command)}{usage} – {command.help[lang]}")
        return lines


def parse_command(text: str) -> tuple[str, list[str]]:
    """``"/time@nudgebot 07:45"`` -> ``("time", ["07:45"])``; Slack text has no slash."""
    words = text.strip().split()
    if not words:
        return "", []
    name = words[0].lstrip("/").split("@", 1)[0].lower()
    return name, words[1:]


def free_text_of(text: str) -> str:
    """Everything after the command's name, line breaks kept: a free-text argument."""
    parts = text.strip().split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


__all__ = [
    "Access",
    "Authorize",
    "Command",
    "Registry",
    "Run",
    "free_text_of",
    "parse_command",
    "private_chat",
    "slash",
]
