"""Inbound Telegram updates to :class:`~nudgebot.commands.Commands` calls, and replies back.

Thin on purpose: every decision about subscriptions lives in ``Commands``; this module
only knows Telegram things: who is an admin of a group, which ``/command@bot`` is meant
for another bot, how a button tap edits its message and answers its callback query.

Updates are processed concurrently (PTB ``concurrent_updates``), so one slow chat does
not hold up the others; a lock per chat keeps each chat's own updates in order, so a
quick "language, then time zone" tap sequence is applied as tapped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot, InputFile, LinkPreviewOptions, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from nudgebot.commands import Commands, parse_command
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.outbound import Reply
from nudgebot.core.texts import say
from nudgebot.core.timing import parse_local_time, parse_zone, search_zones
from nudgebot.privacy import ACTION_PREFIX as PRIVACY_PREFIX

from .keyboards import to_html, to_outgoing

logger = logging.getLogger(__name__)

PLATFORM = "telegram"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
"""Nudges link DOIs; a preview card of a journal page would drown the tip."""

ADMIN_COMMANDS = frozenset(
    ("start", "subscribe", "stop", "pause", "resume", "time", "tz", "timezone", "language", "lang",
     "mydata", "delete")
)  # fmt: skip
"""Commands that change a group's subscription: only the group's admins may use them."""

ADMIN_BUTTONS = ("set:", PRIVACY_PREFIX)
"""Buttons that change a group's subscription (set-up, confirming an erasure): admins only."""
_ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
_GONE_STATUSES = (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
"""The bot's own membership after a block ("kicked") or a removal from a group ("left")."""
_MAX_NOTICE = 200  # answerCallbackQuery's text limit
_MAX_CAPTION = 1024  # a document caption's limit


def to_chat(update: Update) -> Chat | None:
    """Who is talking: the chat, and in a group the member (their taps count for the group)."""
    chat = update.effective_chat
    if chat is None:
        return None
    user = update.effective_user
    private = chat.type == ChatType.PRIVATE
    return Chat(
        recipient=Recipient(platform=PLATFORM, address=str(chat.id)),
        actor="" if private or user is None else str(user.id),
        language_hint=user.language_code if user else None,
    )


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> None:
    """Send a reply's messages in order, as HTML with their keyboards, then its file."""
    for outgoing in to_outgoing(reply.messages):
        await bot.send_message(
            chat_id=chat_id,
            text=outgoing.html,
            parse_mode=ParseMode.HTML,
            reply_markup=outgoing.keyboard,
            link_preview_options=NO_PREVIEW,
        )
    if reply.document is not None:
        document = reply.document
        await bot.send_document(
            chat_id=chat_id,
            document=InputFile(document.content, filename=document.filename),
            caption=document.caption[:_MAX_CAPTION],
        )


class ChatLocks:
    """One lock per chat while it has updates in flight; forgotten when the last one ends."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)


class TelegramHandlers:
    """PTB handlers bound to one :class:`Commands` service."""

    def __init__(self, commands: Commands) -> None:
        self._commands = commands
        self._locks = ChatLocks()

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        only_new = filters.UpdateType.MESSAGE
        application.add_handler(MessageHandler(filters.COMMAND & only_new, self.on_command))
        application.add_handler(
            MessageHandler(
                filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & only_new,
                self.on_text,
            )
        )
        application.add_handler(CallbackQueryHandler(self.on_tap))
        application.add_handler(
            ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        application.add_error_handler(self.on_error)

    async def _is_admin(self, update: Update, bot: Bot) -> bool:
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if chat is None or chat.type == ChatType.PRIVATE:
            return True
        if message is not None and message.sender_chat is not None:
            # An anonymous admin writes as the group itself.
            return message.sender_chat.id == chat.id
        if user is None:
            return False
        member = await bot.get_chat_member(chat_id=chat.id, user_id=user.id)
        return member.status in _ADMIN_STATUSES

    async def _refuse(self, chat: Chat) -> Reply:
        return Reply.say(say(await self._commands.language_of(chat), "group_admins_only"))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, chat = update.effective_message, to_chat(update)
        if message is None or message.text is None or chat is None:
            return
        first = message.text.split(maxsplit=1)[0]
        _, at, addressee = first.partition("@")
        if at and addressee.lower() != (context.bot.username or "").lower():
            return  # "/start@otherbot" in a group is not for us
        name, _ = parse_command(message.text)
        async with self._locks.hold(message.chat_id):
            if name in ADMIN_COMMANDS and not await self._is_admin(update, context.bot):
                reply = await self._refuse(chat)
            else:
                reply = await self._commands.handle(chat, message.text)
            await send_reply(context.bot, message.chat_id, reply)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Plain text in a private chat: "07:45" sets the time, "Lisbon" the zone."""
        message, chat = update.effective_message, to_chat(update)
        if message is None or message.text is None or chat is None:
            return
        text = message.text.strip()[:64]
        async with self._locks.hold(message.chat_id):
            if parse_local_time(text) is not None:
                reply = await self._commands.handle(chat, f"/time {text}")
            elif parse_zone(text) is not None or search_zones(text):
                reply = await self._commands.handle(chat, f"/tz {text}")
            else:
                lang = await self._commands.language_of(chat)
                reply = Reply.say(say(lang, "unknown_command"))
            await send_reply(context.bot, message.chat_id, reply)

    async def on_tap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button: edit the tapped message, answer the query, then send what follows."""
        query, chat = update.callback_query, to_chat(update)
        if query is None:
            return
        tapped = query.message if isinstance(query.message, Message) else None
        action = query.data or ""
        if chat is None or tapped is None:
            # An inline-mode or too-old message: nothing to count or edit.
            await query.answer()
            return
        async with self._locks.hold(tapped.chat_id):
            if action.startswith(ADMIN_BUTTONS) and not await self._is_admin(update, context.bot):
                refusal = await self._refuse(chat)
                await query.answer(text=refusal.messages[0].text[:_MAX_NOTICE], show_alert=True)
                return
            reply = await self._commands.press(chat, action)
            if reply.edit is not None:
                await _edit(tapped, to_html(reply.edit))
            elif action.startswith("set:") and reply.messages:
                # A set-up question is answered: its buttons go, so it cannot be re-tapped.
                await _edit(tapped, None)
            notice = reply.notice[:_MAX_NOTICE] if reply.notice else None
            await query.answer(text=notice)
            await send_reply(context.bot, tapped.chat_id, reply)

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The bot was blocked, or removed from a group: stop at once (gone means gone).

        Without this the subscription would only stop at the next failed send. Nothing is
        answered: the chat no longer takes our messages.
        """
        change, chat = update.my_chat_member, to_chat(update)
        if change is None or chat is None:
            return
        if change.new_chat_member.status in _GONE_STATUSES:
            async with self._locks.hold(change.chat.id):
                await self._commands.handle(chat, "/stop")
            logger.info("telegram: removed from chat %s; its subscription stopped", change.chat.id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed update; a platform error during a reply is expected, a bug is not."""
        update_id = update.update_id if isinstance(update, Update) else None
        if isinstance(context.error, TelegramError):
            logger.warning("telegram update %s: reply failed: %s", update_id, context.error)
        else:
            logger.error("telegram update %s failed", update_id, exc_info=context.error)


async def _edit(message: Message, html: str | None) -> None:
    """Replace a message's text (or only drop its keyboard); a repeat edit is not an error."""
    try:
        if html is None:
            await message.edit_reply_markup(reply_markup=None)
        else:
            await message.edit_text(
                html, parse_mode=ParseMode.HTML, reply_markup=None, link_preview_options=NO_PREVIEW
            )
    except BadRequest as error:
        if "message is not modified" not in error.message.lower():
            raise


__all__ = ["ADMIN_COMMANDS", "ChatLocks", "TelegramHandlers", "send_reply", "to_chat"]
