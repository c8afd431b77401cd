"""``/challenge``: the multi-day challenge series, listed with buttons to join or leave.

A subscriber runs one series at a time. Its steps replace the day's nudge from the next
one on (:func:`nudgebot.store.deliveries.claim_day` picks the waiting step), a missed
day waits, and the last ✅ finishes it, which the next nudge celebrates as a milestone.
Its buttons carry :class:`~nudgebot.core.actions.JoinSeries` and
:class:`~nudgebot.core.actions.LeaveSeries`; an unknown id changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from nudgebot.core.actions import JoinSeries, LeaveSeries, encode
from nudgebot.core.chats import Chat
from nudgebot.core.content import ContentPack
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.texts import say
from nudgebot.core.when import describe_first
from nudgebot.store.db import Sessions
from nudgebot.store.series import finished_series, join_series, leave_series, running_series
from nudgebot.store.subscribers import find_subscriber, today_of, zone_of


class Challenges:
    def __init__(
        self, *, sessions: Sessions, pack: ContentPack, clock: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self._pack = pack
        self._clock = clock

    async def show(self, chat: Chat) -> Reply:
        """The list of series, where the subscriber stands in each, and the buttons."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None or subscriber.id is None:
                return Reply.say(say("en", "not_subscribed"))
            running = await running_series(session, subscriber.id)
            done = await finished_series(session, subscriber.id)
        lang = subscriber.language
        lines = [say(lang, "challenge_list"), ""]
        buttons = []
        for series in self._pack.series:
            words = series.words(lang)
            lines.append(
                say(
                    lang,
                    "challenge_entry",
                    title=words.title,
                    total=len(series.steps),
                    intro=words.intro,
                )
            )
            if running is not None and running.series_id == series.id:
                lines.append(say(lang, "challenge_on_day", n=running.steps_done + 1))
                leave = encode(LeaveSeries())
                buttons.append(Button(say(lang, "button_leave", title=words.title), leave))
                continue
            if series.id in done:
                lines.append(say(lang, "challenge_done_before"))
            buttons.append(
                Button(say(lang, "button_join", title=words.title), encode(JoinSeries(series.id)))
            )
        return Reply(messages=(Message(text="\n".join(lines), buttons=tuple(buttons)),))

    async def leave(self, chat: Chat) -> Reply:
        """Leave the running series (a :class:`LeaveSeries` button)."""
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None or subscriber.id is None:
                return Reply(notice=say("en", "not_subscribed"))
            lang = subscriber.language
            left = await leave_series(session, subscriber.id, today_of(subscriber, now))
            await session.commit()
        series = self._pack.get_series(left or "")
        if series is None:
            return Reply(notice=say(lang, "unknown_button"))
        return Reply.say(say(lang, "challenge_left", title=series.words(lang).title))

    async def join(self, chat: Chat, action: JoinSeries) -> Reply:
        """Join a series (a :class:`JoinSeries` button); an unknown id changes nothing."""
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None or subscriber.id is None:
                return Reply(notice=say("en", "not_subscribed"))
            lang = subscriber.language
            series = self._pack.get_series(action.series_id)
            if series is None:
                return Reply.say(say(lang, "challenge_unknown"))
            title = series.words(lang).title
            running = await running_series(session, subscriber.id)
            if running is not None and running.series_id == series.id:
                return Reply.say(
                    say(
                        lang,
                        "challenge_already",
                        title=title,
                        n=running.steps_done + 1,
                        total=len(series.steps),
                    )
                )
            await join_series(session, subscriber.id, series.id, today_of(subscriber, now))
            await session.commit()
            first = describe_first(
                lang, due_utc=subscriber.next_due_utc, tz=zone_of(subscriber), now_utc=now
            )
        return Reply.say(say(lang, "challenge_joined", title=title, first=first))
