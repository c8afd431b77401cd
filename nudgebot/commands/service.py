"""The one entry point adapters call: typed text, button taps and the typed use cases.

:meth:`Commands.handle` is the only parser of typed text on every platform: a command
(``/time 07:45``, or Slack's ``time 07:45``), or a bare answer to the set-up's open
question (``07:45`` sets the time, ``Lisbon`` the zone: :mod:`.setup`); outside the
set-up a bare value is no command. :meth:`Commands.press` takes a
button's action string and routes it by its type through :data:`PRESSES`. Both ask the
adapter's :data:`~.spec.Authorize` whether this person may do that here, and only then
run the use case; bad input is refused before the first write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nudgebot.commands.admin import ChatBroadcasts, ConsoleLinks
from nudgebot.commands.broadcasts import Broadcasts
from nudgebot.commands.challenges import Challenges
from nudgebot.commands.languages import Languages
from nudgebot.commands.nudges import Nudges
from nudgebot.commands.preferences import Preferences
from nudgebot.commands.privacy import Privacy
from nudgebot.commands.registry import REGISTRY
from nudgebot.commands.setup import STEPS, SetUp, question
from nudgebot.commands.spec import (
    Access,
    Authorize,
    Command,
    free_text_of,
    parse_command,
    private_chat,
)
from nudgebot.commands.subscription import Subscription
from nudgebot.commands.workspaces import Workspaces
from nudgebot.core.actions import (
    Action,
    AskSetting,
    BroadcastDecision,
    ConfirmErase,
    JoinSeries,
    KeepData,
    LeaveSeries,
    NudgeAnswer,
    Reengage,
    ReengageAnswer,
    Reread,
    SetupStep,
    parse_action,
)
from nudgebot.core.chats import Chat
from nudgebot.core.clock import Clock
from nudgebot.core.content import ContentPack, Lang
from nudgebot.core.frequency import Frequency
from nudgebot.core.outbound import Reply
from nudgebot.core.texts import say
from nudgebot.core.timing import find_zone, parse_local_time
from nudgebot.errors import InputError
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions


class Commands:
    """Typed text and button presses in, replies out; the use-case services composed.

    Each service gets only what it uses from the settings. Adapters call :meth:`handle`
    and :meth:`press`, and a service directly when they hold a structured value (Slack's
    time picker: ``commands.subscription.set_time``).
    """

    def __init__(
        self, *, sessions: Sessions, pack: ContentPack, settings: Settings, clock: Clock
    ) -> None:
        self.pack = pack
        self.languages = Languages(sessions=sessions, default_language=settings.default_language)
        self.subscription = Subscription(
            sessions=sessions,
            clock=clock,
            languages=self.languages,
            default_timezone=settings.default_timezone,
            default_time=settings.default_time,
        )
        self.nudges = Nudges(sessions=sessions, pack=pack, clock=clock, languages=self.languages)
        self.challenges = Challenges(sessions=sessions, pack=pack, clock=clock)
        self.privacy = Privacy(
            sessions=sessions,
            clock=clock,
            language_of=self.languages.of,
            retention_days=settings.retention_days,
        )
        self.broadcasts = ChatBroadcasts(
            broadcasts=Broadcasts(
                sessions=sessions, default_language=settings.default_language, clock=clock
            ),
            languages=self.languages,
            default_language=settings.default_language,
        )
        self.workspaces = Workspaces(sessions=sessions)
        self.preferences = Preferences(
            sessions=sessions, clock=clock, languages=self.languages, pack=pack
        )
        self.console = ConsoleLinks(sessions=sessions, settings=settings, clock=clock)
        self.setup = SetUp(cases=self, sessions=sessions)

    async def language_of(self, chat: Chat) -> Lang:
        """The language to answer ``chat`` in: its subscriber's, else the hinted one."""
        return await self.languages.of(chat)

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
        """A button: its action is parsed, then :data:`PRESSES` says who may press it and what runs.

        Any press starts re-engagement over, even a refused or unknown one (a nudge answer
        does it in its own transaction: the commonest press of all).
        """
        parsed = parse_action(action)
        rule = PRESSES.get(type(parsed)) if parsed is not None else None
        if rule is None or rule.resets_reengagement:
            await self.nudges.pressed(chat)
        access = rule.who_may(parsed) if rule is not None else None
        if rule is None or access is None:
            return Reply(notice=say(await self.language_of(chat), "unknown_button"))
        refusal = await authorize(access)
        if refusal is not None:
            lang = await self.language_of(chat)
            if rule.hidden:
                return Reply(notice=say(lang, "unknown_button"))
            return Reply(notice=say(lang, refusal), alert=True)
        return await rule.run(self, chat, parsed)

    async def _setup_step(self, chat: Chat, step: SetupStep) -> Reply:
        """A set-up button: the open question's answer, else just its command run.

        An answer moves the set-up on (:mod:`.setup`); a button of a step already past,
        or a zone offered by ``/tz york``, only changes what it says.
        """
        command = REGISTRY.find(step.command)
        assert command is not None  # who_may found it
        if not await self.subscription.is_subscribed(chat):  # an old set-up button
            return Reply.say(say(self.languages.hinted(chat), "not_subscribed"))
        if await self.setup.step_of(chat) == command.name:
            return await self.setup.answer(chat, command.name, step.value)
        try:
            return await command.run(self, chat, [step.value] if step.value else [])
        except InputError as error:
            return Reply.say(say(await self.language_of(chat), error.key, **error.values))


async def _reengage_answer(cases: Commands, chat: Chat, answer: ReengageAnswer) -> Reply:
    """Keep the frequency, three times a week, or stop."""
    match answer.choice:
        case Reengage.STOP:
            return await cases.subscription.stop(chat)
        case Reengage.THRICE:
            return await cases.subscription.set_frequency(chat, Frequency.THRICE)
        case Reengage.KEEP:
            return await cases.subscription.keep_frequency(chat)


A = TypeVar("A", bound=Action)


@dataclass(frozen=True)  # no slots: a subscripted generic sets __orig_class__
class ButtonRule(Generic[A]):
    """How :meth:`Commands.press` treats one type of action.

    Attributes:
        who_may: the access a press needs (the adapter's :data:`~.spec.Authorize` is
            asked), or None when the action names nothing that exists: an unknown button.
        run: the use case, called once the press is allowed.
        hidden: a refusal is answered as an unknown button, so the button is not even
            seen to exist (the operators' ones).
        resets_reengagement: False when ``run`` starts re-engagement over itself.
    """

    who_may: Callable[[A], Access | None]
    run: Callable[[Commands, Chat, A], Awaitable[Reply]]
    hidden: bool = False
    resets_reengagement: bool = True


def _always(access: Access) -> Callable[[Action], Access]:
    return lambda _action: access


BUTTON_COMMANDS = (*STEPS, "summary", "kinds", "quiet", "pause", "resume")
"""The commands a :class:`SetupStep` button may run: set-up's, and ``/settings``' own."""


def _setup_access(step: SetupStep) -> Access | None:
    """The step's command decides: a button may only run one of :data:`BUTTON_COMMANDS`."""
    command = REGISTRY.find(step.command)
    return command.access if command is not None and command.name in BUTTON_COMMANDS else None


async def _ask_setting(cases: Commands, chat: Chat, wanted: AskSetting) -> Reply:
    """A ``/settings`` button: the set-up's own question for its four, else the setting's."""
    if wanted.setting in STEPS:
        return Reply(messages=(question(wanted.setting, await cases.language_of(chat)),))
    return await cases.preferences.ask(chat, wanted.setting)


def _erase_access(_action: Action) -> Access:
    """The ``/delete`` confirmation needs what ``/delete`` itself needs."""
    erase = REGISTRY.find("delete")
    assert erase is not None
    return erase.access


PRESSES: Mapping[type[Action], ButtonRule[Any]] = {
    NudgeAnswer: ButtonRule[NudgeAnswer](
        _always(Access.ANYONE),
        lambda cases, chat, answer: cases.nudges.answer(chat, answer),
        resets_reengagement=False,
    ),
    SetupStep: ButtonRule[SetupStep](_setup_access, Commands._setup_step),
    JoinSeries: ButtonRule[JoinSeries](
        _always(Access.CHAT_ADMIN), lambda cases, chat, join: cases.challenges.join(chat, join)
    ),
    LeaveSeries: ButtonRule[LeaveSeries](
        _always(Access.CHAT_ADMIN), lambda cases, chat, _leave: cases.challenges.leave(chat)
    ),
    ReengageAnswer: ButtonRule[ReengageAnswer](_always(Access.CHAT_ADMIN), _reengage_answer),
    ConfirmErase: ButtonRule[ConfirmErase](
        _erase_access, lambda cases, chat, erase: cases.privacy.erase(chat, erase)
    ),
    KeepData: ButtonRule[KeepData](
        _erase_access, lambda cases, chat, _keep: cases.privacy.keep(chat)
    ),
    AskSetting: ButtonRule[AskSetting](_always(Access.CHAT_ADMIN), _ask_setting),
    Reread: ButtonRule[Reread](
        _always(Access.ANYONE), lambda cases, chat, wanted: cases.preferences.reread(chat, wanted)
    ),
    BroadcastDecision: ButtonRule[BroadcastDecision](
        _always(Access.OPERATOR),
        lambda cases, chat, decision: cases.broadcasts.decide(chat, decision),
        hidden=True,
    ),
}
"""Every button action, who may press it and what it runs: one row per action type."""


__all__ = ["PRESSES", "ButtonRule", "Commands"]
