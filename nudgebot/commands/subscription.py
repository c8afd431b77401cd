"""A chat's subscription: start, stop, pause, time, zone, frequency, language, status.

The same on every platform, as typed async methods.

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

from nudgebot.commands.languages import Languages
from nudgebot.core.actions import SetupStep, encode
from nudgebot.core.chats import Chat
from nudgebot.core.clock import Clock
from nudgebot.core.content import Lang
from nudgebot.core.frequency import Frequency, last_scheduled_by
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.quiet import quiet_hours
from nudgebot.core.streaks import MAX_FREEZES, Streak, last_days_marks
from nudgebot.core.subscription import Status, SubscriptionView
from nudgebot.core.texts import days_word, say, say_frequency
from nudgebot.core.timing import format_wall_time, parse_zone
from nudgebot.core.when import describe_first
from nudgebot.errors import InputError
from nudgebot.store.db import Sessions
from nudgebot.store.learning import set_learning
from nudgebot.store.streaks import counted_days, load_streak, received_between
from nudgebot.store.subscribers import find_subscriber, reschedule, today_of
from nudgebot.store.tables import Subscriber

Change = Callable[[Subscriber, datetime], None]
P = ParamSpec("P")
UseCase = Callable[Concatenate["Subscription", Chat, P], Awaitable[Reply]]


def polite(use_case: UseCase[P]) -> UseCase[P]:
    """Answer a refusal (:class:`InputError`) as its catalogue text instead of raising it.

    A refused use case has written nothing: the check comes before the first write.
    """

    @functools.wraps(use_case)
    async def answer(self: Subscription, chat: Chat, /, *args: P.args, **kwargs: P.kwargs) -> Reply:
        try:
            return await use_case(self, chat, *args, **kwargs)
        except InputError as refusal:
            lang = await self._languages.of(chat)
            return Reply.say(say(lang, refusal.key, **refusal.values))

    return answer


LANGUAGE_BUTTONS = (
    Button("🇳🇱 Nederlands", encode(SetupStep("lang", "nl"))),
    Button("🇬🇧 English", encode(SetupStep("lang", "en"))),
)


class Subscription:
    """Everything about a chat's subscription but its nudges; given the defaults it uses."""

    def __init__(
        self,
        *,
        sessions: Sessions,
        clock: Clock,
        languages: Languages,
        default_timezone: str,
        default_time: time,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._languages = languages
        self._default_timezone = default_timezone
        self._default_time = default_time

    async def is_subscribed(self, chat: Chat) -> bool:
        """Has a subscription, in whatever status."""
        async with self._sessions() as session:
            return await find_subscriber(session, chat.recipient) is not None

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
                pace=say_frequency(lang, subscriber.frequency),
            )
        )

    async def subscribe(
        self,
        chat: Chat,
        *,
        time: time | None = None,
        zone: ZoneInfo | None = None,
        frequency: Frequency | None = None,
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
                and frequency is None
            ):
                return self._confirm(subscriber, "already_subscribed", now)
            if subscriber is None:
                subscriber = Subscriber(
                    platform=chat.recipient.platform,
                    workspace=chat.recipient.workspace,
                    address=chat.recipient.address,
                    language=self._languages.hinted(chat),
                    timezone=(zone or hinted or ZoneInfo(self._default_timezone)).key,
                    local_time=self._default_time,
                )
                session.add(subscriber)  # one INSERT at the commit, schedule included
            elif zone is not None:
                subscriber.timezone = zone.key
            if time is not None:
                subscriber.local_time = time
            if frequency is not None:
                subscriber.frequency = frequency
            subscriber.status = Status.ACTIVE
            subscriber.paused_until = None
            subscriber.failed_days = 0
            settled = time is not None or zone is not None or frequency is not None
            guided = not settled and hinted is None
            subscriber.setup_step = "language" if guided else None
            await reschedule(session, subscriber, after_utc=now)
            await session.commit()
        if not guided:
            return self._confirm(subscriber, "subscribed", now)
        lang = subscriber.language
        return Reply(messages=(Message(text=say(lang, "welcome"), buttons=LANGUAGE_BUTTONS),))

    async def summary(self, chat: Chat) -> Reply:
        """The guided set-up's last word: when the first nudge comes, in local time."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is None:
            return Reply.say(say(self._languages.hinted(chat), "not_subscribed"))
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
        """A new time of day, kept even inside the quiet hours.

        The nudge is the subscriber's own choice; the answer then says that the rest
        (snoozes, announcements) still waits until the quiet hours end.
        """
        reply = await self._update(chat, _setter("local_time", local_time), "time_set")
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        quiet = quiet_hours(subscriber.quiet_start, subscriber.quiet_end) if subscriber else None
        if subscriber is None or quiet is None or not quiet.covers(local_time):
            return reply
        window = f"{format_wall_time(quiet.start)}–{format_wall_time(quiet.end)}"
        note = say(subscriber.language, "time_in_quiet", quiet=window)
        return Reply.say(f"{reply.messages[0].text} {note}")

    @polite
    async def set_zone(self, chat: Chat, zone: ZoneInfo) -> Reply:
        return await self._update(chat, _setter("timezone", zone.key), "tz_set")

    @polite
    async def set_frequency(self, chat: Chat, frequency: Frequency) -> Reply:
        """Which days have a nudge; streaks count those days only."""
        return await self._update(chat, _setter("frequency", frequency), "often_set")

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
            frequency = subscriber.frequency
        names = say(lang, "weekday_names").split(",")
        shown = last_scheduled_by(frequency, date(2026, 1, 5), weekday).weekday()  # a Monday
        if shown != weekday:
            return Reply.say(
                say(
                    lang,
                    "summary_day_moved",
                    day=names[weekday],
                    pace=say_frequency(lang, frequency),
                    shown=names[shown],
                )
            )
        return Reply.say(say(lang, "summary_day_set", day=names[weekday]))

    @polite
    async def set_learning(self, chat: Chat, *, on: bool) -> Reply:
        """Learning on, or off: then the fixed rotation, and what was learned is erased."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None or subscriber.id is None:
                raise InputError("not_subscribed")
            today = today_of(subscriber, self._clock())
            await set_learning(session, subscriber.id, on=on, today=today)
            await session.commit()
            lang = subscriber.language
        return Reply.say(say(lang, "learning_on" if on else "learning_off"))

    @polite
    async def keep_frequency(self, chat: Chat) -> Reply:
        """The re-engagement question's "keep it" button: nothing changes but the count."""
        return await self._update(chat, lambda _subscriber, _now: None, "reengage_kept")

    async def offer_zones(self, chat: Chat, wanted: str, candidates: list[str]) -> Reply:
        """Not exactly a zone, but close to several: one button per candidate."""
        buttons = tuple(Button(name, encode(SetupStep("tz", name))) for name in candidates)
        lang = await self._languages.of(chat)
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
        line = streak_line(
            subscriber.language, streak, answered=answered, received=set(received), today=today
        )
        return SubscriptionView(
            language=subscriber.language,
            timezone=subscriber.timezone,
            local_time=subscriber.local_time,
            status=subscriber.status,
            paused_until=subscriber.paused_until,
            next_due_utc=subscriber.next_due_utc,
            streak=line,
            frequency=subscriber.frequency,
        )

    async def streak(self, chat: Chat) -> Reply:
        view = await self.status(chat)
        if view is None:
            return Reply.say(say(self._languages.hinted(chat), "not_subscribed"))
        return Reply.say(view.streak)


def streak_line(
    lang: Lang, streak: Streak, *, answered: set[date], received: set[date], today: date
) -> str:
    """Current and best streak, freezes held, and the last 14 days.

    Nudges missed since the last one was prepared are settled here as they will be
    then (a freeze or the end of the streak), so /streak never shows more than holds.
    """
    shown, _ = streak.settled(day for day in received if day < today)
    return say(
        lang,
        "streak",
        current=shown.current,
        days_current=days_word(lang, shown.current),
        best=shown.best,
        days_best=days_word(lang, shown.best),
        freezes=shown.freezes,
        max_freezes=MAX_FREEZES,
        marks=last_days_marks(answered=answered, received=received, today=today),
    )


def _setter(field: str, value: object) -> Change:
    def change(subscriber: Subscriber, _now: datetime) -> None:
        setattr(subscriber, field, value)

    return change


__all__ = ["LANGUAGE_BUTTONS", "Subscription", "polite", "streak_line"]
