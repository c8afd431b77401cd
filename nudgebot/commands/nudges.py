"""A subscriber's dealings with nudges themselves: today's nudge on demand, taps, sources.

Taps come from buttons, not typed commands, and the rules about what a tap counts (once
per actor, only on the latest nudge, a local day once) deserve a service of their own.
Every press of any button also starts re-engagement over (:meth:`Nudges.pressed`): the
rule is :meth:`nudgebot.core.reengage.Reengagement.pressed`, written to the streak row by
its one writer, :func:`nudgebot.store.taps.change_streak`.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.commands.languages import Languages
from nudgebot.core.actions import Answer, NudgeAnswer
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.clock import Clock
from nudgebot.core.content import ContentPack, Item, Kind, Lang
from nudgebot.core.frequency import is_scheduled
from nudgebot.core.notes import render_nudge
from nudgebot.core.outbound import Message, Reply
from nudgebot.core.render import render_answered
from nudgebot.core.streaks import Streak
from nudgebot.core.subscription import Status
from nudgebot.core.texts import days_word, say, say_frequency
from nudgebot.core.when import describe_first
from nudgebot.store.db import Sessions
from nudgebot.store.deliveries import find_or_create_day
from nudgebot.store.habits import notes_for
from nudgebot.store.series import advance_series
from nudgebot.store.streaks import StreakState, participants
from nudgebot.store.subscribers import find_subscriber, reschedule, today_of, zone_of
from nudgebot.store.tables import DeliveryStatus
from nudgebot.store.taps import Tap, change_streak, find_tap, insert_tap

_ANSWERS_BY_KIND: dict[Kind, set[Answer]] = {
    Kind.TIP: {"ok"},
    Kind.CHALLENGE: {"done"},
    Kind.MYTH: {"myth", "fact"},
}


def _pressed(state: StreakState) -> StreakState:
    """Any press starts re-engagement over (core.reengage), whatever else it does."""
    return dataclasses.replace(state, reengagement=state.reengagement.pressed())


class Nudges:
    def __init__(
        self,
        *,
        sessions: Sessions,
        pack: ContentPack,
        clock: Clock,
        languages: Languages,
    ) -> None:
        self._languages = languages
        self._sessions = sessions
        self._pack = pack
        self._clock = clock

    async def today(self, chat: Chat) -> Reply:
        """``/today``: today's nudge now (or, on a day off, when the next one comes)."""
        message = await self.todays_nudge(chat.recipient)
        if message is None:
            return Reply.say(say(self._languages.hinted(chat), "not_subscribed"))
        return Reply(messages=(message,))

    async def about(self, chat: Chat) -> Reply:
        """``/about``: what the bot is, every source the pack cites, and the disclaimer."""
        lang = await self._languages.of(chat)
        cited = sorted({n for item in self._pack.items for n in item.numbered_refs})
        refs = [self._pack.references[n] for n in cited if n in self._pack.references]
        sources = "\n".join(f"[{r.number}] {r.short}: {r.title}. {r.url}" for r in refs)
        text = f"{say(lang, 'about')}\n\n{sources}"
        return Reply(messages=(Message(text=text, caution=say(lang, "disclaimer")),))

    async def pressed(self, chat: Chat) -> None:
        """A press on any button but a nudge's: re-engagement starts over.

        A nudge's own buttons do this inside their answer's transaction (:meth:`answer`).
        Writes nothing when there is nothing to start over, so a refused press changes
        nothing.
        """
        async with self._sessions() as session:
            tap = await find_tap(session, chat.recipient, None)
            if tap is not None:
                await change_streak(session, tap.subscriber_id, tap.streak, _pressed)
                await session.commit()

    async def todays_nudge(self, recipient: Recipient) -> Message | None:
        """Today's nudge now. Claims the day, so the engine will not send it again later.

        On a day off in the subscriber's schedule there is none: streaks count
        scheduled days only, so the answer says when the next one comes instead. An
        unsubscribed chat gets none either, and is told how to come back.
        """
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, recipient)
            if subscriber is None or subscriber.id is None:
                return None
            lang = subscriber.language
            if subscriber.status == Status.STOPPED:
                return Message(text=say(lang, "today_unsubscribed"))
            today = today_of(subscriber, now)
            frequency = subscriber.frequency
            if not is_scheduled(frequency, today):
                first = describe_first(
                    lang, due_utc=subscriber.next_due_utc, tz=zone_of(subscriber), now_utc=now
                )
                pace = say_frequency(lang, frequency)
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
                lang = self._languages.hinted(chat)
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
            await change_streak(session, tap.subscriber_id, tap.streak, _pressed)
            return Reply(notice=say(lang, "unknown_button"))
        if not delivery.latest:
            await change_streak(session, tap.subscriber_id, tap.streak, _pressed)
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
            await change_streak(session, tap.subscriber_id, tap.streak, _pressed)
            return Reply(notice=say(lang, "already_counted"))
        before, after = await change_streak(
            session,
            tap.subscriber_id,
            tap.streak,
            lambda state: dataclasses.replace(
                state,
                streak=state.streak.counted(day),
                reengagement=state.reengagement.pressed(),
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


__all__ = ["Nudges"]
