"""What a subscriber can do, as typed async methods: the same on every platform.

Each method takes parsed values (a :class:`~datetime.time`, a :class:`ZoneInfo`), never
text: reading typed text is :mod:`nudgebot.commands.registry`'s job, and an adapter
with a structured value (Slack's time picker, a membership change) calls these
directly. Every method answers with a :class:`Reply`; a subscriber's mistake is a
friendly reply, not an exception, and leaves the store as it was (invariant 8).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Concatenate, ParamSpec
from zoneinfo import ZoneInfo

from nudgebot.commands.challenges import Challenges
from nudgebot.commands.nudges import Nudges
from nudgebot.commands.privacy import Privacy
from nudgebot.core.actions import NudgeAnswer, SetupStep, encode
from nudgebot.core.chats import Chat
from nudgebot.core.content import ContentPack, Lang
from nudgebot.core.frequency import Frequency
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.subscription import Status, SubscriptionView
from nudgebot.core.texts import hinted_language, say
from nudgebot.core.timing import format_wall_time, parse_zone
from nudgebot.core.when import describe_first
from nudgebot.errors import InputError
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.learning import set_learning
from nudgebot.store.streaks import counted_days, load_streak, received_between
from nudgebot.store.subscribers import find_subscriber, reschedule, today_of
from nudgebot.store.tables import Subscriber
from nudgebot.store.taps import reset_reengagement

Clock = Callable[[], datetime]
Change = Callable[[Subscriber, datetime], None]
P = ParamSpec("P")
UseCase = Callable[Concatenate["UseCases", Chat, P], Awaitable[Reply]]


def polite(use_case: UseCase[P]) -> UseCase[P]:
    """Answer a refusal (:class:`InputError`) as its catalogue text instead of raising it.

    A refused use case has written nothing: the check comes before the first write.
    """

    @functools.wraps(use_case)
    async def answer(self: UseCases, chat: Chat, /, *args: P.args, **kwargs: P.kwargs) -> Reply:
        try:
            return await use_case(self, chat, *args, **kwargs)
        except InputError as refusal:
            return Reply.say(say(await self.language_of(chat), refusal.key, **refusal.values))

    return answer


LANGUAGE_BUTTONS = (
    Button("🇳🇱 Nederlands", encode(SetupStep("lang", "nl"))),
    Button("🇬🇧 English", encode(SetupStep("lang", "en"))),
)


class UseCases:
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
        self.privacy = Privacy(
            sessions=sessions,
            clock=clock,
            language_of=self.language_of,
            retention_days=settings.retention_days,
        )

    async def language_of(self, chat: Chat) -> Lang:
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is not None:
            return subscriber.language
        return self.hinted_language(chat)

    async def is_subscribed(self, chat: Chat) -> bool:
        """Has a subscription, in whatever status."""
        async with self._sessions() as session:
            return await find_subscriber(session, chat.recipient) is not None

    def hinted_language(self, chat: Chat) -> Lang:
        return hinted_language(chat.language_hint, self._settings.default_language)

    async def _update(
        self, chat: Chat, change: Change, key: str, *, when_stopped: bool = False
    ) -> Reply:
        """Apply ``change`` to the chat's subscription, reschedule, and confirm with ``key``.

        A stopped subscription is refused unless ``when_stopped``: a new time or zone
        would otherwise be confirmed with "your next nudge comes -" for a nudge that never
        comes; only /start brings a subscription back.
        """
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None:
                raise InputError("not_subscribed")
            if subscriber.status == Status.STOPPED and not when_stopped:
                raise InputError("unsubscribed_no_change")
            change(subscriber, now)
            await reschedule(session, subscriber, after_utc=now)
            await session.commit()
        return self._confirm(subscriber, key, now)

    def _confirm(self, subscriber: Subscriber, key: str, now: datetime) -> Reply:
        lang = subscriber.language
        first = describe_first(
            lang, due_utc=subscriber.next_due_utc, tz=ZoneInfo(subscriber.timezone), now_utc=now
        )
        return Reply.say(
            say(
                lang,
                key,
                time=format_wall_time(subscriber.local_time),
                tz=subscriber.timezone,
                first=first,
                pace=pace_of(lang, Frequency(subscriber.frequency)),
            )
        )

    async def subscribe(
        self,
        chat: Chat,
        *,
        time: time | None = None,
        zone: ZoneInfo | None = None,
        often: Frequency | None = None,
    ) -> Reply:
        """Subscribe (or come back), at ``time`` in ``zone`` when given.

        A new subscription takes the platform's zone hint, else the default. With nothing
        given and nothing hinted, the guided set-up follows (language, zone, time buttons);
        otherwise the answer says at once when the first nudge comes.
        """
        now = self._clock()
        hinted = parse_zone(chat.zone_hint) if chat.zone_hint else None
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            active = subscriber is not None and subscriber.status == Status.ACTIVE
            if (
                subscriber is not None
                and active
                and time is None
                and zone is None
                and often is None
            ):
                return self._confirm(subscriber, "already_subscribed", now)
            if subscriber is None:
                subscriber = Subscriber(
                    platform=chat.recipient.platform,
                    workspace=chat.recipient.workspace,
                    address=chat.recipient.address,
                    language=self.hinted_language(chat),
                    timezone=(zone or hinted or ZoneInfo(self._settings.default_timezone)).key,
                    local_time=self._settings.default_time,
                )
                session.add(subscriber)  # one INSERT at the commit, schedule included
            elif zone is not None:
                subscriber.timezone = zone.key
            if time is not None:
                subscriber.local_time = time
            if often is not None:
                subscriber.frequency = often.value
            subscriber.status = Status.ACTIVE
            subscriber.paused_until = None
            subscriber.failed_days = 0
            await reschedule(session, subscriber, after_utc=now)
            await session.commit()
        if time is not None or zone is not None or often is not None or hinted is not None:
            return self._confirm(subscriber, "subscribed", now)
        lang = subscriber.language
        return Reply(messages=(Message(text=say(lang, "welcome"), buttons=LANGUAGE_BUTTONS),))

    async def summary(self, chat: Chat) -> Reply:
        """The guided set-up's last word: when the first nudge comes, in local time."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is None:
            return Reply.say(say(self.hinted_language(chat), "not_subscribed"))
        return self._confirm(subscriber, "subscribed", self._clock())

    @polite
    async def stop(self, chat: Chat) -> Reply:
        def change(subscriber: Subscriber, _now: datetime) -> None:
            subscriber.status = Status.STOPPED

        return await self._update(chat, change, "stopped", when_stopped=True)

    @polite
    async def pause(self, chat: Chat, *, days: int | None = None) -> Reply:
        """Pause for ``days`` local days, or until resumed."""

        def change(subscriber: Subscriber, now: datetime) -> None:
            subscriber.status = Status.PAUSED
            subscriber.paused_until = None
            if days is not None:
                subscriber.paused_until = date.fromordinal(
                    today_of(subscriber, now).toordinal() + days
                )

        return await self._update(chat, change, "paused" if days else "paused_indefinitely")

    @polite
    async def resume(self, chat: Chat) -> Reply:
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            was_paused = subscriber is not None and subscriber.status == Status.PAUSED

        def change(subscriber: Subscriber, _now: datetime) -> None:
            if subscriber.status == Status.PAUSED:
                subscriber.status = Status.ACTIVE
                subscriber.paused_until = None

        return await self._update(chat, change, "resumed" if was_paused else "not_paused")

    @polite
    async def set_time(self, chat: Chat, local_time: time) -> Reply:
        return await self._update(chat, _setter("local_time", local_time), "time_set")

    @polite
    async def set_zone(self, chat: Chat, zone: ZoneInfo) -> Reply:
        return await self._update(chat, _setter("timezone", zone.key), "tz_set")

    @polite
    async def set_often(self, chat: Chat, frequency: Frequency) -> Reply:
        """Which days have a nudge; streaks count those days only."""
        return await self._update(chat, _setter("frequency", frequency.value), "often_set")

    @polite
    async def set_summary_day(self, chat: Chat, weekday: int) -> Reply:
        """The weekday whose nudge carries the weekly summary (the last nudge day by then)."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None:
                raise InputError("not_subscribed")
            subscriber.summary_day = weekday
            session.add(subscriber)
            await session.commit()
            lang = subscriber.language
        day = say(lang, "weekday_names").split(",")[weekday]
        return Reply.say(say(lang, "summary_day_set", day=day))

    @polite
    async def set_learning(self, chat: Chat, *, on: bool) -> Reply:
        """Learning on, or off: then the fixed rotation, and what was learned is erased."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None or subscriber.id is None:
                raise InputError("not_subscribed")
            await set_learning(
                session, subscriber.id, on=on, today=today_of(subscriber, self._clock())
            )
            await session.commit()
            lang = subscriber.language
        return Reply.say(say(lang, "learning_on" if on else "learning_off"))

    async def tapped(self, chat: Chat) -> None:
        """A tap on anything starts quiet re-engagement over (core.reengage).

        A nudge's own buttons do this inside their answer's transaction (Nudges.answer).
        """
        async with self._sessions() as session:
            await reset_reengagement(session, chat.recipient)
            await session.commit()

    @polite
    async def keep_pace(self, chat: Chat) -> Reply:
        """The re-engagement question's "keep it" button: nothing changes but the count."""
        return await self._update(chat, lambda _subscriber, _now: None, "reengage_kept")

    async def offer_zones(self, chat: Chat, wanted: str, candidates: list[str]) -> Reply:
        """Not exactly a zone, but close to several: one button per candidate."""
        buttons = tuple(Button(name, encode(SetupStep("tz", name))) for name in candidates)
        lang = await self.language_of(chat)
        return Reply.say(say(lang, "tz_candidates", value=wanted), buttons=buttons)

    @polite
    async def set_language(self, chat: Chat, lang: Lang) -> Reply:
        return await self._update(chat, _setter("language", lang), "language_set")

    async def status(self, chat: Chat) -> SubscriptionView | None:
        """The chat's subscription as a plain view (App Home), or None if it has none."""
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None or subscriber.id is None:
                return None
            today = today_of(subscriber, now)
            streak = await load_streak(session, subscriber.id)
            fortnight = today - timedelta(days=14)
            since = min(streak.settled_day or fortnight, fortnight)
            received = await received_between(
                session, subscriber.id, after=since, before=today + timedelta(days=1)
            )
            answered = await counted_days(session, subscriber.id, fortnight)
        line = self.nudges.describe_streak(
            subscriber, streak, answered=answered, received=set(received), today=today
        )
        return SubscriptionView(
            language=subscriber.language,
            timezone=subscriber.timezone,
            local_time=subscriber.local_time,
            status=subscriber.status,
            paused_until=subscriber.paused_until,
            next_due_utc=subscriber.next_due_utc,
            streak=line,
            frequency=Frequency(subscriber.frequency),
        )

    async def streak(self, chat: Chat) -> Reply:
        view = await self.status(chat)
        if view is None:
            return Reply.say(say(self.hinted_language(chat), "not_subscribed"))
        return Reply.say(view.streak)

    async def today(self, chat: Chat) -> Reply:
        message = await self.nudges.today(chat.recipient)
        if message is None:
            return Reply.say(say(self.hinted_language(chat), "not_subscribed"))
        return Reply(messages=(message,))

    async def about(self, chat: Chat) -> Reply:
        lang = await self.language_of(chat)
        cited = sorted({n for item in self._pack.items for n in item.numbered_refs})
        refs = [self._pack.references[n] for n in cited if n in self._pack.references]
        sources = "\n".join(f"[{r.number}] {r.short}: {r.title}. {r.url}" for r in refs)
        text = f"{say(lang, 'about')}\n\n{sources}"
        return Reply(messages=(Message(text=text, caution=say(lang, "disclaimer")),))

    async def answer(self, chat: Chat, action: NudgeAnswer) -> Reply:
        """A tap on a nudge's button; in a shared chat, with everyone who has answered it."""
        return await self.nudges.answer(chat, action)


def pace_of(lang: Lang, frequency: Frequency) -> str:
    """'every day', 'on weekdays', 'three times a week (Mon, Wed, Fri)'."""
    return say(lang, f"pace_{frequency.name.lower()}")


def _setter(field: str, value: object) -> Change:
    def change(subscriber: Subscriber, _now: datetime) -> None:
        setattr(subscriber, field, value)

    return change


__all__ = ["LANGUAGE_BUTTONS", "Clock", "UseCases"]
