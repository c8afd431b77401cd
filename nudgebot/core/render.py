"""Turn a content item into a platform-neutral :class:`Message`, in the subscriber's language.

The rendering decides what a subscriber sees: the EFSA caution where the article has
one, the doctor caution on live cultures, the source lines on every message (a DOI link
per numbered reference, the article's title and a note where the article itself is the
source), and the buttons that drive streaks. A button carries a
:class:`~nudgebot.core.actions.NudgeAnswer` so a tap can be traced back to the exact
delivery it belongs to, whatever the platform.
"""

from __future__ import annotations

from nudgebot.core.actions import NudgeAnswer, encode
from nudgebot.core.content import ContentPack, Item, Kind, Lang, Verdict
from nudgebot.core.outbound import Button, Link, Message
from nudgebot.core.texts import say


def source_links(pack: ContentPack, item: Item, lang: Lang) -> tuple[Link, ...]:
    """One line per source in the order the item cites them; the article has no URL."""
    label = say(lang, "source")
    links: list[Link] = []
    for ref in item.refs:
        if isinstance(ref, int):
            if ref in pack.references:
                found = pack.references[ref]
                links.append(Link(label=f"{label}: {found.short}", url=found.url))
        elif pack.article is not None:
            words = pack.article.words(lang)
            links.append(Link(label=f"{label}: {words.title} ({words.note})"))
    for name in item.guidance:
        if (guide := pack.guidance.get(name)) is not None:
            said = guide.words(lang)
            links.append(Link(label=f"{label}: {said.name} ({said.note})", url=guide.url))
    return tuple(links)


def cautions(item: Item, lang: Lang) -> str | None:
    """The item's cautions as one block, one per line: EFSA status, then the doctor line.

    The probiotic caution holds the doctor line too, so with it the live-culture line
    would say the same twice.
    """
    lines = [
        say(lang, key)
        for key, wanted in (
            ("efsa_caution", item.efsa_unconfirmed),
            ("probiotic_caution", item.probiotic_caution),
            ("live_culture_caution", item.live_culture_caution and not item.probiotic_caution),
        )
        if wanted
    ]
    return "\n".join(lines) or None


def _buttons(item: Item, lang: Lang, delivery_id: int) -> tuple[Button, ...]:
    match item.kind:
        case Kind.TIP:
            return (Button(say(lang, "button_got_it"), encode(NudgeAnswer(delivery_id, "ok"))),)
        case Kind.CHALLENGE:
            return (Button(say(lang, "button_done"), encode(NudgeAnswer(delivery_id, "done"))),)
        case Kind.MYTH:
            return (
                Button(say(lang, "button_myth"), encode(NudgeAnswer(delivery_id, "myth"))),
                Button(say(lang, "button_fact"), encode(NudgeAnswer(delivery_id, "fact"))),
            )


def _body(item: Item, lang: Lang) -> str:
    words = item.words(lang)
    match item.kind:
        case Kind.TIP:
            return words.body
        case Kind.CHALLENGE:
            return "\n\n".join(
                (
                    words.body,
                    say(lang, "challenge_action", action=words.action),
                    say(lang, "challenge_done_when", done_when=words.done_when),
                )
            )
        case Kind.MYTH:
            return "\n\n".join((words.body, say(lang, "myth_question", statement=words.statement)))


def render_item(pack: ContentPack, item: Item, lang: Lang, *, delivery_id: int) -> Message:
    """The nudge as it first arrives: question or tip, caution, sources and buttons."""
    return Message(
        title=item.words(lang).title,
        text=_body(item, lang),
        caution=cautions(item, lang),
        links=source_links(pack, item, lang),
        buttons=_buttons(item, lang, delivery_id),
    )


def render_answered(
    pack: ContentPack, item: Item, lang: Lang, *, answer: str, result_line: str
) -> Message:
    """The nudge after a tap: buttons gone, the myth's verdict and explanation shown.

    ``result_line`` is what the tap achieved ("✅ Done! Streak: 5 days") or why it did not
    count; the caller knows the streak, this module does not.
    """
    words = item.words(lang)
    parts = [_body(item, lang)]
    if item.kind is Kind.MYTH and item.verdict is not None:
        verdict = say(lang, "verdict_myth" if item.verdict is Verdict.MYTH else "verdict_fact")
        if answer in ("myth", "fact"):
            right = answer == item.verdict.value
            verdict = f"{say(lang, 'answer_right' if right else 'answer_wrong')} {verdict}"
        parts.append(f"{verdict} {words.explanation}")
    return Message(
        title=words.title,
        text="\n\n".join(parts),
        caution=cautions(item, lang),
        links=source_links(pack, item, lang),
        footer=result_line,
    )
