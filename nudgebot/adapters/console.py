"""The embedded default: one local subscriber chatting with the bot in a terminal.

It behaves like a private Telegram chat: the user types the same commands, and answers
buttons by typing their number. Reading stdin goes through the event loop (a pipe
transport), so the engine keeps ticking while the prompt waits and tests can drive the
process through stdin and stdout. The terminal's locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``) is the user's language hint, as Telegram's ``language_code`` is there.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from rich.console import Console

from nudgebot.adapters.failures import log_failure
from nudgebot.commands import REGISTRY, Access, Commands, parse_command
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import Lang
from nudgebot.core.numbers import parse_number
from nudgebot.core.outbound import Button, Document, Message, Reply
from nudgebot.core.sending import Delivered, SendResult, Starting
from nudgebot.core.texts import say

logger = logging.getLogger(__name__)

CONSOLE_RECIPIENT = Recipient(platform="console", address="local")
QUIT_WORDS = {"/quit", "/exit", "quit", "exit"}
PROMPT = "> "
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""POSIX's order: the first one set names the language of messages."""


def locale_hint(environ: Mapping[str, str] | None = None) -> str | None:
    """The terminal's locale ("en_US.UTF-8"), or None when none is set."""
    environ = os.environ if environ is None else environ
    return next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), None)


def files_directory(home: Path | None = None) -> Path:
    """Where files for the user go: ``~/Downloads`` if there is one, else the home directory.

    Never the working directory: in the quick start that is the checkout, and a personal
    data export must not end up next to the code (or in a commit).
    """
    home = home or Path.home()
    downloads = home / "Downloads"
    return downloads if downloads.is_dir() else home


async def _owner(access: Access) -> str | None:
    """Whoever sits at the terminal runs this bot: every command is theirs."""
    return None


class ConsoleAdapter:
    platform = "console"

    def __init__(
        self,
        *,
        commands: Commands,
        done: asyncio.Event,
        out: TextIO | None = None,
        files_dir: Path | None = None,
        language_hint: str | None = None,
    ) -> None:
        """``language_hint``: the terminal's locale (:func:`locale_hint`), if it has one."""
        self._commands = commands
        self._done = done
        self._out = out or sys.stdout
        self._files_dir = files_dir or files_directory()
        # Bold titles on a terminal; plain text when piped (rich decides).
        self._console = Console(
            file=self._out, highlight=False, markup=False, emoji=False, soft_wrap=True
        )
        self._buttons: list[Button] = []
        self._task: asyncio.Task[None] | None = None
        self._chat = Chat(recipient=CONSOLE_RECIPIENT, language_hint=language_hint)

    async def start(self) -> None:
        """Greet in the user's language: a newcomer is told how to begin, a subscriber not."""
        lang = await self._language()
        subscribed = await self._commands.subscription.is_subscribed(self._chat)
        key = "console_back" if subscribed else "console_hello"
        self._print(say(lang, key))
        self._prompt()
        self._task = asyncio.create_task(self._read_loop())

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def send(
        self, recipient: Recipient, message: Message, *, starting: Starting | None = None
    ) -> SendResult:
        if starting is not None:
            await starting()
        self._show(message)
        return Delivered(ref=f"console-{id(message)}")

    async def _read_loop(self) -> None:
        reader = asyncio.StreamReader()
        loop = asyncio.get_running_loop()
        transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
        )
        try:
            while not self._done.is_set():
                try:
                    raw = await reader.readline()
                except ValueError:  # longer than the reader's 64 KiB limit; it was dropped
                    self._print("(that line was too long to read)")
                    continue
                if not raw:
                    self._print("")  # Ctrl-D leaves the cursor after the prompt
                    break
                line = raw.decode(errors="replace").strip()
                if line.lower() in QUIT_WORDS:
                    break
                if line:
                    await self.handle_line(line)
                self._prompt()
        finally:
            transport.close()
            if not self._done.is_set():
                self._print(say(await self._language(), "console_bye"))
            self._done.set()

    async def handle_line(self, line: str) -> None:
        """Answer one typed line, whatever it holds: the console's error boundary.

        The read loop must outlive any input (one bad line ended the chat), so
        a failure is apologised for and logged in one line, and the prompt goes on.
        """
        try:
            reply = await self._answer(line)
        except Exception as error:
            log_failure(logger, platform=self.platform, who=self._chat.who, error=error)
            self._print(say(await self._language(), "sorry_failed"))
            return
        if reply is not None:
            self._show_reply(reply)

    async def _answer(self, line: str) -> Reply | None:
        if line.isdigit():  # a button's number; "²" is a digit too, but no button's
            number = parse_number(line, minimum=1, maximum=len(self._buttons))
            if number is None:
                self._print(f"(no button {line[:20]} here)")
                return None
            action = self._buttons[number - 1].action
            return await self._commands.press(self._chat, action, authorize=_owner)
        reply = await self._commands.handle(self._chat, line, authorize=_owner)
        if REGISTRY.find(parse_command(line)[0]) is REGISTRY.find("help") and reply.messages:
            # The console's own command, which no other platform has, ends its help.
            *others, last = reply.messages
            quit_line = say(await self._language(), "console_quit_help")
            reply = replace(
                reply, messages=(*others, replace(last, text=f"{last.text}\n{quit_line}"))
            )
        return reply

    async def _language(self) -> Lang:
        try:
            return await self._commands.language_of(self._chat)
        except Exception:  # the store itself failed; the apology still has to come
            return "en"

    def _show_reply(self, reply: Reply) -> None:
        if reply.edit is not None:
            self._show(reply.edit)
        elif reply.notice:
            self._print(f"({reply.notice})")
        for message in reply.messages:
            self._show(message)
        if reply.document is not None:
            path = self._write(reply.document)
            self._print(f"📎 {reply.document.caption}\n   {path}\n")

    def _write(self, document: Document) -> Path:
        """Save a file for the user, readable by them only: it may hold their data."""
        path = (self._files_dir / Path(document.filename).name).resolve()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(document.content)
        return path

    def _show(self, message: Message) -> None:
        self._print("")
        if message.title:
            self._console.print(message.title, style="bold")
            self._print("")
        self._print(replace(message, title=None).plain())
        if message.buttons:
            self._buttons = list(message.buttons)
            self._print("   ".join(f"[{n}] {b.label}" for n, b in enumerate(message.buttons, 1)))
        self._print("")

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    def _prompt(self) -> None:
        """The prompt, without a line break: the user types after it."""
        self._out.write(PROMPT)
        self._out.flush()
