"""A subscriber's dealings with nudges themselves: today's nudge on demand, taps, streaks.

Split from :mod:`nudgebot.commands` because taps come from buttons, not typed
commands, and because the rules about what a tap counts (once per actor, only on the
latest nudge, a local day once) deserve a module of their own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.actions import Answer, NudgeAnswer
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import ContentPack, Item, Kind, Lang
from nudgebot.core.frequency import Frequency, is_scheduled
from nudgebot.core.notes import render_nudge
from nudgebot.core.outbound import Message, Reply
from nudgebot.core.render import render_answered
from nudgebot.core.streaks import MAX_FREEZES, Streak, last_days_marks
from nudgebot.core.texts import days_word, hinted_language, say
from nudgebot.core.when import describe_first
from nudgebot.store.db import Sessions
from nudgebot.store.deliveries import find_or_create_day
from nudgebot.store.habits import notes_for
from nudgebot.store.series import advance_series
from nudgebot.store.streaks import StreakState, participants
from nudgebot.store.subscribers import find_subscriber, reschedule, today_of, zone_of
from nudgebot.store.tables import DeliveryStatus, Subscriber
from nudgebot.store.taps import Tap, find_tap, insert_tap, settle_streak

_ANSWERS_BY_KIND: dict[Kind, set[Answer]] = {
    Kind.TIP: {"ok"},
    Kind.CHALLENGE: {"done"},
    Kind.MYTH: {"myth", "fact"},
}


def _tapped(state: StreakState) -> StreakState:
    """Any tap starts re-engagement over (core.reengage), whatever else it does."""
    return dataclasses.replace(state, reengagement=state.reengagement.tapped())


class Nudges:
    def __init__(
        self,
        *,
        sessions: Sessions,
        pack: ContentPack,
        clock: Callable[[], datetime],
        default_language: Lang,
    ) -> None:
        self._default_language = default_language
        self._sessions = sessions
        self._pack = pack
        self._clock = clock

    async def today(self, recipient: Recipient) -> Message | None:
        """Today's nudge now. Claims the day, so the engine will not send it again later.

        On a day off in the subscriber's schedule there is none: streaks count
        scheduled days only, so the answer says when the next one comes instead.
        """
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, recipient)
            if subscriber is None or subscriber.id is None:
                return None
            lang = subscriber.language
            today = today_of(subscriber, now)
            frequency = Frequency(subscriber.frequency)
            if not is_scheduled(frequency, today):
                first = describe_first(
                    lang, due_utc=subscriber.next_due_utc, tz=zone_of(subscriber), now_utc=now
                )
                pace = say(lang, f"pace_{frequency.name.lower()}")
                return Message(text=say(lang, "day_off", pace=pace, first=first))
            delivery, created = await find_or_create_day(
                session,
                subscriber=subscriber,
                local_date=today,
                pack=self._pack,
                status=DeliveryStatus.SENT,
            )
            if created:
                delivery.sent_utc = now
                await reschedule(session, subscriber, after_utc=now)
                await session.commit()
            item = self._pack.get(delivery.item_id)
            assert item is not None and delivery.id is not None
            notes = await notes_for(session, subscriber.id, delivery.local_date)
        return render_nudge(self._pack, item, lang, delivery_id=delivery.id, notes=notes)

    async def answer(self, chat: Chat, action: NudgeAnswer) -> Reply:
        """A tap on a nudge's button, in one transaction (:mod:`nudgebot.store.taps`).

        It counts once per actor, on the latest nudge only, and a local day once; any tap
        starts re-engagement over. In a shared chat the answer names who has answered.
        """
        async with self._sessions() as session:
            tap = await find_tap(session, chat.recipient, action.delivery_id)
            if tap is None:
                lang = hinted_language(chat.language_hint, self._default_language)
                return Reply(notice=say(lang, "unknown_button"))
            reply = await self._answer(session, chat, tap, action.answer)
            if chat.shared and reply.edit is not None and tap.delivery is not None:
                who = await participants(session, tap.delivery.id)
                reply = dataclasses.replace(reply, participants=tuple(who))
            await session.commit()
        return reply

    async def _answer(self, session: AsyncSession, chat: Chat, tap: Tap, answer: Answer) -> Reply:
        """Decide the tap and write it; the caller commits."""
        lang, delivery = tap.language, tap.delivery
        item = self._pack.get(delivery.item_id) if delivery is not None else None
        if delivery is None or item is None or answer not in _ANSWERS_BY_KIND[item.kind]:
            await settle_streak(session, tap.subscriber_id, tap.streak, _tapped)
            return Reply(notice=say(lang, "unknown_button"))
        if not delivery.latest:
            await settle_streak(session, tap.subscriber_id, tap.streak, _tapped)
            line = say(lang, "stale")
            edit = render_answered(self._pack, item, lang, answer=answer, result_line=line)
            return Reply(edit=edit, notice=line)
        day = delivery.local_date
        inserted = await insert_tap(
            session,
            delivery_id=delivery.id,
            subscriber_id=tap.subscriber_id,
            actor=chat.who,
            answer=answer,
            local_date=day,
        )
        if not inserted:
            await settle_streak(session, tap.subscriber_id, tap.streak, _tapped)
            return Reply(notice=say(lang, "already_counted"))
        before, after = await settle_streak(
            session,
            tap.subscriber_id,
            tap.streak,
            lambda state: dataclasses.replace(
                state,
                streak=state.streak.counted(day),
                reengagement=state.reengagement.tapped(),
            ),
        )
        streak = after.streak
        line = await self._result_line(session, tap.subscriber_id, day, item, answer, lang, streak)
        if streak.freezes > before.streak.freezes:
            line = f"{line} {say(lang, 'freeze_earned', held=streak.freezes)}"
        edit = render_answered(self._pack, item, lang, answer=answer, result_line=line)
        return Reply(edit=edit, notice=line)

    async def _result_line(
        self,
        session: AsyncSession,
        subscriber_id: int,
        local_date: date,
        item: Item,
        answer: str,
        lang: Lang,
        streak: Streak,
    ) -> str:
        """What the tap achieved; a done series step also moves the series on."""
        days = days_word(lang, streak.current)
        place = self._pack.step_of(item.id)
        if place is not None and answer == "done":
            series, index = place
            await advance_series(
                session,
                subscriber_id=subscriber_id,
                series_id=series.id,
                step_index=index,
                steps=len(series.steps),
                local_date=local_date,
            )
            return say(
                lang,
                "series_step_done",
                n=index + 1,
                total=len(series.steps),
                current=streak.current,
                days=days,
            )
        key = "done_streak" if answer == "done" else "got_it_streak"
        return say(lang, key, current=streak.current, days=days)

    def describe_streak(
        self,
        subscriber: Subscriber,
        streak: Streak,
        *,
        answered: set[date],
        received: set[date],
        today: date,
    ) -> str:
        """Current and best streak, freezes held, and the last 14 days.

        Nudges missed since the last one was prepared are settled here as they will be
        then (a freeze or the end of the streak), so /streak never shows more than holds.
        """
        lang = subscriber.language
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


__all__ = ["Nudges"]
