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
import re
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

from nudgebot.adapters.failures import log_failure
from nudgebot.commands import Access, Authorize, Commands
from nudgebot.core.actions import SetupStep, parse_action
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.outbound import Reply
from nudgebot.core.texts import say

from .keyboards import to_html, to_outgoing

logger = logging.getLogger(__name__)

PLATFORM = "telegram"
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
"""Nudges link DOIs; a preview card of a journal page would drown the tip."""

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

    def __init__(self, commands: Commands, *, admins: frozenset[int] = frozenset()) -> None:
        self._commands = commands
        self._admins = admins
        self._locks = ChatLocks()

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        only_new = filters.UpdateType.MESSAGE
        application.add_handler(MessageHandler(filters.COMMAND & only_new, self.on_message))
        application.add_handler(
            MessageHandler(
                filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & only_new,
                self.on_message,
            )
        )
        application.add_handler(CallbackQueryHandler(self.on_tap))
        application.add_handler(
            ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        application.add_error_handler(self.on_error)

    def _authorizer(self, update: Update, bot: Bot) -> Authorize:
        """Who may do what here: in a group, its admins change its subscription.

        Operators are the ``NUDGEBOT_TELEGRAM_ADMINS`` user ids, in a private chat with
        the bot. Anyone else gets the ordinary unknown-command answer: an operator
        command must not even be seen to exist.
        """

        async def authorize(access: Access) -> str | None:
            if access is Access.ANYONE:
                return None
            if access is Access.OPERATOR:
                return None if self._is_operator(update) else "unknown_command"
            return None if await self._is_admin(update, bot) else "group_admins_only"

        return authorize

    def _is_operator(self, update: Update) -> bool:
        chat, user = update.effective_chat, update.effective_user
        private = chat is not None and chat.type == ChatType.PRIVATE
        return private and user is not None and user.id in self._admins

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

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command anywhere, or plain text in a private chat ("07:45" sets the time)."""
        message, chat = update.effective_message, to_chat(update)
        if message is None or message.text is None or chat is None:
            return
        first = message.text.split(maxsplit=1)[0] if message.text.strip() else ""
        _, at, addressee = first.partition("@")
        if (
            first.startswith("/")
            and at
            and addressee.lower() != (context.bot.username or "").lower()
        ):
            return  # "/start@otherbot" in a group is not for us
        async with self._locks.hold(message.chat_id):
            authorize = self._authorizer(update, context.bot)
            quoted = message.reply_to_message.text if message.reply_to_message else None
            reply = await self._commands.handle(
                chat, message.text, authorize=authorize, quoted=quoted
            )
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
            authorize = self._authorizer(update, context.bot)
            reply = await self._commands.press(chat, action, authorize=authorize)
            if reply.edit is not None:
                await _edit(tapped, to_html(reply.edit))
            elif isinstance(parse_action(action), SetupStep) and reply.messages:
                # A set-up question is answered: its buttons go, so it cannot be re-tapped.
                await _edit(tapped, None)
            notice = reply.notice[:_MAX_NOTICE] if reply.notice else None
            await query.answer(text=notice, show_alert=reply.alert or None)
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
                await self._commands.subscription.stop(chat)
            logger.info("telegram: removed from chat %s; its subscription stopped", change.chat.id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The Telegram error boundary: every exception a handler raises ends here.

        A platform error during a reply is expected and logged as such; anything else is
        a failure of ours: one line naming the chat (never the update, which holds what
        the user typed) and an apology, as a callback answer for a tap or a message.
        """
        error = context.error
        chat = _chat_of(update)
        who = chat.recipient.address if chat else ""
        who = who if _CHAT_ID.match(who) else "an update without a usable chat"
        if isinstance(error, TelegramError):
            logger.warning("telegram: a reply to %s failed: %s", who, type(error).__name__)
            return
        if error is not None:
            log_failure(logger, platform=PLATFORM, who=who, error=error)
        if isinstance(update, Update) and chat is not None:
            await self._apologise(update, chat, context.bot)

    async def _apologise(self, update: Update, chat: Chat, bot: Bot) -> None:
        try:
            text = say(await self._commands.language_of(chat), "sorry_failed")
            if update.callback_query is not None:
                await update.callback_query.answer(text=text, show_alert=True)
            else:
                await bot.send_message(chat_id=int(chat.recipient.address), text=text)
        except Exception as error:  # PTB logs a raising error handler with a traceback
            logger.warning("telegram: the apology to %s failed too: %s", chat.recipient.address,
                           type(error).__name__)  # fmt: skip


_CHAT_ID = re.compile(r"^-?[0-9]{1,20}$")
"""What a chat id looks like; anything else an update carried stays out of the log."""


def _chat_of(update: object) -> Chat | None:
    """The update's chat for the boundary; an update too malformed to tell has none."""
    try:
        return to_chat(update) if isinstance(update, Update) else None
    except Exception:  # the boundary must not raise: PTB would log a traceback
        return None


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


__all__ = ["ChatLocks", "TelegramHandlers", "send_reply", "to_chat"]
