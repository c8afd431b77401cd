"""What a nudge says besides its item: freeze used, milestone, re-engagement, summary, series day.

These lines ride inside the day's nudge, never as extra messages. They are decided once,
when the day's nudge is first prepared (the streak is settled then), and kept with the
subscriber's streak state as :class:`NudgeNotes` so that a retried send, or ``/today``
after the scheduled nudge, shows exactly the same lines. :func:`decorate` turns them
into text and buttons for any platform.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

from nudgebot.core.actions import Reengage, ReengageAnswer, encode
from nudgebot.core.content import ContentPack, Item, Lang
from nudgebot.core.frequency import Frequency
from nudgebot.core.outbound import Button, Message
from nudgebot.core.reengage import Step
from nudgebot.core.render import render_item
from nudgebot.core.streaks import next_milestone
from nudgebot.core.summary import WeeklySummary
from nudgebot.core.texts import days_word, say, say_frequency

REENGAGE_ACTIONS = tuple(encode(ReengageAnswer(choice)) for choice in Reengage)
"""The buttons of the re-engagement question (keep, three times a week, stop), in order."""


@dataclass(frozen=True, slots=True)
class NudgeNotes:
    freezes_used: int = 0
    freezes_left: int = 0
    milestone: int = 0
    series_done: str = ""
    reengage: str = ""
    frequency: str = Frequency.DAILY.value
    summary: WeeklySummary | None = None

    def to_json(self) -> str:
        # Field by field: ``asdict`` deep-copies, a cost paid for every nudge of a batch.
        data: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        data["summary"] = asdict(self.summary) if self.summary is not None else None
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> NudgeNotes:
        if not raw:
            return cls()
        data = json.loads(raw)
        summary = data.pop("summary", None)
        return cls(**data, summary=WeeklySummary(**summary) if summary else None)


def _pace(lang: Lang, frequency: str) -> str:
    return say_frequency(lang, Frequency(frequency))


def _top_lines(notes: NudgeNotes, lang: Lang, pack: ContentPack) -> list[str]:
    lines = []
    if notes.freezes_used:
        lines.append(say(lang, "freeze_used", used=notes.freezes_used, left=notes.freezes_left))
    if notes.milestone:
        lines.append(
            say(
                lang,
                "milestone",
                current=notes.milestone,
                days=days_word(lang, notes.milestone),
                next=next_milestone(notes.milestone),
            )
        )
    if notes.series_done and (series := pack.get_series(notes.series_done)) is not None:
        lines.append(say(lang, "series_finished", title=series.words(lang).title))
    if notes.reengage == Step.SWITCH:
        lines.append(say(lang, "reengage_switched"))
    return lines


def _summary_text(summary: WeeklySummary, lang: Lang, pack: ContentPack) -> str:
    series = pack.get_series(summary.try_next)
    item = pack.get(summary.try_next)
    if series is not None:
        suggestion = say(lang, "try_series", title=series.words(lang).title)
    elif item is not None:
        suggestion = item.words(lang).title
    else:
        suggestion = say(lang, "try_anything")
    return say(
        lang,
        "weekly_summary",
        answered=summary.answered,
        received=summary.received,
        streak=summary.streak,
        days=days_word(lang, summary.streak),
        right=summary.myths_right,
        myths=summary.myths_answered,
        suggestion=suggestion,
    )


def decorate(
    message: Message, *, notes: NudgeNotes, item: Item, lang: Lang, pack: ContentPack
) -> Message:
    """The nudge with its notes: lines above the body, summary and question below it."""
    title = message.title
    if (place := pack.step_of(item.id)) is not None:
        series, index = place
        day = say(lang, "series_day", n=index + 1, total=len(series.steps))
        title = f"{series.words(lang).title} · {day}: {title}"
    parts = [*_top_lines(notes, lang, pack), message.text]
    if notes.summary is not None and notes.summary.received:
        # A week with no nudge before today (a new subscriber's first) has nothing to sum up.
        parts.append(_summary_text(notes.summary, lang, pack))
    buttons = message.buttons
    if notes.reengage == Step.ASK:
        parts.append(say(lang, "reengage_ask", pace=_pace(lang, notes.frequency)))
        labels = (
            say(lang, "button_keep_pace", pace=_pace(lang, notes.frequency)),
            say(lang, "button_thrice"),
            say(lang, "button_stop"),
        )
        buttons = (
            *buttons,
            *(
                Button(label, action)
                for label, action in zip(labels, REENGAGE_ACTIONS, strict=True)
            ),
        )
    return replace(message, title=title, text="\n\n".join(parts), buttons=buttons)


def render_nudge(
    pack: ContentPack, item: Item, lang: Lang, *, delivery_id: int, notes: NudgeNotes
) -> Message:
    """The day's nudge as it is sent: the item with its notes (see :func:`decorate`)."""
    message = render_item(pack, item, lang, delivery_id=delivery_id)
    return decorate(message, notes=notes, item=item, lang=lang, pack=pack)
