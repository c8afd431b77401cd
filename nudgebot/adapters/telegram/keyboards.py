"""Neutral :class:`~nudgebot.core.outbound.Message` values to Telegram HTML and inline keyboards.

Pure translators (``to_*``), no I/O. Every string that comes from content or from a user
is escaped here and nowhere else: Telegram's HTML mode refuses a message with a bare
``<``, ``>`` or ``&`` ("can't parse entities"), and would render a smuggled tag. Button
actions are used as ``callback_data`` unchanged; :class:`~nudgebot.core.outbound.Button`
already holds them under Telegram's 64-byte limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as _escape_attr

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from nudgebot.core.outbound import Button, Link, Message

MAX_TEXT = 4096
"""Telegram's limit for a message's text, counted after entities are parsed."""

_SHORT_LABEL = 8
"""Labels up to this long ("07:30", "Sydney") sit three to a row; longer ones two."""


def escape(text: str) -> str:
    """Escape text content: ``<``, ``>`` and ``&``, the three characters Telegram requires."""
    return _escape_attr(text, quote=False)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Telegram message, ready for ``sendMessage`` or ``editMessageText``."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def to_html(message: Message) -> str:
    """Title bold, body as is, caution with ⚠️ in italics, sources as links, then the footer."""
    parts = [f"<b>{escape(message.title)}</b>"] if message.title else []
    parts.append(escape(message.text))
    if message.caution:
        parts.append(f"⚠️ <i>{escape(message.caution)}</i>")
    if message.links:
        parts.append("\n".join(f"📚 {_source_html(link)}" for link in message.links))
    if message.footer:
        parts.append(f"<b>{escape(message.footer)}</b>")
    return "\n\n".join(parts)


def _source_html(link: Link) -> str:
    """A source as a link; the article itself has no URL and is shown as plain text."""
    if link.url is None:
        return escape(link.label)
    return f'<a href="{_escape_attr(link.url, quote=True)}">{escape(link.label)}</a>'


def to_keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """Inline keyboard rows: short labels three to a row, longer ones two, a lone one alone."""
    if not buttons:
        return None
    width = 3 if all(len(button.label) <= _SHORT_LABEL for button in buttons) else 2
    keys = [InlineKeyboardButton(b.label, callback_data=b.action) for b in buttons]
    return InlineKeyboardMarkup([keys[i : i + width] for i in range(0, len(keys), width)])


def to_outgoing(messages: Sequence[Message]) -> list[Outgoing]:
    """A reply's messages as few Telegram messages as reads well.

    A confirmation followed by the next question ("Language changed." + "Which time
    zone?") becomes one message carrying the question's buttons: one notification instead
    of two, and one send against the one-per-second limit of a chat. A message with
    buttons always ends a group, so every keyboard stays under the text it belongs to.
    """
    outgoing: list[Outgoing] = []
    pending: list[str] = []
    for message in messages:
        pending.append(to_html(message))
        keyboard = to_keyboard(message.buttons)
        if keyboard is not None:
            outgoing.extend(_joined(pending, keyboard))
            pending = []
    if pending:
        outgoing.extend(_joined(pending, None))
    return outgoing


def _joined(parts: list[str], keyboard: InlineKeyboardMarkup | None) -> list[Outgoing]:
    """Join parts with blank lines while they fit; the keyboard rides on the last message."""
    texts: list[str] = []
    for part in parts:
        if texts and len(texts[-1]) + 2 + len(part) <= MAX_TEXT:
            texts[-1] = f"{texts[-1]}\n\n{part}"
        else:
            texts.append(part)
    return [
        Outgoing(html=text, keyboard=keyboard if i == len(texts) - 1 else None)
        for i, text in enumerate(texts)
    ]


__all__ = ["MAX_TEXT", "Outgoing", "to_html", "to_keyboard", "to_outgoing"]
