"""What a broadcast says and whom it is for, checked before anything is stored.

Pure rules shared by the three ways in (CLI, Telegram admins, Slack admins): a
broadcast has text in at least the default language, each at most
:data:`MAX_BROADCAST_CHARS` characters of plain text (adapters escape it: HTML on
Telegram, mrkdwn on Slack), an optional http(s) link and an audience. A subscriber gets
the text of their language, or the default language's when theirs is missing.
Validation raises :class:`~nudgebot.errors.InputError` with a catalogue key, so every
way in refuses the same input with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlparse

from nudgebot.core.content import LANGUAGES, Lang
from nudgebot.core.outbound import Link, Message
from nudgebot.core.subscription import Status
from nudgebot.core.texts import say
from nudgebot.errors import InputError

MAX_BROADCAST_CHARS = 3000
PLATFORMS = ("telegram", "slack", "console")


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a broadcast reaches; ``None`` means "any". Stopped subscribers never.

    ``status`` None means active subscribers only: someone who paused asked for quiet,
    so reaching them takes an explicit ``paused``.
    """

    platform: str | None = None
    language: Lang | None = None
    workspace: str | None = None
    status: Status | None = None
    min_streak: int | None = None
    subscribed_after: date | None = None
    subscribed_before: date | None = None

    def check(self) -> None:
        if self.platform is not None and self.platform not in PLATFORMS:
            raise InputError("broadcast_bad_platform", platform=self.platform)
        if self.language is not None and self.language not in LANGUAGES:
            raise InputError("broadcast_bad_language", language=self.language)
        if self.status is Status.STOPPED:  # a stopped subscriber is never reached
            raise InputError("broadcast_bad_status", status=self.status.value)
        if self.min_streak is not None and self.min_streak < 0:
            raise InputError("broadcast_bad_streak")
        if (
            self.subscribed_after is not None
            and self.subscribed_before is not None
            and self.subscribed_after >= self.subscribed_before
        ):
            raise InputError("broadcast_bad_dates")


@dataclass(frozen=True, slots=True)
class BroadcastText:
    """The words of a broadcast: text per language and an optional link."""

    texts: dict[Lang, str] = field(default_factory=dict)
    link: str | None = None

    def check(self, default_language: Lang) -> None:
        for lang, text in self.texts.items():
            if len(text) > MAX_BROADCAST_CHARS:
                raise InputError(
                    "broadcast_too_long", language=lang, length=len(text), limit=MAX_BROADCAST_CHARS
                )
        if not self.texts.get(default_language, "").strip():
            raise InputError("broadcast_no_text", language=default_language)
        if self.link is not None:
            parsed = urlparse(self.link)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise InputError("broadcast_bad_link", link=self.link)

    def render(self, lang: Lang, *, default_language: Lang) -> Message:
        """The message a subscriber speaking ``lang`` receives (no buttons in v1)."""
        text = self.texts.get(lang, "").strip()
        shown: Lang = lang
        if not text:
            text, shown = self.texts.get(default_language, "").strip(), default_language
        links = (Link(say(shown, "broadcast_link"), self.link),) if self.link else ()
        return Message(text=text, links=links)


__all__ = ["MAX_BROADCAST_CHARS", "PLATFORMS", "Audience", "BroadcastText"]
