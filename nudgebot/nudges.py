"""A subscriber's dealings with nudges themselves: today's nudge on demand, taps, streaks.

Split from :mod:`nudgebot.commands` because taps come from buttons, not typed
commands, and because the rules about what a tap counts (once per actor, only on the
latest nudge, a local day once) deserve a module of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import ContentPack, Kind, Lang
from nudgebot.core.outbound import Message, Reply
from nudgebot.core.render import parse_nudge_action, render_answered, render_item
from nudgebot.core.streaks import Streak, week_marks
from nudgebot.core.texts import days_word, hinted_language, say
from nudgebot.store.db import Sessions
from nudgebot.store.deliveries import find_or_create_day, latest_delivery
from nudgebot.store.streaks import advance_streak, record_tap
from nudgebot.store.subscribers import find_subscriber, reschedule, today_of
from nudgebot.store.tables import Delivery, DeliveryStatus, Engagement, Subscriber

_ANSWERS_BY_KIND = {Kind.TIP: {"ok"}, Kind.CHALLENGE: {"done"}, Kind.MYTH: {"myth", "fact"}}


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
        """Today's nudge now. Claims the day, so the engine will not send it again later."""
        now = self._clock()
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, recipient)
            if subscriber is None or subscriber.id is None:
                return None
            delivery, created = await find_or_create_day(
                session,
                subscriber=subscriber,
                local_date=today_of(subscriber, now),
                pack=self._pack,
                status=DeliveryStatus.SENT,
            )
            if created:
                delivery.sent_utc = now
                await reschedule(session, subscriber, after_utc=now)
                await session.commit()
        return self._render(delivery, subscriber.language)

    def _render(self, delivery: Delivery, lang: Lang) -> Message:
        item = self._pack.get(delivery.item_id)
        assert item is not None and delivery.id is not None
        return render_item(self._pack, item, lang, delivery_id=delivery.id)

    async def answer(self, chat: Chat, action: str) -> Reply:
        parsed = parse_nudge_action(action)
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            lang = (
                subscriber.language
                if subscriber
                else hinted_language(chat.language_hint, self._default_language)
            )
            delivery = await session.get(Delivery, parsed[0]) if parsed else None
            if (
                parsed is None
                or subscriber is None
                or subscriber.id is None
                or delivery is None
                or delivery.subscriber_id != subscriber.id
            ):
                return Reply(notice=say(lang, "unknown_button"))
            item = self._pack.get(delivery.item_id)
            answer = parsed[1]
            if item is None or answer not in _ANSWERS_BY_KIND[item.kind]:
                return Reply(notice=say(lang, "unknown_button"))
            latest = await latest_delivery(session, subscriber.id)
            if latest is None or latest.id != delivery.id:
                line = say(lang, "stale")
                edit = render_answered(self._pack, item, lang, answer=answer, result_line=line)
                return Reply(edit=edit, notice=line)
            tapped = Engagement(
                delivery_id=parsed[0],
                subscriber_id=subscriber.id,
                actor=chat.who,
                answer=answer,
                local_date=delivery.local_date,
            )
            if not await record_tap(session, tapped):
                return Reply(notice=say(lang, "already_counted"))
            streak = await advance_streak(session, subscriber.id, delivery.local_date)
        key = "done_streak" if answer == "done" else "got_it_streak"
        line = say(lang, key, current=streak.current, days=days_word(lang, streak.current))
        edit = render_answered(self._pack, item, lang, answer=answer, result_line=line)
        return Reply(edit=edit, notice=line)

    def describe_streak(
        self,
        subscriber: Subscriber,
        streak: Streak,
        *,
        unanswered: int,
        days: set[date],
        today: date,
    ) -> str:
        lang = subscriber.language
        current = streak.shown(unanswered=unanswered)
        return say(
            lang,
            "streak",
            current=current,
            days_current=days_word(lang, current),
            best=streak.best,
            days_best=days_word(lang, streak.best),
            week=week_marks(days, today),
        )


__all__ = ["Nudges"]
