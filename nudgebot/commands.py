"""What a subscriber can ask for, the same on every platform.

Adapters parse nothing themselves: they pass the chat and the text ("/time 07:45", or
Slack's "time 07:45") to :meth:`Commands.handle`, and a button's action string to
:meth:`Commands.press`, then format the :class:`Reply`. Every refusal is a friendly
reply from the catalogue and leaves the store as it was (DESIGN.md invariant 8): input
is validated completely before the first write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import cast, get_args
from zoneinfo import ZoneInfo

from nudgebot.challenges import Challenges
from nudgebot.core.chats import Chat
from nudgebot.core.content import ContentPack, Lang
from nudgebot.core.frequency import Frequency, parse_frequency
from nudgebot.core.notes import REENGAGE_ACTIONS
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.texts import hinted_language, say
from nudgebot.core.timing import parse_local_time, parse_zone, search_zones
from nudgebot.core.when import describe_first
from nudgebot.errors import InputError
from nudgebot.nudges import Nudges
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.streaks import (
    counted_days,
    load_streak,
    received_between,
    reset_reengagement,
)
from nudgebot.store.subscribers import find_subscriber, reschedule, today_of
from nudgebot.store.tables import Status, Subscriber

Clock = Callable[[], datetime]

COMMON_ZONES = (
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/London",
    "America/New_York",
    "Asia/Singapore",
    "Australia/Sydney",
)
COMMON_TIMES = ("07:00", "07:30", "08:00", "09:00", "12:30", "18:00")
MAX_PAUSE_DAYS = 365


def parse_command(text: str) -> tuple[str, list[str]]:
    """``"/time@nudgebot 07:45"`` -> ``("time", ["07:45"])``; Slack text has no slash."""
    words = text.strip().split()
    if not words:
        return "", []
    name = words[0].lstrip("/").split("@", 1)[0].lower()
    return name, words[1:]


class Commands:
    """The use cases behind every command and button, as async methods returning replies."""

    def __init__(
        self, *, sessions: Sessions, pack: ContentPack, settings: Settings, clock: Clock
    ) -> None:
        self._sessions = sessions
        self._pack = pack
        self._settings = settings
        self._clock = clock
        self.nudges = Nudges(
            sessions=sessions, pack=pack, clock=clock, default_language=settings.default_language
        )
        self.challenges = Challenges(sessions=sessions, pack=pack, clock=clock)
        self._table: dict[str, Callable[[Chat, list[str]], Awaitable[Reply]]] = {
            "start": self.start,
            "subscribe": self.start,
            "stop": self.stop,
            "pause": self.pause,
            "resume": self.resume,
            "time": self.set_time,
            "tz": self.set_zone,
            "timezone": self.set_zone,
            "language": self.set_language,
            "lang": self.set_language,
            "streak": self.streak,
            "often": self.set_often,
            "challenge": self.challenges.show,
            "challenges": self.challenges.show,
            "today": self.today,
            "about": self.about,
            "help": self.help,
        }

    async def handle(self, chat: Chat, text: str) -> Reply:
        name, args = parse_command(text)
        handler = self._table.get(name)
        if handler is None:
            return Reply.say(say(await self.language_of(chat), "unknown_command"))
        try:
            return await handler(chat, args)
        except InputError as refusal:
            return await self._refuse(chat, refusal)

    async def press(self, chat: Chat, action: str) -> Reply:
        """A button: a set-up choice (``set:<what>:<value>``) or a nudge answer (``n:...``)."""
        await self._tapped(chat)
        if action.startswith("n:"):
            return await self.nudges.answer(chat, action)
        if action.startswith("ch:"):
            return await self.challenges.press(chat, action)
        if action in REENGAGE_ACTIONS:
            return await self._reengage_answer(chat, action)
        what, _, value = action.removeprefix("set:").partition(":")
        if not action.startswith("set:") or what not in _SETUP_STEPS:
            return Reply(notice=say(await self.language_of(chat), "unknown_button"))
        handler, follow_up = _SETUP_STEPS[what]
        try:
            reply = await handler(self, chat, [value])
        except InputError as refusal:
            return await self._refuse(chat, refusal)
        if follow_up is None:
            return await self._summary(chat)
        key, buttons = follow_up
        lang = await self.language_of(chat)
        question = Message(text=say(lang, key), buttons=buttons(lang))
        return Reply(messages=(*reply.messages, question))

    async def _refuse(self, chat: Chat, refusal: InputError) -> Reply:
        """The friendly answer to bad input; nothing was written before it was raised."""
        return Reply.say(say(await self.language_of(chat), refusal.key, **refusal.values))

    async def _summary(self, chat: Chat) -> Reply:
        """The guided set-up's last word: when the first nudge comes, in local time."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is None:
            return Reply.say(say(self._hinted_language(chat), "not_subscribed"))
        return self._confirm(subscriber, "subscribed", self._clock())

    async def language_of(self, chat: Chat) -> Lang:
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is not None:
            return cast(Lang, subscriber.language)
        return self._hinted_language(chat)

    def _hinted_language(self, chat: Chat) -> Lang:
        return hinted_language(chat.language_hint, self._settings.default_language)

    async def _update(
        self, chat: Chat, change: Callable[[Subscriber, datetime], None], key: str
    ) -> Reply:
        """Apply ``change`` to the chat's subscription, reschedule, and confirm with ``key``."""
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None:
                raise InputError("not_subscribed")
            change(subscriber, now)
            await reschedule(session, subscriber, after_utc=now)
            await session.commit()
        return self._confirm(subscriber, key, now)

    def _confirm(self, subscriber: Subscriber, key: str, now: datetime) -> Reply:
        lang = cast(Lang, subscriber.language)
        first = describe_first(
            lang, due_utc=subscriber.next_due_utc, tz=ZoneInfo(subscriber.timezone), now_utc=now
        )
        pace = say(lang, f"pace_{Frequency(subscriber.frequency).name.lower()}")
        return Reply.say(
            say(
                lang,
                key,
                time=subscriber.local_time,
                tz=subscriber.timezone,
                first=first,
                pace=pace,
            )
        )

    async def _tapped(self, chat: Chat) -> None:
        """A tap on anything starts quiet re-engagement over (core.reengage)."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is not None and subscriber.id is not None:
                await reset_reengagement(session, subscriber.id)

    async def _reengage_answer(self, chat: Chat, action: str) -> Reply:
        """The re-engagement question's buttons: keep the pace, three times a week, stop."""
        if action == "re:stop":
            return await self.stop(chat, [])
        if action == "re:3x":
            return await self.set_often(chat, [Frequency.THRICE.value])
        return await self._update(chat, lambda _s, _n: None, "reengage_kept")

    async def set_often(self, chat: Chat, args: list[str]) -> Reply:
        """/often daily|weekdays|3x: which days have a nudge (streaks count only those)."""
        frequency = parse_frequency(args[0]) if args else None
        if frequency is None:
            raise InputError("bad_often")
        return await self._update(chat, _setter("frequency", frequency.value), "often_set")

    async def start(self, chat: Chat, args: list[str]) -> Reply:
        """Subscribe (or come back) with defaults at once, then offer the guided set-up."""
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is not None and subscriber.status == Status.ACTIVE:
                return self._confirm(subscriber, "already_subscribed", now)
            if subscriber is None:
                subscriber = Subscriber(
                    platform=chat.recipient.platform,
                    workspace=chat.recipient.workspace,
                    address=chat.recipient.address,
                    language=self._hinted_language(chat),
                    timezone=self._settings.default_timezone,
                    local_time=self._settings.default_time,
                )
                session.add(subscriber)
                await session.flush()
            subscriber.status = Status.ACTIVE
            subscriber.paused_until = None
            subscriber.failed_days = 0
            await reschedule(session, subscriber, after_utc=now)
            await session.commit()
        lang = cast(Lang, subscriber.language)
        buttons = (Button("🇳🇱 Nederlands", "set:lang:nl"), Button("🇬🇧 English", "set:lang:en"))
        return Reply(messages=(Message(text=say(lang, "welcome"), buttons=buttons),))

    async def stop(self, chat: Chat, args: list[str]) -> Reply:
        def change(subscriber: Subscriber, _now: datetime) -> None:
            subscriber.status = Status.STOPPED

        return await self._update(chat, change, "stopped")

    async def pause(self, chat: Chat, args: list[str]) -> Reply:
        days: int | None = None
        if args:
            if not args[0].isdigit() or not 1 <= int(args[0]) <= MAX_PAUSE_DAYS:
                raise InputError("bad_pause", value=args[0])
            days = int(args[0])

        def change(subscriber: Subscriber, now: datetime) -> None:
            subscriber.status = Status.PAUSED
            subscriber.paused_until = None
            if days is not None:
                subscriber.paused_until = date.fromordinal(
                    today_of(subscriber, now).toordinal() + days
                )

        return await self._update(chat, change, "paused" if days else "paused_indefinitely")

    async def resume(self, chat: Chat, args: list[str]) -> Reply:
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            was_paused = subscriber is not None and subscriber.status == Status.PAUSED

        def change(subscriber: Subscriber, _now: datetime) -> None:
            if subscriber.status == Status.PAUSED:
                subscriber.status = Status.ACTIVE
                subscriber.paused_until = None

        return await self._update(chat, change, "resumed" if was_paused else "not_paused")

    async def set_time(self, chat: Chat, args: list[str]) -> Reply:
        if not args:
            raise InputError("missing_argument", example="/time 07:45")
        parsed = parse_local_time(args[0])
        if parsed is None:
            raise InputError("bad_time", value=args[0][:20])
        return await self._update(chat, _setter("local_time", parsed.strftime("%H:%M")), "time_set")

    async def set_zone(self, chat: Chat, args: list[str]) -> Reply:
        if not args:
            raise InputError("missing_argument", example="/tz Europe/Amsterdam")
        wanted = " ".join(args)[:64]
        zone = parse_zone(wanted)
        if zone is None:
            candidates = search_zones(wanted)
            if len(candidates) == 1:
                zone = ZoneInfo(candidates[0])
            elif candidates:
                lang = await self.language_of(chat)
                buttons = tuple(Button(name, f"set:tz:{name}") for name in candidates)
                return Reply.say(say(lang, "tz_candidates", value=wanted), buttons=buttons)
            else:
                raise InputError("bad_tz", value=wanted)
        return await self._update(chat, _setter("timezone", zone.key), "tz_set")

    async def set_language(self, chat: Chat, args: list[str]) -> Reply:
        wanted = args[0].lower() if args else ""
        if wanted not in get_args(Lang):
            raise InputError("bad_language")
        return await self._update(chat, _setter("language", wanted), "language_set")

    async def streak(self, chat: Chat, args: list[str]) -> Reply:
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None or subscriber.id is None:
                return Reply.say(say(self._hinted_language(chat), "not_subscribed"))
            today = today_of(subscriber, now)
            streak = await load_streak(session, subscriber.id)
            fortnight = today - timedelta(days=14)
            since = min(streak.settled_day or fortnight, fortnight)
            received = await received_between(
                session, subscriber.id, after=since, before=today + timedelta(days=1)
            )
            answered = await counted_days(session, subscriber.id, fortnight)
        text = self.nudges.describe_streak(
            subscriber, streak, answered=answered, received=set(received), today=today
        )
        return Reply.say(text)

    async def today(self, chat: Chat, args: list[str]) -> Reply:
        message = await self.nudges.today(chat.recipient)
        if message is None:
            return Reply.say(say(self._hinted_language(chat), "not_subscribed"))
        return Reply(messages=(message,))

    async def about(self, chat: Chat, args: list[str]) -> Reply:
        lang = await self.language_of(chat)
        cited = sorted({n for item in self._pack.items for n in item.refs})
        refs = [self._pack.references[n] for n in cited if n in self._pack.references]
        sources = "\n".join(f"[{r.number}] {r.short}: {r.title}. {r.url}" for r in refs)
        text = f"{say(lang, 'about')}\n\n{sources}"
        return Reply(messages=(Message(text=text, caution=say(lang, "disclaimer")),))

    async def help(self, chat: Chat, args: list[str]) -> Reply:
        return Reply.say(say(await self.language_of(chat), "help"))


def _setter(field: str, value: str) -> Callable[[Subscriber, datetime], None]:
    def change(subscriber: Subscriber, _now: datetime) -> None:
        setattr(subscriber, field, value)

    return change


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


_Step = Callable[[Commands, Chat, list[str]], Awaitable[Reply]]
_SETUP_STEPS: dict[str, tuple[_Step, tuple[str, Callable[[Lang], tuple[Button, ...]]] | None]] = {
    "lang": (Commands.set_language, ("ask_timezone", _zone_buttons)),
    "tz": (Commands.set_zone, ("ask_time", _time_buttons)),
    "time": (Commands.set_time, ("ask_often", _often_buttons)),
    "often": (Commands.set_often, None),
}
"""The guided set-up: each button's command, then the next question (None: the summary)."""


__all__ = ["Chat", "Clock", "Commands", "parse_command"]
