"""What the fake Bot API checks, the way Telegram does: HTML, text limits, flood windows.

Kept apart from the server in :mod:`tests.support.fakes.telegram_api` so each rule reads on its
own: a test that fails on a 400 or a 429 from the fake failed on one of these.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

_TAG = re.compile(r"<(/?)([a-z-]+)([^>]*)>")
_HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
_STRUCTURED = ("reply_markup", "link_preview_options", "allowed_updates", "commands", "scope")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An error answer: HTTP status, Telegram's description and its ``parameters``."""

    def __init__(self, status: int, description: str, **parameters: int) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


def parse_html(text: str) -> str:
    """What the user sees of a message in HTML mode; ValueError where Telegram says 400."""
    stack: list[str] = []
    for closing, name, attrs in _TAG.findall(text):
        if name not in _HTML_TAGS:
            raise ValueError(f'unsupported start tag "{name}"')
        if closing and (not stack or stack.pop() != name):
            raise ValueError(f'unmatched end tag "{name}"')
        if not closing:
            stack.append(name)
            if name == "a" and not re.fullmatch(r' href="[^"<>]+"', attrs):
                raise ValueError("a link without href")
    if stack:
        raise ValueError(f'unclosed tag "{stack[-1]}"')
    plain = _TAG.sub("", text)
    if re.search(r"[<>]|&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", plain):
        raise ValueError("unescaped <, > or &")
    return html.unescape(plain)


def checked_text(params: dict[str, Any]) -> str:
    """The text a sendMessage/editMessageText would show, or the 400 Telegram answers."""
    raw = params["text"]
    try:
        text = parse_html(raw) if params.get("parse_mode") == "HTML" else raw
    except ValueError as problem:
        raise ApiError(400, f"Bad Request: can't parse entities: {problem}") from None
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    for button in (b for row in keyboard_of(params) for b in row):
        if len(button.get("callback_data", "").encode()) > 64:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return text


def keyboard_of(params: dict[str, Any]) -> list[list[dict[str, str]]]:
    markup = params.get("reply_markup") or {}
    return [list(row) for row in markup.get("inline_keyboard", [])]


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request (``sendDocument``)."""

    filename: str
    content_type: str
    content: bytes


async def read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query, a JSON body or form fields (files as :class:`Upload`);
    JSON-encoded strings decoded."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = Upload(value.filename, value.content_type, value.file.read())
            else:
                params[key] = value
    for key in _STRUCTURED:
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


@dataclass(frozen=True)
class FakeLimits:
    """Telegram's flood limits as ``(count, seconds)`` windows; tests raise them to run fast.

    The overall window counts every send and edit; the chat window counts ``send*`` in one
    chat; the group window counts sends and edits in one group (negative chat id).
    """

    overall: tuple[int, float] = (30, 1.0)
    chat: tuple[int, float] = (1, 1.0)
    group: tuple[int, float] = (20, 60.0)
    enforce: bool = True


class FloodWindows:
    """Sliding windows of message calls; :meth:`count` raises a 429 when one is full."""

    def __init__(self, limits: FakeLimits) -> None:
        self.limits = limits
        self.too_many = 0
        self._windows: dict[str, deque[float]] = defaultdict(deque)

    def count(self, method: str, chat_id: int, now: float) -> None:
        if not self.limits.enforce:
            return
        keys = [("overall", self.limits.overall)]
        if method.startswith("send"):
            keys.append((f"chat{chat_id}", self.limits.chat))
        if chat_id < 0:
            keys.append((f"group{chat_id}", self.limits.group))
        for key, (count, seconds) in keys:
            window = self._windows[key]
            while window and window[0] <= now - seconds:
                window.popleft()
            if len(window) >= count:
                self.too_many += 1
                wait = max(1, math.ceil(window[0] + seconds - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        for key, _ in keys:
            self._windows[key].append(now)


@dataclass(frozen=True)
class Chaos:
    """Faults the fake plays on ``sendMessage``, each with its own chance per call.

    ``reset_before``: the connection is reset and the message dropped unread;
    ``reset_after``: the message is stored, then the connection reset; ``stall``: the
    message is stored and the answer comes ``stall_seconds`` later (the client has given
    up); ``server_error``: a 500, nothing stored; ``flood``: a 429 with ``retry_after``,
    nothing stored, and any call to that chat before it has passed is counted ``early``.
    """

    seed: int = 7
    server_error: float = 0.0
    flood: float = 0.0
    retry_after: int = 2
    reset_before: float = 0.0
    reset_after: float = 0.0
    stall: float = 0.0
    stall_seconds: float = 30.0
