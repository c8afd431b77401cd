"""A subscriber's own data: ``/mydata`` hands it over as a JSON file, ``/delete`` erases it.

Platform-neutral like :mod:`nudgebot.commands`: the export is a
:class:`~nudgebot.core.outbound.Document` that each adapter delivers its own way, and the
erasure needs a button press, so a stray ``/delete`` typed by mistake erases nothing.
The confirmation button carries the local date it was offered on and expires after a
day, so a confirmation found in an old chat weeks later does not erase a new subscription.

What counts as "their data" is decided by :mod:`nudgebot.store.personal` from the table
metadata, never listed here, so tables added later are exported and erased with the rest.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from nudgebot.core.actions import ConfirmErase, KeepData, encode
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.clock import Clock
from nudgebot.core.content import Lang
from nudgebot.core.outbound import Button, Document, Message, Reply
from nudgebot.core.texts import say
from nudgebot.store.db import Sessions
from nudgebot.store.personal import Subject, export_references, export_rows, forget

logger = logging.getLogger(__name__)

LanguageOf = Callable[[Chat], Awaitable[Lang]]

EXPORT_FORMAT = "nudgebot-export/1"
CONFIRM_DAYS = 1
"""How long a ``/delete`` confirmation button stays valid, in days after it was offered."""


def subject_of(recipient: Recipient) -> Subject:
    """The chat itself: a private chat is its person, a group or channel its subscription."""
    return Subject(recipient.platform, recipient.workspace, recipient.address)


class Privacy:
    """``/mydata`` and ``/delete`` for one chat, and the button that confirms an erasure."""

    def __init__(
        self,
        *,
        sessions: Sessions,
        clock: Clock,
        language_of: LanguageOf,
        retention_days: int,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._language_of = language_of
        self._retention_days = retention_days

    async def my_data(self, chat: Chat) -> Reply:
        lang = await self._language_of(chat)
        subject = subject_of(chat.recipient)
        async with self._sessions() as session:
            tables = await export_rows(session, subject)
            referenced = await export_references(session, tables)
        if not tables:
            return Reply.say(say(lang, "mydata_nothing"))
        now = self._clock()
        export = {
            "format": EXPORT_FORMAT,
            "exported_utc": now.isoformat(),
            "about": say(lang, "mydata_about", days=self._retention_days),
            "chat": {
                "platform": subject.platform,
                "workspace": subject.workspace,
                "address": subject.address,
            },
            "tables": tables,
            "referenced": referenced,
        }
        content = json.dumps(export, ensure_ascii=False, indent=2).encode()
        rows = sum(len(found) for found in tables.values())
        document = Document(
            filename=f"nudgebot-{subject.platform}-data-{now.date().isoformat()}.json",
            content=content,
            caption=say(lang, "mydata_caption", rows=rows, records=records_word(lang, rows)),
        )
        return Reply(messages=(Message(text=say(lang, "mydata_ready")),), document=document)

    async def ask_delete(self, chat: Chat) -> Reply:
        lang = await self._language_of(chat)
        offered = ConfirmErase(self._clock().date())
        buttons = (
            Button(say(lang, "button_erase"), encode(offered)),
            Button(say(lang, "button_keep"), encode(KeepData())),
        )
        return Reply.say(say(lang, "delete_confirm"), buttons=buttons)

    async def keep(self, chat: Chat) -> Reply:
        """The confirmation answered "keep": nothing changes."""
        return _answered(say(await self._language_of(chat), "erase_kept"))

    async def erase(self, chat: Chat, confirmed: ConfirmErase) -> Reply:
        """The confirmation answered "erase": everything about the chat goes, for good."""
        lang = await self._language_of(chat)
        if self._clock().date() - confirmed.offered > timedelta(days=CONFIRM_DAYS):
            return _answered(say(lang, "erase_expired"))
        subject = subject_of(chat.recipient)
        deleted = await forget(self._sessions, subject)
        if not deleted:
            return _answered(say(lang, "erase_nothing"))
        logger.info(
            "erased a %s chat on request: %d rows (%s)",
            subject.platform,
            sum(deleted.values()),
            ", ".join(f"{table} {count}" for table, count in sorted(deleted.items())),
        )
        rows = sum(deleted.values())
        return _answered(say(lang, "erased", rows=rows, records=records_word(lang, rows)))


def records_word(lang: Lang, count: int) -> str:
    """The count's own word: 1 record, 2 records."""
    return say(lang, "record" if count == 1 else "records")


def _answered(text: str) -> Reply:
    """The confirmation message becomes the answer, so its buttons cannot be pressed again."""
    return Reply(edit=Message(text=text), notice=text)


__all__ = ["Privacy", "subject_of"]
