"""The one entry point adapters call: typed text, button taps and the typed use cases.

:meth:`Commands.handle` is the only parser of typed text on every platform: a command
(``/time 07:45``, or Slack's ``time 07:45``), or a bare answer to the set-up's last
question (``07:45`` sets the time, ``Lisbon`` the zone). :meth:`Commands.press` takes a
button's action string. Both look the command up in the registry, ask the adapter's
:data:`~.spec.Authorize` whether this person may use it here, and only then run it;
bad input is refused before the first write.
"""

from __future__ import annotations

from collections.abc import Callable

from nudgebot.commands.admin import ACTION_PREFIX as BROADCAST_ACTION
from nudgebot.commands.admin import AdminUseCases
from nudgebot.commands.privacy import ACTION_PREFIX as PRIVACY_PREFIX
from nudgebot.commands.registry import REGISTRY
from nudgebot.commands.spec import (
    Access,
    Authorize,
    Command,
    free_text_of,
    parse_command,
    private_chat,
)
from nudgebot.core.chats import Chat
from nudgebot.core.content import Lang
from nudgebot.core.frequency import Frequency
from nudgebot.core.notes import REENGAGE_ACTIONS
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.texts import say
from nudgebot.core.timing import parse_local_time, parse_zone, search_zones
from nudgebot.errors import InputError

COMMON_ZONES = (
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/London",
    "America/New_York",
    "Asia/Singapore",
    "Australia/Sydney",
)
COMMON_TIMES = ("07:00", "07:30", "08:00", "09:00", "12:30", "18:00")


def _zone_buttons(_lang: Lang) -> tuple[Button, ...]:
    return tuple(
        Button(zone.split("/")[-1].replace("_", " "), f"set:tz:{zone}") for zone in COMMON_ZONES
    )


def _time_buttons(_lang: Lang) -> tuple[Button, ...]:
    return tuple(Button(t, f"set:time:{t}") for t in COMMON_TIMES)


def _often_buttons(lang: Lang) -> tuple[Button, ...]:
    return tuple(
        Button(say(lang, key), f"set:often:{frequency.value}")
        for key, frequency in (
            ("button_daily", Frequency.DAILY),
            ("button_weekdays", Frequency.WEEKDAYS),
            ("button_thrice", Frequency.THRICE),
        )
    )


_SETUP_STEPS: dict[str, tuple[str, Callable[[Lang], tuple[Button, ...]]] | None] = {
    "language": ("ask_timezone", _zone_buttons),
    "tz": ("ask_time", _time_buttons),
    "time": ("ask_often", _often_buttons),
    "often": None,
}
"""The guided set-up: a ``set:<command>:<value>`` button runs that command, then asks the
next question (None: the summary). The command may be named by an alias (``set:lang:nl``)."""


class Commands(AdminUseCases):
    """The use cases behind every command and button, reached by text, button or method."""

    async def handle(
        self,
        chat: Chat,
        text: str,
        *,
        authorize: Authorize = private_chat,
        quoted: str | None = None,
    ) -> Reply:
        """Typed text: a command, or a bare time or zone (the set-up's questions).

        ``quoted`` is the message this one replies to, if any: a free-text command with
        nothing after its name takes that (``/broadcast`` as a reply).
        """
        name, args = parse_command(text)
        command = REGISTRY.find(name)
        if command is not None and command.free_text:
            args = [free_text_of(text) or (quoted or "").strip()]
        if command is None and not text.lstrip().startswith("/"):
            bare = text.strip()[:64]
            if parse_local_time(bare) is not None:
                command, args = REGISTRY.find("time"), [bare]
            elif parse_zone(bare) is not None or search_zones(bare):
                command, args = REGISTRY.find("tz"), bare.split()
        if command is None:
            return Reply.say(say(await self.language_of(chat), "unknown_command"))
        return await self._run(chat, command, args, authorize)

    async def _run(
        self, chat: Chat, command: Command, args: list[str], authorize: Authorize
    ) -> Reply:
        refusal = await authorize(command.access)
        if refusal is not None:
            return Reply.say(say(await self.language_of(chat), refusal))
        try:
            return await command.run(self, chat, args)
        except InputError as error:
            return Reply.say(say(await self.language_of(chat), error.key, **error.values))

    async def press(self, chat: Chat, action: str, *, authorize: Authorize = private_chat) -> Reply:
        """A button: a nudge answer, a set-up step, a series, or a question's answer.

        Nudge answers (``n:...``) are anyone's; a set-up step (``set:...``) has its
        command's access, the ``/delete`` confirmation (``privacy:...``) ``/delete``'s, a
        broadcast decision the operators'; a series (``ch:...``) and the re-engagement
        question (``re:...``) the chat's admins'. Any tap starts re-engagement over (a
        nudge answer in its own transaction, the commonest tap of all).
        """
        if action.startswith("n:"):
            return await self.answer(chat, action)
        await self.tapped(chat)
        if action.startswith(("ch:", "re:")):
            refusal = await authorize(Access.CHAT_ADMIN)
            if refusal is not None:
                return Reply(notice=say(await self.language_of(chat), refusal), alert=True)
            if action.startswith("ch:"):
                return await self.challenges.press(chat, action)
            return await self._reengage_answer(chat, action)
        if action.startswith(PRIVACY_PREFIX):
            erase = REGISTRY.find("delete")
            assert erase is not None
            refusal = await authorize(erase.access)
            if refusal is not None:
                return Reply(notice=say(await self.language_of(chat), refusal), alert=True)
            return await self.privacy.press(chat, action)
        if action.startswith(BROADCAST_ACTION):
            if await authorize(Access.OPERATOR) is not None:
                return Reply(notice=say(await self.language_of(chat), "unknown_button"))
            return await self.decide_broadcast(chat, action)
        name, _, value = action.removeprefix("set:").partition(":")
        command = REGISTRY.find(name) if action.startswith("set:") else None
        if command is None or command.name not in _SETUP_STEPS:
            return Reply(notice=say(await self.language_of(chat), "unknown_button"))
        refusal = await authorize(command.access)
        if refusal is not None:
            return Reply(notice=say(await self.language_of(chat), refusal), alert=True)
        if not await self.is_subscribed(chat):  # an old set-up button: no next question
            return Reply.say(say(self.hinted_language(chat), "not_subscribed"))
        try:
            reply = await command.run(self, chat, [value])
        except InputError as error:
            return Reply.say(say(await self.language_of(chat), error.key, **error.values))
        follow_up = _SETUP_STEPS[command.name]
        if follow_up is None:
            return await self.summary(chat)
        key, buttons = follow_up
        lang = await self.language_of(chat)
        question = Message(text=say(lang, key), buttons=buttons(lang))
        return Reply(messages=(*reply.messages, question))

    async def _reengage_answer(self, chat: Chat, action: str) -> Reply:
        """Keep the pace, three times a week, or stop (:data:`REENGAGE_ACTIONS`)."""
        keep, thrice, stop = REENGAGE_ACTIONS
        if action == stop:
            return await self.stop(chat)
        if action == thrice:
            return await self.set_often(chat, Frequency.THRICE)
        if action == keep:
            return await self.keep_pace(chat)
        return Reply(notice=say(await self.language_of(chat), "unknown_button"))


__all__ = ["COMMON_TIMES", "COMMON_ZONES", "Commands"]
