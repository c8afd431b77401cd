"""The one entry point adapters call: typed text, button taps and the typed use cases.

:meth:`Commands.handle` is the only parser of typed text on every platform: a command
(``/time 07:45``, or Slack's ``time 07:45``), or a bare answer to the set-up's open
question (``07:45`` sets the time, ``Lisbon`` the zone: :mod:`.setup`); outside the
set-up a bare value is no command. :meth:`Commands.press` takes a
button's action string. Both look the command up in the registry, ask the adapter's
:data:`~.spec.Authorize` whether this person may use it here, and only then run it;
bad input is refused before the first write.
"""

from __future__ import annotations

import functools

from nudgebot.commands.admin import ACTION_PREFIX as BROADCAST_ACTION
from nudgebot.commands.admin import AdminUseCases
from nudgebot.commands.privacy import ACTION_PREFIX as PRIVACY_PREFIX
from nudgebot.commands.registry import REGISTRY
from nudgebot.commands.setup import STEPS, SetUp
from nudgebot.commands.spec import (
    Access,
    Authorize,
    Command,
    free_text_of,
    parse_command,
    private_chat,
)
from nudgebot.core.chats import Chat
from nudgebot.core.frequency import Frequency
from nudgebot.core.notes import REENGAGE_ACTIONS
from nudgebot.core.outbound import Reply
from nudgebot.core.texts import say
from nudgebot.core.timing import find_zone, parse_local_time
from nudgebot.errors import InputError


class Commands(AdminUseCases):
    """The use cases behind every command and button, reached by text, button or method."""

    @functools.cached_property
    def setup(self) -> SetUp:
        return SetUp(cases=self, sessions=self._sessions)

    async def handle(
        self,
        chat: Chat,
        text: str,
        *,
        authorize: Authorize = private_chat,
        quoted: str | None = None,
    ) -> Reply:
        """Typed text: a command, or a bare answer to the set-up's open question.

        ``quoted`` is the message this one replies to, if any: a free-text command with
        nothing after its name takes that (``/broadcast`` as a reply).
        """
        name, args = parse_command(text)
        command = REGISTRY.find(name)
        if command is not None and command.free_text:
            args = [free_text_of(text) or (quoted or "").strip()]
        bare = command is None and not text.lstrip().startswith("/")
        restart = command is not None and command.name == "start" and not args
        if bare or restart or (command is not None and command.name in STEPS):
            value = text if bare else " ".join(args)
            answered = await self._in_setup(chat, command, value, authorize)
            if answered is not None:
                return answered
        if command is None:
            hint = bare and (parse_local_time(text) is not None or find_zone(text) != [])
            lang = await self.language_of(chat)
            return Reply.say(say(lang, "bare_value_hint" if hint else "unknown_command"))
        return await self._run(chat, command, args, authorize)

    async def _in_setup(
        self, chat: Chat, command: Command | None, value: str, authorize: Authorize
    ) -> Reply | None:
        """The set-up's open question answered (or asked again by ``/start``), if it is open.

        A bare value, or the open step's own command, answers it; None: not set-up's.
        """
        step = await self.setup.step_of(chat)
        if step is None:
            return None
        if command is not None and command.name == "start":
            return None if value else await self.setup.ask(chat, step)
        if command is not None and command.name != step:
            return None
        refusal = await authorize(Access.CHAT_ADMIN)
        if refusal is not None:
            return Reply.say(say(await self.language_of(chat), refusal))
        return await self.setup.answer(chat, step, value)

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
        if command is None or command.name not in STEPS:
            return Reply(notice=say(await self.language_of(chat), "unknown_button"))
        refusal = await authorize(command.access)
        if refusal is not None:
            return Reply(notice=say(await self.language_of(chat), refusal), alert=True)
        if not await self.is_subscribed(chat):  # an old set-up button: no next question
            return Reply.say(say(self.hinted_language(chat), "not_subscribed"))
        if await self.setup.step_of(chat) == command.name:
            return await self.setup.answer(chat, command.name, value)
        try:  # a set-up button tapped after its step, or a zone offered by /tz
            return await command.run(self, chat, [value])
        except InputError as error:
            return Reply.say(say(await self.language_of(chat), error.key, **error.values))

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


__all__ = ["Commands"]
