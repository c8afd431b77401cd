"""The guided set-up: language, time zone, time, how often, then the one "All set!".

Each question can be answered by a button (a number on the console), by the bare value
typed (``en``, ``Lisbon``, ``7.45pm``, ``weekdays``) or by the step's own command
(``/tz Europe/Lisbon``); every answer goes on to the next question. The open question is
stored with the subscription (``setup_step``), so any instance reads a typed answer the
same way, and outside the set-up a bare value is no command at all: "Lisbon" typed on
an ordinary day changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from nudgebot.commands.subscription import LANGUAGE_BUTTONS
from nudgebot.commands.usecases import UseCases
from nudgebot.core.actions import SetupStep, encode, parse_action
from nudgebot.core.chats import Chat
from nudgebot.core.content import Lang
from nudgebot.core.frequency import Frequency, parse_frequency
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.subscription import Status
from nudgebot.core.texts import say
from nudgebot.core.timing import find_zone, parse_local_time
from nudgebot.store.db import Sessions
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import Subscriber

STEPS = ("language", "tz", "time", "often")
"""The questions in order, each named after the command that answers it."""

COMMON_ZONES = (
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/London",
    "America/New_York",
    "Asia/Singapore",
    "Australia/Sydney",
)
COMMON_TIMES = ("07:00", "07:30", "08:00", "09:00", "12:30", "18:00")
MAX_ANSWER = 64
Took = Callable[[Subscriber], bool]
"""Whether a set-up answer's use case changed the subscription as asked."""

_LANGUAGE_WORDS: dict[str, Lang] = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "en": "en",
    "english": "en",
    "engels": "en",
}


def parse_language(value: str) -> Lang | None:
    """``nl``, ``en`` or the language's name in either language, or None."""
    return _LANGUAGE_WORDS.get(value.strip().lower())


def zone_buttons() -> tuple[Button, ...]:
    return tuple(
        Button(zone.split("/")[-1].replace("_", " "), encode(SetupStep("tz", zone)))
        for zone in COMMON_ZONES
    )


def time_buttons() -> tuple[Button, ...]:
    return tuple(Button(t, encode(SetupStep("time", t))) for t in COMMON_TIMES)


def often_buttons(lang: Lang) -> tuple[Button, ...]:
    return tuple(
        Button(say(lang, key), encode(SetupStep("often", frequency.value)))
        for key, frequency in (
            ("button_daily", Frequency.DAILY),
            ("button_weekdays", Frequency.WEEKDAYS),
            ("button_thrice", Frequency.THRICE),
        )
    )


def question(step: str, lang: Lang) -> Message:
    """The set-up's question ``step``, with its buttons."""
    if step == "language":
        return Message(text=say(lang, "ask_language_again"), buttons=LANGUAGE_BUTTONS)
    if step == "tz":
        return Message(text=say(lang, "ask_timezone"), buttons=zone_buttons())
    if step == "time":
        return Message(text=say(lang, "ask_time"), buttons=time_buttons())
    return Message(text=say(lang, "ask_often"), buttons=often_buttons(lang))


class SetUp:
    """Reads answers to the open question and moves the set-up on."""

    def __init__(self, *, cases: UseCases, sessions: Sessions) -> None:
        self._cases = cases
        self._sessions = sessions

    async def step_of(self, chat: Chat) -> str | None:
        """The open question, or None when the chat is not in the middle of a set-up.

        A stopped subscription has none: ``/start`` then begins the set-up afresh.
        """
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is None or subscriber.status == Status.STOPPED:
            return None
        return subscriber.setup_step

    async def ask(self, chat: Chat, step: str) -> Reply:
        """The open question again (``/start`` typed in the middle of the set-up)."""
        return Reply(messages=(question(step, await self._cases.language_of(chat)),))

    async def answer(self, chat: Chat, step: str, value: str) -> Reply:
        """Take ``value`` as the answer to ``step``; a fitting one moves to the next question.

        A value that does not answer it, or that the use case refuses (a time inside the
        quiet hours), changes nothing and asks the question again; a zone that is not
        certain ("york") offers its candidates as buttons, whose tap is the answer.
        """
        value = value.strip()[:MAX_ANSWER]
        applied = await self._apply(chat, step, value)
        if applied is None:
            lang = await self._cases.language_of(chat)
            refusal = say(lang, _REFUSALS[step], value=value)
            return Reply(messages=(Message(text=refusal), question(step, lang)))
        reply, took = applied
        if any(_answers(button, step) for message in reply.messages for button in message.buttons):
            return reply  # candidates offered: the question stays open until one is tapped
        following = STEPS.index(step) + 1
        upcoming = STEPS[following] if following < len(STEPS) else None
        moved = await self._move(chat, step, upcoming, took)
        if moved is None:
            lang = await self._cases.language_of(chat)
            return Reply(messages=(*reply.messages, question(step, lang)))
        if upcoming is None:
            return await self._cases.subscription.summary(chat)
        return Reply(messages=(*reply.messages, question(upcoming, moved)))

    async def _apply(self, chat: Chat, step: str, value: str) -> tuple[Reply, Took] | None:
        """Run the use case ``value`` answers, with how to tell it took; None: no answer."""
        subscription = self._cases.subscription
        if step == "language":
            lang = parse_language(value)
            if lang is None:
                return None
            return await subscription.set_language(chat, lang), lambda s: s.language == lang
        if step == "tz":
            found = find_zone(value)
            if isinstance(found, ZoneInfo):
                reply = await subscription.set_zone(chat, found)
                return reply, lambda s: s.timezone == found.key
            if not found:
                return None
            return await subscription.offer_zones(chat, value, found), lambda _s: False
        if step == "time":
            wanted = parse_local_time(value)
            if wanted is None:
                return None
            return await subscription.set_time(chat, wanted), lambda s: s.local_time == wanted
        frequency = parse_frequency(value)
        if frequency is None:
            return None
        reply = await subscription.set_frequency(chat, frequency)
        return reply, lambda s: s.frequency == frequency.value

    async def _move(self, chat: Chat, step: str, upcoming: str | None, took: Took) -> Lang | None:
        """Close ``step`` and open ``upcoming`` if the answer took; the language as it is now.

        None: the use case refused the answer (its reply says why), so the step stays.
        """
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None or not took(subscriber):
                return None
            if subscriber.setup_step == step:
                subscriber.setup_step = upcoming
                session.add(subscriber)
                await session.commit()
            return subscriber.language


def _answers(button: Button, step: str) -> bool:
    """Whether ``button`` is itself an answer to the question ``step``."""
    action = parse_action(button.action)
    return isinstance(action, SetupStep) and action.command == step


_REFUSALS = {"language": "bad_language", "tz": "bad_tz", "time": "bad_time", "often": "bad_often"}
"""What a value that answers nothing gets, per question, before the question again."""

__all__ = ["COMMON_TIMES", "COMMON_ZONES", "STEPS", "SetUp", "parse_language", "question"]
