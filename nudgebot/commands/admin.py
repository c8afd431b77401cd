"""What an operator can do from a chat: a broadcast with a preview, then send or cancel.

Reached through the ``broadcast`` registry entry (``Access.OPERATOR``: the adapter says
who is an operator, and everyone else gets the ordinary unknown-command answer) and its
:class:`~nudgebot.core.actions.BroadcastDecision` buttons (send or cancel). The preview
stores the broadcast as a draft, because a button can carry only its id; a cancelled
draft is kept like every broadcast. The operator reaches every active subscriber; the
audience is narrowed only by adapters that speak for a narrower admin (a Slack workspace
admin: their own workspace).

:class:`ConsoleLinks` answers ``/admin`` with a one-time sign-in link to the web console
(an operator's sees everything; a Slack workspace admin's, that workspace only).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from nudgebot.commands.broadcasts import Broadcasts, Preview, Progress
from nudgebot.commands.languages import Languages
from nudgebot.core.actions import BroadcastDecision, Decision, encode
from nudgebot.core.broadcast import Audience, BroadcastText
from nudgebot.core.chats import Chat
from nudgebot.core.content import Lang
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.texts import say
from nudgebot.errors import InputError
from nudgebot.settings import AdminSettings, Settings
from nudgebot.store.admin import record, store_link
from nudgebot.store.db import Sessions
from nudgebot.store.tables import Broadcast, BroadcastState

CONSOLE_OFF = (
    "The web console is off: set NUDGEBOT_ADMIN_SECRET (32+ characters) and, for links "
    "that reach it from outside, NUDGEBOT_ADMIN_URL."
)


def per_platform(preview: Preview) -> str:
    """``"slack 2, telegram 3"``: the audience per platform, for a preview."""
    totals: dict[str, int] = {}
    for (platform, _lang), count in preview.audience.items():
        totals[platform] = totals.get(platform, 0) + count
    return ", ".join(f"{platform} {count}" for platform, count in sorted(totals.items())) or "-"


class ChatBroadcasts:
    """Broadcasts started from a chat: over :class:`Broadcasts`, answered in the chat's language.

    A preview's text is taken as the default language's: an operator types one text.
    """

    def __init__(
        self, *, broadcasts: Broadcasts, languages: Languages, default_language: Lang
    ) -> None:
        self._broadcasts = broadcasts
        self._languages = languages
        self._default_language = default_language

    async def draft(
        self, chat: Chat, words: BroadcastText, audience: Audience
    ) -> tuple[Preview, Broadcast]:
        """Check, count and store a draft; nothing is stored when the input is refused."""
        preview = await self._broadcasts.preview(words, audience)
        draft = await self._broadcasts.create(
            words, audience, created_by=f"{chat.recipient.platform}:{chat.who}"
        )
        return preview, draft

    async def preview(self, chat: Chat, text: str) -> Reply:
        """Store a draft with ``text`` for every language and show what it would do."""
        lang = await self._languages.of(chat)
        if not text.strip():
            raise InputError("broadcast_usage")
        words = BroadcastText(texts={self._default_language: text.strip()})
        preview, draft = await self.draft(chat, words, Audience())
        assert draft.id is not None  # stored
        summary = say(
            lang, "broadcast_preview", total=preview.total, platforms=per_platform(preview)
        )
        send = Button(
            say(lang, "button_broadcast_send", total=preview.total),
            encode(BroadcastDecision(Decision.SEND, draft.id)),
        )
        cancel = Button(
            say(lang, "button_broadcast_cancel"),
            encode(BroadcastDecision(Decision.CANCEL, draft.id)),
        )
        text_shown = preview.messages[self._default_language].text
        return Reply(messages=(Message(text=summary), Message(text_shown, buttons=(send, cancel))))

    async def confirm(self, broadcast_id: int, *, platform: str, workspace: str) -> Progress:
        """Start a draft made by a workspace admin; any other broadcast is "not found"."""
        broadcast = await self._broadcasts.get(broadcast_id)
        if broadcast.platform != platform or broadcast.workspace != workspace:
            raise InputError("broadcast_not_found", id=broadcast_id)
        await self._broadcasts.send(broadcast_id)
        return await self._broadcasts.status(broadcast_id)

    async def drop_draft(self, broadcast_id: int, *, platform: str, workspace: str) -> None:
        """A closed preview: its draft, if still a draft of this workspace, is cancelled."""
        broadcast = await self._broadcasts.get(broadcast_id)
        if (broadcast.platform, broadcast.workspace) == (platform, workspace) and (
            broadcast.state == BroadcastState.DRAFT
        ):
            await self._broadcasts.cancel(broadcast_id)

    async def decide(self, chat: Chat, action: BroadcastDecision) -> Reply:
        """A preview's button: start sending, or cancel the draft. A repeat tap is harmless."""
        lang = await self._languages.of(chat)
        broadcast_id = action.broadcast_id
        try:
            if action.decision is Decision.SEND:
                broadcast = await self._broadcasts.send(broadcast_id)
                progress = await self._broadcasts.status(broadcast_id)
                total = sum(progress.counts.values())
                key, values = "broadcast_sending", {"id": broadcast_id, "total": total}
            else:
                broadcast = await self._broadcasts.cancel(broadcast_id)
                key, values = "broadcast_cancelled", {"id": broadcast_id}
        except InputError as refusal:
            return Reply(notice=say(lang, refusal.key, **refusal.values))
        text = broadcast.text_nl or broadcast.text_en
        return Reply(edit=Message(text=text, footer=say(lang, key, **values)))


def console_base(settings: Settings) -> str | None:
    """Where sign-in links point: NUDGEBOT_ADMIN_URL, else the bot's own web server."""
    if settings.admin is None:
        return None
    return (settings.admin.url or f"http://{settings.http_host}:{settings.http_port}").rstrip("/")


async def mint_link(
    sessions: Sessions,
    admin: AdminSettings,
    base: str,
    *,
    who: str,
    workspace: str | None,
    now_utc: datetime,
    minutes: int | None = None,
) -> str:
    """A one-time sign-in link for ``who`` (scoped to ``workspace`` when given), audited.

    Only its hash is stored; the link itself is shown once, to whoever asked for it.
    """
    life = timedelta(minutes=minutes or admin.link_minutes)
    token = secrets.token_urlsafe(32)
    async with sessions() as session:
        await store_link(session, token, who=who, workspace=workspace, expires_utc=now_utc + life)
        scope = f"workspace {workspace}" if workspace else "everything"
        await record(
            session,
            who=who,
            workspace=workspace,
            action="link created",
            detail=f"valid {int(life.total_seconds() // 60)} min, sees {scope}",
            now_utc=now_utc,
        )
    return f"{base}/admin/login?token={token}"


class ConsoleLinks:
    """``/admin``: a sign-in link, for this chat's eyes only (in English: an operator's).

    The adapter has already checked who asks (a Telegram operator in a private chat, a
    Slack workspace admin); a Slack admin's link sees only their workspace, taken from
    Slack's signed request.
    """

    def __init__(
        self, *, sessions: Sessions, settings: Settings, clock: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self._admin = settings.admin
        self._base = console_base(settings)
        self._clock = clock

    async def link(self, chat: Chat) -> Reply:
        if self._admin is None or self._base is None:
            return Reply.say(CONSOLE_OFF)
        slack = chat.recipient.platform == "slack"
        workspace = chat.recipient.workspace if slack else None
        who = f"slack:{workspace}/{chat.who}" if slack else f"{chat.recipient.platform}:{chat.who}"
        link = await mint_link(
            self._sessions,
            self._admin,
            self._base,
            who=who,
            workspace=workspace,
            now_utc=self._clock(),
        )
        return Reply.say(
            f"Your sign-in link to the nudgebot console (one use, valid "
            f"{self._admin.link_minutes} minutes; do not share it):\n{link}"
        )


__all__ = [
    "CONSOLE_OFF",
    "ChatBroadcasts",
    "ConsoleLinks",
    "console_base",
    "mint_link",
    "per_platform",
]
