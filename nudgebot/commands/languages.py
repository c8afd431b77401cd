"""Which language to answer a chat in: its subscriber's, else the platform's hint.

Every service answers in the chat's language, so each is given this one small service
instead of the settings: the default language is the only setting it reads.
"""

from __future__ import annotations

from nudgebot.core.chats import Chat
from nudgebot.core.content import Lang
from nudgebot.core.texts import hinted_language
from nudgebot.store.db import Sessions
from nudgebot.store.subscribers import find_subscriber


class Languages:
    def __init__(self, *, sessions: Sessions, default_language: Lang) -> None:
        self._sessions = sessions
        self._default_language = default_language

    async def of(self, chat: Chat) -> Lang:
        """The subscriber's language; without a subscription, the hinted one."""
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is not None:
            return subscriber.language
        return self.hinted(chat)

    def hinted(self, chat: Chat) -> Lang:
        """The platform's hint ("nl-BE", "en") if we speak it, else the default language."""
        return hinted_language(chat.language_hint, self._default_language)


__all__ = ["Languages"]
