"""A fake Telegram Bot API over real HTTP on 127.0.0.1, in the test's own loop.

The shape of opsdroid's ``ExternalAPIMockServer`` without its fixed port: it keeps state
(chats, messages, the webhook, the command menu), records every call, can be scripted
(``block``, ``delete_chat``, ``migrate``, ``flood``, ``fail``, ``stall``), delivers user
input by ``getUpdates`` or by POSTing to the registered webhook, and enforces flood
limits as sliding windows, answering 429 like Telegram when a client sends too fast. It
checks HTML like Telegram does (unknown tags, unescaped ``<>&`` -> 400), so escaping bugs
fail tests instead of passing quietly.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import socket
import struct
import time
from collections import defaultdict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.support.fakes.telegram_rules import (
    NOT_MODIFIED,
    ApiError,
    Chaos,
    FakeLimits,
    FloodWindows,
    Upload,
    checked_text,
    keyboard_of,
    read_params,
)

TOKEN = "123456:FAKE-telegram-token-for-tests"
BOT_ID = 123456
_ADMIN_RIGHTS = [
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
]


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    html: str
    text: str
    keyboard: list[list[dict[str, str]]] = field(default_factory=list)
    edits: int = 0

    @property
    def buttons(self) -> list[str]:
        return [button["text"] for row in self.keyboard for button in row]

    def action(self, label: str) -> str:
        return next(b["callback_data"] for row in self.keyboard for b in row if b["text"] == label)


@dataclass
class SentDocument:
    chat_id: int
    message_id: int
    filename: str
    content_type: str
    content: bytes
    caption: str


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    status: int
    at: float


_request: ContextVar[web.Request] = ContextVar("request")
"""The request being served (aiohttp serves each in a task of its own)."""


class _Reset(Exception):
    """Raised inside a handler to end the request with a TCP reset."""


class FakeTelegramApi:
    def __init__(
        self,
        *,
        limits: FakeLimits | None = None,
        username: str = "nudge_test_bot",
        keep_messages: bool = True,
        chaos: Chaos | None = None,
    ):
        self.limits, self.username = limits or FakeLimits(), username
        self.keep_messages = keep_messages
        """False for a morning of a million: ``sendMessage`` is only counted, per chat and
        in ``send_times``, so the fake's memory does not grow by a message a send."""
        self.send_times: list[float] = []
        """``time.monotonic()`` of every served ``sendMessage``, in arrival order (lean)."""
        self.counts: dict[int, int] = defaultdict(int)
        """Messages per chat when not kept."""
        self.chaos = chaos
        self._dice = random.Random(chaos.seed if chaos else 0)
        self.faults: dict[str, list[int]] = defaultdict(list)
        """Chats by the fault played on them (``reset_before``, ``flood``, ...)."""
        self.early = 0
        """Calls to a chat before its ``retry_after`` had passed."""
        self._flooded_until: dict[int, float] = {}
        self.calls: list[Call] = []
        self.chats: dict[int, list[SentMessage]] = defaultdict(list)
        self.documents: dict[int, list[SentDocument]] = defaultdict(list)
        self.menus: dict[str | None, list[dict[str, str]]] = {}
        self.webhook: dict[str, str] | None = None
        self.answers: list[dict[str, Any]] = []
        self.windows = FloodWindows(self.limits)
        self.members: dict[tuple[int, int], str] = {}
        self._scripts: dict[int | None, list[tuple[ApiError | float, bool]]] = defaultdict(list)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._open_queries: set[str] = set()
        self._resets: dict[int, bool] = {}
        self.polling = 0
        """``getUpdates`` calls open right now; Telegram allows one per bot."""
        self.conflicts = 0
        """``getUpdates`` calls refused with 409 because another one was open."""
        self.poll_starts: list[float] = []
        """``time.monotonic()`` of every ``getUpdates`` that was served."""
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.url = ""

    # lifecycle -------------------------------------------------------------------------
    async def start(self) -> FakeTelegramApi:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        # No access log: it would print request paths, which carry the token, like
        # Telegram's own server logs would.
        self._runner = web.AppRunner(app, shutdown_timeout=1, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.url}/bot"

    # scripting -------------------------------------------------------------------------
    def _script(self, chat_id: int | None, outcome: ApiError | float, forever: bool) -> None:
        self._scripts[chat_id].append((outcome, forever))

    def block(self, chat_id: int, description: str = "Forbidden: bot was blocked by the user"):
        self._script(chat_id, ApiError(403, description), forever=True)

    def delete_chat(self, chat_id: int) -> None:
        self._script(chat_id, ApiError(400, "Bad Request: chat not found"), forever=True)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        description = "Bad Request: group chat was upgraded to a supergroup chat"
        error = ApiError(400, description, migrate_to_chat_id=new_chat_id)
        self._script(chat_id, error, forever=True)

    def flood(self, retry_after: int, chat_id: int | None = None) -> None:
        error = ApiError(
            429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
        )
        self._script(chat_id, error, forever=False)

    def fail(self, chat_id: int, status: int = 502, description: str = "Bad Gateway") -> None:
        self._script(chat_id, ApiError(status, description), forever=False)

    def stall(self, chat_id: int, seconds: float) -> None:
        self._script(chat_id, seconds, forever=False)

    def reset(self, chat_id: int, *, after_taking: bool) -> None:
        """The next ``sendMessage`` to the chat ends in a TCP reset instead of an answer.

        ``after_taking``: the message is stored first (the platform has it, the answer is
        lost); otherwise it is dropped unread.
        """
        self._resets[chat_id] = after_taking

    def make_admin(self, chat_id: int, user_id: int, status: str = "administrator") -> None:
        self.members[(chat_id, user_id)] = status

    # what users do -----------------------------------------------------------------------
    def _chat(self, chat_id: int) -> dict[str, Any]:
        kind = (
            "private"
            if chat_id > 0
            else "supergroup"
            if str(chat_id).startswith("-100")
            else "group"
        )
        return {
            "id": chat_id,
            "type": kind,
            **({"first_name": "Ann"} if kind == "private" else {"title": "Gut club"}),
        }

    def _user(self, user_id: int, language: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"}
        return user | ({"language_code": language} if language else {})

    async def user_says(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language: str | None = "en",
        replying_to: str | None = None,
    ) -> int:
        """A user writes ``text`` (as a reply to an earlier message of theirs saying
        ``replying_to``); returns the webhook's HTTP status, or 200 when polled."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "text": text,
            "chat": self._chat(chat_id),
            "from": self._user(user_id or chat_id, language),
        }
        if replying_to is not None:
            message["reply_to_message"] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "text": replying_to,
                "chat": self._chat(chat_id),
                "from": self._user(user_id or chat_id, language),
            }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return await self._deliver({"message": message})

    async def user_taps(
        self,
        chat_id: int,
        label: str,
        *,
        message_id: int | None = None,
        user_id: int | None = None,
        language: str | None = "en",
        stale: SentMessage | None = None,
        data: str | None = None,
    ) -> int:
        """A user taps the button labelled ``label`` on a message (default: the latest with it).

        ``stale`` is a copy of the message as the user's phone still showed it (its keyboard
        already gone on the server): how double taps and old messages reach a bot. ``data``
        replaces the button's callback data, as a forged or corrupted tap would.
        """
        sent = stale or next(
            m
            for m in reversed(self.chats[chat_id])
            if (message_id or m.message_id) == m.message_id and label in m.buttons
        )
        query_id = f"q{next(self._update_ids)}"
        self._open_queries.add(query_id)
        query = {
            "id": query_id,
            "from": self._user(user_id or chat_id, language),
            "chat_instance": str(chat_id),
            "data": sent.action(label) if data is None else data,
            "message": self._message_json(sent),
        }
        return await self._deliver({"callback_query": query})

    async def bot_removed(self, chat_id: int, *, status: str = "kicked") -> int:
        """The user blocks the bot (private chat), or it is removed from a group ("left").

        Telegram tells the bot with a ``my_chat_member`` update; sends fail from then on.
        """
        bot = self._bot_user()
        new_member: dict[str, Any] = {"status": status, "user": bot}
        if status == "kicked":
            new_member["until_date"] = 0
        change = {
            "chat": self._chat(chat_id),
            "from": self._user(abs(chat_id), None),
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": bot},
            "new_chat_member": new_member,
        }
        self.block(chat_id)
        return await self._deliver({"my_chat_member": change})

    async def _deliver(self, update: dict[str, Any]) -> int:
        update["update_id"] = next(self._update_ids)
        if self.webhook is not None:
            headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", "")}
            async with (
                aiohttp.ClientSession() as session,
                session.post(self.webhook["url"], json=update, headers=headers) as response,
            ):
                return response.status
        self._updates.append(update)
        await self._notify()
        return 200

    async def post_webhook(self, body: bytes) -> int:
        """POST any bytes to the registered webhook, with the right secret (a broken update)."""
        assert self.webhook is not None
        headers = {
            "X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", ""),
            "Content-Type": "application/json",
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook["url"], data=body, headers=headers) as response,
        ):
            return response.status

    # what tests check --------------------------------------------------------------------
    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return list(self.chats[chat_id])

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def too_many(self) -> int:
        """How many 429s the flood windows answered."""
        return self.windows.too_many

    async def wait_for(self, predicate: Callable[[], bool], seconds: float = 5.0) -> None:
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # the API -------------------------------------------------------------------------------
    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        _request.set(request)
        params = await read_params(request)
        try:
            if request.match_info["token"] != TOKEN:
                raise ApiError(401, "Unauthorized")
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            try:
                result = await handler(params)
            except _Reset:
                sock = request.transport.get_extra_info("socket") if request.transport else None
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                if request.transport is not None:
                    request.transport.abort()
                self.calls.append(Call(method, params, 0, time.monotonic()))
                await self._notify()
                return web.Response(status=500)  # never reaches the client
            except (ValueError, KeyError, TypeError) as bad:  # e.g. chat_id "abc", as Telegram
                raise ApiError(400, "Bad Request: chat not found") from bad
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status = error.status
            body = {"ok": False, "error_code": status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
        if self.keep_messages or method != "sendMessage":
            self.calls.append(Call(method, params, status, time.monotonic()))
            await self._notify()
        elif status == 200:
            self.send_times.append(time.monotonic())
        return web.json_response(body, status=status)

    async def _before_message_call(self, method: str, chat_id: int) -> None:
        for key in (chat_id, None):
            script = self._scripts.get(key, [])
            if script:
                outcome, _ = script[0] if script[0][1] else script.pop(0)
                if isinstance(outcome, ApiError):
                    raise outcome
                await asyncio.sleep(outcome)
        self.windows.count(method, chat_id, time.monotonic())

    def _message_json(self, sent: SentMessage) -> dict[str, Any]:
        message = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self._chat(sent.chat_id),
            "from": self._bot_user(),
            "text": sent.text,
        }
        return message | (
            {"reply_markup": {"inline_keyboard": sent.keyboard}} if sent.keyboard else {}
        )

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "nudgebot", "username": self.username}

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user() | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        # A poller that just hung up may not have been noticed yet (its socket's end is
        # read on the next turns of the loop): give it a moment before calling it a conflict.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(0.5), self._changed:
                await self._changed.wait_for(lambda: not self.polling)
        if self.polling:
            self.conflicts += 1
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        self.polling += 1
        self.poll_starts.append(time.monotonic())
        try:
            return await self._updates_after(params)
        finally:
            self.polling -= 1

    async def _updates_after(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0))
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        end = time.monotonic() + min(float(params.get("timeout", 0)), 30.0)
        transport = _request.get().transport
        async with self._changed:
            # A poller that hung up (stopped, killed) no longer polls, as on Telegram.
            while not (self._updates or self._closing) and time.monotonic() < end:
                if transport is None or transport.is_closing():
                    return []
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(0.1, end - time.monotonic()))
        return self._updates[: int(params.get("limit", 100))]

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = checked_text(params)
        await self._before_message_call("sendMessage", chat_id)
        fault = self._roll(chat_id)
        if fault == "server_error":
            raise ApiError(500, "Internal Server Error")
        if fault == "flood":
            assert self.chaos is not None
            self._flooded_until[chat_id] = time.monotonic() + self.chaos.retry_after
            retry_after = self.chaos.retry_after
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        reset = self._resets.pop(chat_id, None)
        if fault in ("reset_before", "reset_after"):
            reset = fault == "reset_after"
        if reset is False:
            raise _Reset
        sent = SentMessage(
            chat_id, next(self._message_ids), params["text"], text, keyboard_of(params)
        )
        if not self.keep_messages:
            self.counts[chat_id] += 1
            return {"message_id": sent.message_id, "date": 0, "chat": self._chat(chat_id)}
        self.chats[chat_id].append(sent)
        if reset:
            raise _Reset
        if fault == "stall":
            assert self.chaos is not None
            await asyncio.sleep(self.chaos.stall_seconds)
        return self._message_json(sent)

    def _roll(self, chat_id: int) -> str | None:
        """The fault this call meets, if any (see :class:`Chaos`); counts early calls."""
        if time.monotonic() < self._flooded_until.get(chat_id, float("-inf")):
            self.early += 1
        if self.chaos is None:
            return None
        draw = self._dice.random()
        for name in ("server_error", "flood", "reset_before", "reset_after", "stall"):
            chance = float(getattr(self.chaos, name))
            if draw < chance:
                self.faults[name].append(chat_id)
                return name
            draw -= chance
        return None

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        """A new file only (multipart); sending by file_id or URL is not modelled."""
        chat_id, upload = int(params["chat_id"]), params.get("document")
        if not isinstance(upload, Upload):
            raise ApiError(400, "Bad Request: there is no document in the request")
        if not upload.content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        if len(upload.content) > 50 * 1024 * 1024:
            raise ApiError(413, "Request Entity Too Large")
        caption = params.get("caption", "")
        if len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        await self._before_message_call("sendDocument", chat_id)
        sent = SentDocument(
            chat_id, next(self._message_ids), upload.filename, upload.content_type,
            upload.content, caption,
        )  # fmt: skip
        self.documents[chat_id].append(sent)
        return {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._bot_user(),
            "caption": caption,
            "document": {
                "file_id": f"doc{sent.message_id}", "file_unique_id": f"u{sent.message_id}",
                "file_name": upload.filename, "mime_type": upload.content_type,
                "file_size": len(upload.content),
            },
        }  # fmt: skip

    def _find(self, params: dict[str, Any]) -> SentMessage:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        for sent in self.chats[chat_id]:
            if sent.message_id == message_id:
                return sent
        raise ApiError(400, "Bad Request: message to edit not found")

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        sent, text = self._find(params), checked_text(params)
        if (params["text"], keyboard_of(params)) == (sent.html, sent.keyboard):
            raise ApiError(400, NOT_MODIFIED)
        await self._before_message_call("editMessageText", sent.chat_id)
        sent.html, sent.text, sent.keyboard, sent.edits = (
            params["text"],
            text,
            keyboard_of(params),
            sent.edits + 1,
        )
        return self._message_json(sent)

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._find(params)
        if keyboard_of(params) == sent.keyboard:
            raise ApiError(400, NOT_MODIFIED)
        await self._before_message_call("editMessageReplyMarkup", sent.chat_id)
        sent.keyboard, sent.edits = keyboard_of(params), sent.edits + 1
        return self._message_json(sent)

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if params["callback_query_id"] not in self._open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_queries.discard(params["callback_query_id"])
        self.answers.append(params)
        return True

    async def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = int(params["user_id"])
        status = self.members.get((int(params["chat_id"]), user_id), "member")
        member: dict[str, Any] = {"status": status, "user": self._user(user_id, None)}
        if status == "creator":
            member["is_anonymous"] = False
        if status == "administrator":
            member |= {"is_anonymous": False} | dict.fromkeys(_ADMIN_RIGHTS, True)
        return member

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        self.menus[params.get("language_code")] = params["commands"]
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token", "")}
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True
