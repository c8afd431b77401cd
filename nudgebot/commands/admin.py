"""What an operator can do from a chat: a broadcast with a preview, then send or cancel.

Reached through the ``broadcast`` registry entry (``Access.OPERATOR``: the adapter says
who is an operator, and everyone else gets the ordinary unknown-command answer) and its
``b:send:<id>`` / ``b:cancel:<id>`` buttons. The preview stores the broadcast as a draft,
because a button can carry only its id; a cancelled draft is kept like every broadcast.
The operator reaches every active subscriber; the audience is narrowed only by adapters
that speak for a narrower admin (a Slack workspace admin: their own workspace).
"""

from __future__ import annotations

from nudgebot.broadcasts import Broadcasts
from nudgebot.commands.usecases import UseCases
from nudgebot.core.broadcast import Audience, BroadcastText
from nudgebot.core.chats import Chat
from nudgebot.core.outbound import Button, Message, Reply
from nudgebot.core.texts import say
from nudgebot.errors import InputError

ACTION_PREFIX = "b:"


class AdminUseCases(UseCases):
    @property
    def broadcasts(self) -> Broadcasts:
        return Broadcasts(
            sessions=self._sessions,
            default_language=self._settings.default_language,
            clock=self._clock,
        )

    async def preview_broadcast(
        self, chat: Chat, text: str, *, audience: Audience | None = None
    ) -> Reply:
        """Store a draft with ``text`` for everyone's language and show what it would do."""
        lang = await self.language_of(chat)
        if not text.strip():
            raise InputError("broadcast_usage")
        words = BroadcastText(texts={self._settings.default_language: text.strip()})
        audience = audience or Audience()
        preview = await self.broadcasts.preview(words, audience)
        draft = await self.broadcasts.create(
            words, audience, created_by=f"{chat.recipient.platform}:{chat.who}"
        )
        per_platform = ", ".join(
            f"{platform} {sum(n for (p, _), n in preview.audience.items() if p == platform)}"
            for platform in sorted({p for p, _ in preview.audience})
        )
        summary = say(lang, "broadcast_preview", total=preview.total, platforms=per_platform or "-")
        return Reply(
            messages=(
                Message(text=summary),
                Message(
                    text=preview.messages[self._settings.default_language].text,
                    buttons=(
                        Button(
                            say(lang, "button_broadcast_send", total=preview.total),
                            f"{ACTION_PREFIX}send:{draft.id}",
                        ),
                        Button(
                            say(lang, "button_broadcast_cancel"),
                            f"{ACTION_PREFIX}cancel:{draft.id}",
                        ),
                    ),
                ),
            )
        )

    async def decide_broadcast(self, chat: Chat, action: str) -> Reply:
        """A preview's button: start sending, or cancel the draft. A repeat tap is harmless."""
        lang = await self.language_of(chat)
        verb, _, value = action.removeprefix(ACTION_PREFIX).partition(":")
        if verb not in ("send", "cancel") or not value.isdigit():
            return Reply(notice=say(lang, "unknown_button"))
        broadcast_id = int(value)
        try:
            if verb == "send":
                broadcast = await self.broadcasts.send(broadcast_id)
                progress = await self.broadcasts.status(broadcast_id)
                total = sum(progress.counts.values())
                key, values = "broadcast_sending", {"id": broadcast_id, "total": total}
            else:
                broadcast = await self.broadcasts.cancel(broadcast_id)
                key, values = "broadcast_cancelled", {"id": broadcast_id}
        except InputError as refusal:
            return Reply(notice=say(lang, refusal.key, **refusal.values))
        text = broadcast.text_nl or broadcast.text_en
        return Reply(edit=Message(text=text, footer=say(lang, key, **values)))


__all__ = ["ACTION_PREFIX", "AdminUseCases"]
