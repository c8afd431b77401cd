"""``/settings``, ``/kinds``, ``/quiet`` and ``/history``: seeing and changing one's choices.

``/settings`` shows everything at once with a button per setting; a button asks how to
change it (the same buttons and typed commands as anywhere else), so there is one way
to change each thing. The kinds kept and the quiet hours are stored with the
subscription; the planner reads the kinds (core.planner), quiet hours hold back what the
bot would start by itself (core.quiet).
"""

from __future__ import annotations

from nudgebot.commands.languages import Languages
from nudgebot.core.actions import SETTINGS, AskSetting, Reread, SetupStep, encode
from nudgebot.core.chats import Chat
from nudgebot.core.clock import Clock
from nudgebot.core.content import ContentPack, Kind, Lang
from nudgebot.core.frequency import Frequency
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.planner import format_kinds, parse_kinds
from nudgebot.core.quiet import QuietHours, quiet_hours
from nudgebot.core.render import render_item
from nudgebot.core.subscription import Status
from nudgebot.core.texts import say, say_frequency
from nudgebot.core.timing import format_wall_time, parse_local_time
from nudgebot.core.when import short_date
from nudgebot.errors import InputError
from nudgebot.store.db import Sessions
from nudgebot.store.history import PastNudge, past_nudges
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import Subscriber

HISTORY_LENGTH = 14
QUIET_CHOICES = ("22:00-07:00", "23:00-07:00", "21:00-08:00", "off")
_KIND_ORDER = (Kind.TIP, Kind.CHALLENGE, Kind.MYTH)
_KIND_WORDS = {
    "tip": Kind.TIP,
    "tips": Kind.TIP,
    "challenge": Kind.CHALLENGE,
    "challenges": Kind.CHALLENGE,
    "uitdaging": Kind.CHALLENGE,
    "uitdagingen": Kind.CHALLENGE,
    "myth": Kind.MYTH,
    "myths": Kind.MYTH,
    "mythe": Kind.MYTH,
    "mythes": Kind.MYTH,
}
_OFF = ("off", "uit", "none", "geen")


def parse_kept(words: list[str]) -> frozenset[Kind] | None:
    """``["tips", "myths"]`` (or ``"tip,myth"``) as the kinds to keep; None if not that."""
    names = [name for word in words for name in word.lower().split(",") if name]
    kept = frozenset(_KIND_WORDS[name] for name in names if name in _KIND_WORDS)
    if not names or len(kept) != len({_KIND_WORDS.get(n) for n in names}) or not kept:
        return None
    return kept


def parse_quiet(text: str) -> QuietHours | str | None:
    """``22:00-07:00`` as quiet hours, ``off`` as None, anything else as the text itself."""
    if text.strip().lower() in _OFF:
        return None
    start, dash, end = text.replace("–", "-").partition("-")
    first, last = parse_local_time(start), parse_local_time(end)
    if not dash or first is None or last is None or first == last:
        return text
    return QuietHours(first, last)


def say_quiet(lang: Lang, quiet: QuietHours | None) -> str:
    if quiet is None:
        return say(lang, "quiet_off")
    return f"{format_wall_time(quiet.start)}–{format_wall_time(quiet.end)}"


def say_kinds(lang: Lang, kept: frozenset[Kind]) -> str:
    return ", ".join(say(lang, f"kind_{kind.value}") for kind in _KIND_ORDER if kind in kept)


def quiet_of(subscriber: Subscriber) -> QuietHours | None:
    return quiet_hours(subscriber.quiet_start, subscriber.quiet_end)


def kept_of(subscriber: Subscriber) -> frozenset[Kind]:
    return frozenset(Kind) - parse_kinds(subscriber.dropped_kinds)


class Preferences:
    def __init__(
        self, *, sessions: Sessions, clock: Clock, languages: Languages, pack: ContentPack
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._languages = languages
        self._pack = pack

    async def _subscriber(self, chat: Chat) -> Subscriber:
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is None:
            raise InputError("not_subscribed")
        return subscriber

    async def _polite(self, chat: Chat, error: InputError) -> Reply:
        lang = await self._languages.of(chat)
        return Reply.say(say(lang, error.key, **error.values))

    async def show(self, chat: Chat) -> Reply:
        """``/settings``: every setting in one message, each with a button to change it."""
        try:
            subscriber = await self._subscriber(chat)
        except InputError as error:
            return await self._polite(chat, error)
        lang = subscriber.language
        names = say(lang, "weekday_names").split(",")
        status = say(lang, f"status_{subscriber.status.value}")
        if subscriber.status == Status.PAUSED and subscriber.paused_until is not None:
            status = say(
                lang, "status_paused_until", date=short_date(lang, subscriber.paused_until)
            )
        text = say(
            lang,
            "settings",
            language=say(lang, "language_name"),
            tz=subscriber.timezone,
            time=format_wall_time(subscriber.local_time),
            pace=say_frequency(lang, Frequency(subscriber.frequency)),
            summary=names[subscriber.summary_day],
            kinds=say_kinds(lang, kept_of(subscriber)),
            quiet=say_quiet(lang, quiet_of(subscriber)),
            status=status,
        )
        labels = ("language", "zone", "time", "often", "summary", "kinds", "quiet")
        buttons = [
            Button(say(lang, f"button_{label}"), encode(AskSetting(setting)))
            for label, setting in zip(labels, SETTINGS, strict=True)
        ]
        if subscriber.status == Status.ACTIVE:
            buttons.append(Button(say(lang, "button_pause"), encode(SetupStep("pause", ""))))
        elif subscriber.status == Status.PAUSED:
            buttons.append(Button(say(lang, "button_resume"), encode(SetupStep("resume", ""))))
        return Reply.say(text, buttons=tuple(buttons))

    async def ask(self, chat: Chat, setting: str) -> Reply:
        """How to change ``setting`` (summary day, kinds, quiet hours), as buttons."""
        if setting == "kinds":
            return await self.show_kinds(chat)
        lang = await self._languages.of(chat)
        if setting == "summary":
            names = say(lang, "weekday_names").split(",")
            days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            buttons = tuple(
                Button(name, encode(SetupStep("summary", day)))
                for name, day in zip(names, days, strict=True)
            )
            return Reply.say(say(lang, "ask_summary_day"), buttons=buttons)
        buttons = tuple(
            Button(say(lang, "quiet_off") if choice == "off" else choice.replace("-", "–"),
                   encode(SetupStep("quiet", choice)))
            for choice in QUIET_CHOICES
        )  # fmt: skip
        return Reply.say(say(lang, "ask_quiet"), buttons=buttons)

    async def show_kinds(self, chat: Chat) -> Reply:
        """``/kinds``: the kinds kept, and a button per kind that turns it on or off."""
        try:
            subscriber = await self._subscriber(chat)
        except InputError as error:
            return await self._polite(chat, error)
        lang, kept = subscriber.language, kept_of(subscriber)
        buttons = []
        for kind in _KIND_ORDER:
            toggled = kept - {kind} if kind in kept else kept | {kind}
            if toggled:  # the last kind kept has no "off"
                mark = "✅" if kind in kept else "✖️"
                value = ",".join(k.value for k in _KIND_ORDER if k in toggled)
                label = f"{mark} {say(lang, f'kind_{kind.value}')}"
                buttons.append(Button(label, encode(SetupStep("kinds", value))))
        text = say(lang, "kinds_show", kept=say_kinds(lang, kept))
        return Reply.say(text, buttons=tuple(buttons))

    async def set_kinds(self, chat: Chat, kept: frozenset[Kind]) -> Reply:
        """Keep only ``kept`` (at least one kind); the weekly mix spreads over them."""
        if not kept:
            return await self._polite(chat, InputError("bad_kinds"))
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None:
                return await self._polite(chat, InputError("not_subscribed"))
            subscriber.dropped_kinds = format_kinds(frozenset(Kind) - kept)
            session.add(subscriber)
            await session.commit()
            lang = subscriber.language
        return Reply.say(say(lang, "kinds_set", kept=say_kinds(lang, kept)))

    async def set_quiet(self, chat: Chat, quiet: QuietHours | None) -> Reply:
        """Quiet hours (None: off). The nudge's own time may lie inside: it still comes."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
            if subscriber is None:
                return await self._polite(chat, InputError("not_subscribed"))
            lang = subscriber.language
            subscriber.quiet_start = quiet.start if quiet else None
            subscriber.quiet_end = quiet.end if quiet else None
            session.add(subscriber)
            await session.commit()
        text = say(lang, "quiet_set", quiet=say_quiet(lang, quiet))
        if quiet is not None and quiet.covers(subscriber.local_time):
            text = f"{text} {say(lang, 'time_in_quiet', quiet=say_quiet(lang, quiet))}"
        return Reply.say(text)

    async def history(self, chat: Chat) -> Reply:
        """``/history``: the last 14 nudges with their day and answer, each re-readable."""
        try:
            subscriber = await self._subscriber(chat)
        except InputError as error:
            return await self._polite(chat, error)
        assert subscriber.id is not None
        async with self._sessions() as session:
            nudges = await past_nudges(session, subscriber.id, limit=HISTORY_LENGTH)
        lang = subscriber.language
        known = [(n, item) for n in nudges if (item := self._pack.get(n.item_id)) is not None]
        if not known:
            return Reply.say(say(lang, "history_empty"))
        lines = [say(lang, "history")]
        buttons = []
        for number, (nudge, item) in enumerate(known, 1):
            day = short_date(lang, nudge.local_date)
            title = item.words(lang).title
            lines.append(f"{number}. {day} · {_answer_words(lang, nudge)} · {title}")
            buttons.append(Button(f"{number}. {day}", encode(Reread(nudge.delivery_id))))
        return Reply.say("\n".join(lines), buttons=tuple(buttons))

    async def reread(self, chat: Chat, wanted: Reread) -> Reply:
        """One past nudge again, without its answer buttons: reading counts nothing."""
        try:
            subscriber = await self._subscriber(chat)
        except InputError as error:
            return await self._polite(chat, error)
        assert subscriber.id is not None
        async with self._sessions() as session:
            found = await past_nudges(
                session, subscriber.id, limit=1, delivery_id=wanted.delivery_id
            )
        lang = subscriber.language
        item = self._pack.get(found[0].item_id) if found else None
        if item is None:  # another chat's row, or gone with retention
            return Reply(notice=say(lang, "unknown_button"))
        message = render_item(self._pack, item, lang, delivery_id=wanted.delivery_id)
        line = say(
            lang,
            "history_reread",
            date=short_date(lang, found[0].local_date),
            answer=_answer_words(lang, found[0]),
        )
        return Reply(messages=(Message(title=message.title, text=f"{message.text}\n\n{line}",
                                       caution=message.caution, links=message.links),))  # fmt: skip


def _answer_words(lang: Lang, nudge: PastNudge) -> str:
    return say(lang, f"answer_{nudge.answer}") if nudge.answer else say(lang, "history_unanswered")


__all__ = [
    "HISTORY_LENGTH",
    "Preferences",
    "kept_of",
    "parse_kept",
    "parse_quiet",
    "quiet_of",
    "say_quiet",
]
