"""A fake Slack Web API over real HTTP on 127.0.0.1 (port 0), in the test's own loop.

It keeps state (teams and their tokens, members, channels, posted messages) and records
every call per API method, so tests assert on what reached Slack. Scripting:
``flood(team, retry_after)`` answers the team's next posts with HTTP 429,
``fail(channel, code)`` answers posts to a channel with ``ok: false``, ``revoke(team)``
makes the team's token ``token_revoked``. Point slack_sdk at :attr:`base_url`.

File uploads follow Slack's three steps (what ``files_upload_v2`` does):
``files.getUploadURLExternal`` hands out an upload URL and a file id (``missing_scope``
without ``files:write``), the bytes are POSTed to that URL, and
``files.completeUploadExternal`` shares the file in a channel; :meth:`files_in` shows
what a channel received.

Socket Mode speaks what slack_sdk's aiohttp ``SocketModeClient`` expects: with an app
token set (``enable_socket_mode``), ``apps.connections.open`` hands out a one-time
``ws://`` URL; the WebSocket greets with ``hello``, answers the client's pings (aiohttp
does), carries the envelopes a test ``push``es and records every ``{"envelope_id"}``
ack the client sends back; ``disconnect()`` asks the client to reconnect, as Slack does
before it recycles a connection.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

BOT_SCOPES = "channels:read,chat:write,commands,files:write,groups:read,im:write,users:read"
SOCKET_PATH = "/socket-mode"
EnvelopeType = Literal["slash_commands", "interactive", "events_api"]


@dataclass
class FakeTeam:
    team_id: str
    token: str
    name: str = "Team"
    installer: str = "UINSTALLER"
    revoked: bool = False
    flood_seconds: int = 0
    refresh_token: str | None = None
    scopes: str = BOT_SCOPES


@dataclass
class FakeChannel:
    channel_id: str
    creator: str = ""
    is_member: bool = True
    error: str | None = None


@dataclass
class FakeFile:
    file_id: str
    team_id: str
    filename: str
    length: int
    content: bytes | None = None  # None until the upload URL received the bytes
    title: str = ""
    channel: str | None = None  # set once the upload is completed and shared
    initial_comment: str = ""


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlackApi:
    def __init__(self) -> None:
        self.teams: dict[str, FakeTeam] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.oauth_codes: dict[str, str] = {}  # code -> team id
        self.calls: dict[str, list[Call]] = defaultdict(list)
        self.responses: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.posted: list[dict[str, Any]] = []  # messages Slack accepted
        self.files: dict[str, FakeFile] = {}
        self.rotation = False
        self.delays: dict[str, float] = {}  # method -> seconds before answering
        self.gates: dict[str, asyncio.Event] = {}  # method -> answered once the event is set
        self.status_override: dict[str, int] = {}  # method -> HTTP status (5xx trouble)
        self.refusals: dict[str, str] = {}  # method -> error code of an "ok": false answer
        self.app_token: str | None = None  # Socket Mode is on once this is set
        self.sockets: list[web.WebSocketResponse] = []  # every connection, oldest first
        self.acks: list[dict[str, Any]] = []  # what the client sent back, in order
        self._tickets: set[str] = set()  # issued by apps.connections.open, used once
        self._envelopes = itertools.count(1)
        self._changed = asyncio.Condition()
        self._ts = 1_700_000_000
        self._server: TestServer | None = None

    # ---- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get(SOCKET_PATH, self._socket)
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server()

    async def close(self) -> None:
        for socket in self.sockets:  # else the server waits for their handlers to end
            await socket.close()
        if self._server is not None:
            await self._server.close()

    @property
    def port(self) -> int:
        assert self._server is not None and self._server.port is not None
        return self._server.port

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def base_url(self) -> str:
        return f"{self.root}api/"

    def response_url(self, key: str) -> str:
        return f"{self.root}respond/{key}"

    # ---- state and scripting ------------------------------------------------------------
    def add_team(self, team_id: str, token: str | None = None, **extra: Any) -> FakeTeam:
        team = FakeTeam(team_id=team_id, token=token or f"xoxb-{team_id}-secret", **extra)
        self.teams[team_id] = team
        return team

    def add_user(
        self, user_id: str, *, tz: str = "Europe/Amsterdam", locale: str = "en-US", **extra: Any
    ) -> None:
        self.users[user_id] = {"id": user_id, "tz": tz, "locale": locale, **extra}

    def add_channel(self, channel_id: str, **extra: Any) -> FakeChannel:
        channel = FakeChannel(channel_id=channel_id, **extra)
        self.channels[channel_id] = channel
        return channel

    def flood(self, team_id: str, retry_after: int) -> None:
        self.teams[team_id].flood_seconds = retry_after

    def fail(self, channel_id: str, code: str) -> None:
        self.channels.setdefault(channel_id, FakeChannel(channel_id)).error = code

    def revoke(self, team_id: str) -> None:
        self.teams[team_id].revoked = True

    def enable_socket_mode(self, app_token: str = "xapp-1-AAPP-1-socket-secret") -> str:
        self.app_token = app_token
        return app_token

    @property
    def live_sockets(self) -> list[web.WebSocketResponse]:
        return [socket for socket in self.sockets if not socket.closed]

    async def push(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
    ) -> str:
        """Send an envelope on the newest open connection; returns its envelope id."""
        envelope_id = envelope_id or f"env-{next(self._envelopes)}"
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }  # fmt: skip
        if kind == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": ""}
        await self._live_socket().send_str(dumps(envelope))
        return envelope_id

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to move to a new connection, as Slack does every few hours."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}
        await self._live_socket().send_str(dumps(message))

    def _live_socket(self) -> web.WebSocketResponse:
        live = self.live_sockets
        assert live, "no Socket Mode client is connected"
        return live[-1]

    # ---- what reached Slack -------------------------------------------------------------
    def called(self, method: str) -> list[Call]:
        return self.calls.get(method, [])

    def messages_to(self, channel: str) -> list[dict[str, Any]]:
        """Messages Slack accepted for a channel (failed posts are only in ``calls``)."""
        return [params for params in self.posted if params["channel"] == channel]

    def files_in(self, channel: str) -> list[FakeFile]:
        """Files shared in a channel (uploads never completed are not)."""
        return [f for f in self.files.values() if f.channel == channel]

    async def wait_for(self, predicate: Any, within: float = 5.0) -> None:
        """Wait until ``predicate()`` holds: listeners answer after their ack."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(predicate)

    async def wait_responses(self, key: str, count: int = 1) -> list[dict[str, Any]]:
        await self.wait_for(lambda: len(self.responses[key]) >= count)
        return self.responses[key]

    def acks_of(self, envelope_id: str) -> list[dict[str, Any]]:
        return [ack for ack in self.acks if ack.get("envelope_id") == envelope_id]

    async def wait_ack(self, envelope_id: str, within: float = 3.0) -> dict[str, Any]:
        """The client's ack of an envelope; Slack gives up (and retries) after 3 seconds."""
        await self.wait_for(lambda: bool(self.acks_of(envelope_id)), within=within)
        return self.acks_of(envelope_id)[0]

    # ---- HTTP ---------------------------------------------------------------------------
    async def _respond(self, request: web.Request) -> web.Response:
        self.responses[request.match_info["key"]].append(await request.json())
        await self._notify()
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: no token, the bytes as the body, once per file id."""
        upload = self.files.get(request.match_info["file_id"])
        if upload is None or upload.content is not None:
            return web.Response(status=404, text="unknown or used upload URL")
        content = await request.read()
        if len(content) != upload.length:
            return web.Response(status=400, text="length differs from getUploadURLExternal's")
        upload.content = content
        await self._notify()
        return web.Response(text=f"OK - {len(content)}")

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(await request.post())
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.get("token")
        self.calls[method].append(Call(method, params, token, dict(request.headers)))
        if method in self.delays:
            await asyncio.sleep(self.delays[method])
        if method in self.gates:
            await self.gates[method].wait()
        if method in self.status_override:
            await self._notify()
            return web.json_response({"ok": False}, status=self.status_override[method])
        try:
            status, body, headers = self._answer(method, params, token)
        finally:
            await self._notify()
        return web.json_response(body, status=status, headers=headers)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            raise web.HTTPUnauthorized(text="invalid or used ticket")
        self._tickets.discard(ticket)
        socket = web.WebSocketResponse()  # autoping: pongs the client's pings
        await socket.prepare(request)
        self.sockets.append(socket)
        await socket.send_str(
            dumps({
                "type": "hello", "num_connections": len(self.live_sockets),
                "debug_info": {"host": "fake", "approximate_connection_time": 18060},
                "connection_info": {"app_id": "AAPP"},
            })
        )  # fmt: skip
        await self._notify()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
                await self._notify()
        await self._notify()
        return socket

    def _connections_open(self, token: str | None) -> dict[str, Any]:
        if self.app_token is None or token != self.app_token:
            bot = self._team_of(token) is not None
            return {"ok": False, "error": "not_allowed_token_type" if bot else "invalid_auth"}
        ticket = f"ticket-{len(self.called('apps.connections.open'))}"
        self._tickets.add(ticket)
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}{SOCKET_PATH}?ticket={ticket}"
                f"&app_id=AAPP"}  # fmt: skip

    def _team_of(self, token: str | None) -> FakeTeam | None:
        return next((t for t in self.teams.values() if t.token == token), None)

    def _answer(
        self, method: str, params: dict[str, Any], token: str | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if method == "oauth.v2.access":
            return 200, self._oauth(params), {}
        if method == "apps.connections.open":
            return 200, self._connections_open(token), {}
        team = self._team_of(token)
        if team is None:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        if team.revoked:
            return 200, {"ok": False, "error": "token_revoked"}, {}
        if method in self.refusals:
            return 200, {"ok": False, "error": self.refusals[method]}, {}
        if method in ("chat.postMessage", "conversations.open") and team.flood_seconds:
            return (
                429,
                {"ok": False, "error": "ratelimited"},
                {"Retry-After": str(team.flood_seconds)},
            )
        handler = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post,
            "chat.update": lambda p, t: {"ok": True, "channel": p["channel"], "ts": p["ts"]},
            "views.publish": lambda p, t: {"ok": True, "view": {"id": "V1"}},
            "views.open": lambda p, t: {"ok": True, "view": {"id": "V2"}},
            "users.info": self._users_info,
            "conversations.open": lambda p, t: {"ok": True, "channel": {"id": f"D{p['users']}"}},
            "conversations.info": self._conversations_info,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        return 200, handler(params, team), {}

    def _auth_test(self, params: dict[str, Any], team: FakeTeam) -> dict[str, Any]:
        return {"ok": True, "team_id": team.team_id, "team": team.name, "user_id": "UBOT",
                "bot_id": "BBOT", "url": "https://fake.slack.com/"}  # fmt: skip

    def _post(self, params: dict[str, Any], team: FakeTeam) -> dict[str, Any]:
        channel = self.channels.get(params["channel"])
        if channel is not None and channel.error:
            return {"ok": False, "error": channel.error}
        self._ts += 1
        params["ts"] = f"{self._ts}.000100"
        self.posted.append(params)
        return {"ok": True, "channel": params["channel"], "ts": params["ts"]}

    def _upload_url(self, params: dict[str, Any], team: FakeTeam) -> dict[str, Any]:
        if "files:write" not in team.scopes.split(","):
            return {"ok": False, "error": "missing_scope", "needed": "files:write"}
        if not params.get("filename") or not str(params.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{len(self.files) + 1:04d}"
        self.files[file_id] = FakeFile(
            file_id, team.team_id, str(params["filename"]), int(params["length"])
        )
        return {"ok": True, "upload_url": f"{self.root}upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: dict[str, Any], team: FakeTeam) -> dict[str, Any]:
        wanted = json.loads(params.get("files") or "[]")
        found = [self.files.get(str(f.get("id"))) for f in wanted]
        if not found or any(f is None or f.team_id != team.team_id for f in found):
            return {"ok": False, "error": "file_not_found"}
        if any(f is not None and f.content is None for f in found):
            return {"ok": False, "error": "file_upload_not_completed"}  # bytes never arrived
        channel = params.get("channel_id")
        shared = []
        for upload, spec in zip(found, wanted, strict=True):
            assert upload is not None
            upload.title = str(spec.get("title") or upload.filename)
            upload.channel, upload.initial_comment = channel, params.get("initial_comment", "")
            shared.append({"id": upload.file_id, "name": upload.filename, "title": upload.title})
        return {"ok": True, "files": shared}

    def _users_info(self, params: dict[str, Any], team: FakeTeam) -> dict[str, Any]:
        user = self.users.get(params["user"])
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _conversations_info(self, params: dict[str, Any], team: FakeTeam) -> dict[str, Any]:
        channel = self.channels.get(params["channel"])
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        info = {
            "id": channel.channel_id,
            "creator": channel.creator,
            "is_member": channel.is_member,
        }
        return {"ok": True, "channel": info}

    def _oauth(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("grant_type") == "refresh_token":
            wanted = params.get("refresh_token")
            team = next((t for t in self.teams.values() if t.refresh_token == wanted), None)
            if team is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            team.token = f"{team.token}-rotated"
            return {
                "ok": True, "access_token": team.token, "refresh_token": team.refresh_token,
                "expires_in": 43200, "token_type": "bot", "team": {"id": team.team_id},
            }  # fmt: skip
        team_id = self.oauth_codes.pop(str(params.get("code")), None)
        if team_id is None:
            return {"ok": False, "error": "invalid_code"}
        team = self.teams[team_id]
        body: dict[str, Any] = {
            "ok": True, "app_id": "AAPP", "access_token": team.token, "token_type": "bot",
            "scope": BOT_SCOPES, "bot_user_id": "UBOT",
            "team": {"id": team.team_id, "name": team.name}, "enterprise": None,
            "is_enterprise_install": False, "authed_user": {"id": team.installer},
        }  # fmt: skip
        if self.rotation:
            team.refresh_token = f"xoxe-{team.team_id}-refresh"
            body |= {"refresh_token": team.refresh_token, "expires_in": 43200}
        return body


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"))
