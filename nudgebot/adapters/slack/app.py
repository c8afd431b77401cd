"""The Slack adapter: a Bolt ``AsyncApp`` in our loop, in one of three modes.

* **Socket Mode** (bot token + app token): one workspace, no public URL; the
  WebSocket connects in :meth:`SlackAdapter.start`.
* **HTTP** (bot token + signing secret): one workspace, requests on ``/slack/events``.
* **OAuth** (client id + client secret + signing secret): any number of workspaces,
  ``/slack/install`` and ``/slack/oauth_redirect`` too, tokens in our database.

Routes go onto the app's one aiohttp application, served by a thin handler of Bolt's
``to_bolt_request`` / ``to_aiohttp_response`` translators; ``app.start()`` is never
called, because it would run a web server and a loop of its own. The Web API base URL
is a setting so tests (and separate Slack deployments) can point elsewhere. slack_sdk
logs whole response bodies at DEBUG (an ``oauth.v2.access`` body holds tokens), so our
clients (and aiosqlite, which logs SQL parameters) log through loggers pinned at INFO.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from nudgebot.adapters.failures import where
from nudgebot.adapters.slack.boundary import slack_id
from nudgebot.adapters.slack.errors import WORKSPACE_GONE, error_code
from nudgebot.adapters.slack.installations import SqlInstallationStore, SqlStateStore
from nudgebot.adapters.slack.listeners import PLATFORM, Listeners
from nudgebot.adapters.slack.sender import InstalledTokens, Sender, StaticToken, TokenSource
from nudgebot.adapters.slack.verification import to_signed_bolt_request
from nudgebot.adapters.transport import NEVER_SENT
from nudgebot.commands import Commands
from nudgebot.core.chats import Recipient
from nudgebot.core.outbound import Message
from nudgebot.core.sending import Connection, SendResult, Starting
from nudgebot.errors import ConfigError
from nudgebot.settings import Settings, SlackMode
from nudgebot.store.db import Sessions
from nudgebot.support.redaction import redact

logger = logging.getLogger(__name__)

SCOPES = (
    "channels:read",
    "chat:write",
    "commands",
    "files:write",  # /mydata uploads the member's data to their DM
    "groups:read",
    "im:write",
    "users:read",
)
"""Bot scopes; deploy/slack-manifest.yml lists exactly these (a test holds them equal)."""
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
REFUSED_TOKEN = WORKSPACE_GONE | {"not_allowed_token_type"}
"""apps.connections.open codes that mean NUDGEBOT_SLACK_APP_TOKEN itself is wrong."""


Mode = SlackMode
"""The mode's rule lives with the settings (:attr:`SlackSettings.mode`), checked at start-up."""


def _quiet_logger(name: str) -> logging.Logger:
    quiet = logging.getLogger(name)
    if quiet.level == logging.NOTSET or quiet.level < logging.INFO:
        quiet.setLevel(logging.INFO)
    return quiet


class SlackAdapter:
    """Slack for the engine (``send``) and for the members (Bolt listeners)."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        settings: Settings,
        commands: Commands,
        sessions: Sessions,
        web_app: web.Application | None,
    ) -> None:
        if settings.slack is None:
            raise ConfigError(["NUDGEBOT_SLACK_*: needed for the Slack adapter"])
        self.mode = settings.slack.mode
        self._settings = settings.slack
        redact(
            *(
                secret.get_secret_value()
                for secret in (
                    self._settings.bot_token,
                    self._settings.app_token,
                    self._settings.signing_secret,
                    self._settings.client_secret,
                )
                if secret is not None
            )
        )
        self._sessions = sessions
        self._commands = commands
        self._api_logger = _quiet_logger("nudgebot.adapters.slack.api")
        # aiosqlite logs every statement's parameters at DEBUG: our installation rows
        # hold bot tokens, so its DEBUG output must never be switched on with us.
        _quiet_logger("aiosqlite")
        # Bolt's respond() logs each response_url with its body at DEBUG; a response_url
        # lets anyone post into that conversation for 30 minutes.
        _quiet_logger("slack_sdk.webhook.async_client")
        # Bounded retries for connections that never opened and for 5xx only; never for
        # 429 (the engine reschedules those), so no AsyncRateLimitErrorRetryHandler here.
        # The default connection-error list also retries a dropped or timed-out request,
        # which may already have posted the message: at most once forbids that.
        backoff = BackoffRetryIntervalCalculator(backoff_factor=0.2)
        self._retry_handlers: list[AsyncRetryHandler] = [
            AsyncConnectionErrorRetryHandler(
                max_retry_count=2,
                interval_calculator=backoff,
                error_types=list(NEVER_SENT),
            ),
            AsyncServerErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        ]
        self._session: aiohttp.ClientSession | None = None
        self._socket: AsyncSocketModeHandler | None = None
        bot_token = self._settings.bot_token if self.mode is not Mode.OAUTH else None
        self.client = self._client(bot_token.get_secret_value() if bot_token else None)
        self.store: SqlInstallationStore | None = None
        self.app = self._build_app()
        self._listeners = Listeners(
            commands=commands,
            erase_workspace=self.erase_workspace,
            default_language=settings.default_language,
        )
        self._listeners.register(self.app)
        self._sender = Sender(
            client_for=self._client, tokens=self._tokens(), on_workspace_gone=self.stop_workspace
        )
        secret = self._settings.signing_secret
        self._verifier = SignatureVerifier(secret.get_secret_value()) if secret else None
        if web_app is not None and self.mode is not Mode.SOCKET:
            web_app.router.add_post(EVENTS_PATH, self._handle_events)
            if self.mode is Mode.OAUTH:
                web_app.router.add_get(INSTALL_PATH, self._handle_install)
                web_app.router.add_get(REDIRECT_PATH, self._handle_redirect)

    def _client(self, token: str | None) -> AsyncWebClient:
        return AsyncWebClient(
            token=token,
            base_url=self._settings.api_url,
            session=self._session,
            logger=self._api_logger,
            retry_handlers=self._retry_handlers,
        )

    def _build_app(self) -> AsyncApp:
        settings = self._settings
        bolt_logger = _quiet_logger("nudgebot.adapters.slack.bolt")
        # Bolt copies its logger's level onto logging.getLogger(<app name>) on every
        # request (slack_bolt.logger.get_bolt_app_logger): named "nudgebot", the app
        # silenced DEBUG for our whole package after the first request.
        app_name = bolt_logger.name
        if self.mode is Mode.OAUTH:
            assert settings.client_id and settings.client_secret and settings.signing_secret
            self.store = SqlInstallationStore(self._sessions)
            oauth = AsyncOAuthSettings(
                client_id=settings.client_id,
                client_secret=settings.client_secret.get_secret_value(),
                scopes=list(SCOPES),
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
                authorization_url=urljoin(settings.api_url, "../oauth/v2/authorize"),
                installation_store=self.store,
                installation_store_bot_only=True,
                state_store=SqlStateStore(self._sessions),
                logger=bolt_logger,
            )
            return AsyncApp(
                name=app_name,
                logger=bolt_logger,
                client=self.client,
                signing_secret=settings.signing_secret.get_secret_value(),
                installation_store=self.store,
                installation_store_bot_only=True,
                raise_error_for_unhandled_request=True,
                oauth_flow=AsyncOAuthFlow(client=self.client, logger=bolt_logger, settings=oauth),
            )
        secret = settings.signing_secret
        return AsyncApp(
            name=app_name,
            logger=bolt_logger,
            client=self.client,  # carries the bot token
            signing_secret=secret.get_secret_value() if secret else None,
            request_verification_enabled=self.mode is Mode.HTTP,
            raise_error_for_unhandled_request=True,
        )

    def _tokens(self) -> TokenSource:
        settings = self._settings
        if self.store is None:
            assert settings.bot_token is not None  # HTTP and Socket Mode need one
            return StaticToken(settings.bot_token.get_secret_value())
        assert settings.client_id and settings.client_secret
        rotator = AsyncTokenRotator(
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            client=self.client,
        )
        return InstalledTokens(store=self.store, rotator=rotator)

    async def start(self) -> None:
        """Share one HTTP connection pool; in Socket Mode, connect the WebSocket."""
        self._session = aiohttp.ClientSession()
        self.client.session = self._session
        if self.mode is Mode.SOCKET:
            try:
                await self._connect_socket()
            except BaseException:
                await self.stop()  # the app's exit stack only stops what started
                raise
        logger.info("slack: started in %s mode", self.mode.value)

    async def _connect_socket(self) -> None:
        assert self._settings.app_token is not None  # Socket Mode needs one
        app_token = self._settings.app_token.get_secret_value()
        # slack_sdk's SocketModeClient.connect() retries a refused apps.connections.open
        # every ping interval for ever, so a wrong app token would hang start-up with
        # nothing but log lines. Ask for the first URL ourselves and hand it over.
        try:
            opened = await self.client.apps_connections_open(app_token=app_token)
        except SlackApiError as error:
            code = error_code(error)
            if code not in REFUSED_TOKEN:
                raise
            raise ConfigError(
                [f"NUDGEBOT_SLACK_APP_TOKEN: Slack refused it for Socket Mode ({code})"]
            ) from error
        self._socket = AsyncSocketModeHandler(
            self.app, app_token=app_token, logger=self._api_logger, web_client=self.client
        )
        self._socket.client.wss_uri = str(opened["url"])
        await self._socket.connect_async()  # type: ignore[no-untyped-call]

    async def connection(self) -> Connection:
        """For ``/readyz``: Socket Mode needs its WebSocket; HTTP modes need their routes."""
        if self._session is None:
            return Connection(False, "not started")
        if self.mode is not Mode.SOCKET:
            return Connection(True, "HTTP routes mounted")
        if self._socket is not None and await self._socket.client.is_connected():
            return Connection(True, "Socket Mode connected")
        return Connection(False, "Socket Mode disconnected")

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._session is not None:
            await self._session.close()
            self._session = None
            self.client.session = None

    async def send(
        self, recipient: Recipient, message: Message, *, starting: Starting | None = None
    ) -> SendResult:
        return await self._sender.send(recipient, message, starting=starting)

    async def idle(self) -> None:
        """Return once no listener is at work after its ack (a test's "all done")."""
        await self._listeners.running.idle()

    async def stop_workspace(self, team_id: str) -> None:
        """The app left a workspace: its subscriptions stop, its token is deleted."""
        stopped = await self._commands.workspaces.stop(PLATFORM, team_id)
        await self._drop_token(team_id)
        logger.info("slack: team %s is gone; %d subscriptions stopped", team_id, stopped)

    async def erase_workspace(self, team_id: str) -> None:
        """The workspace removed the app: erase its subscribers with everything about them.

        ``app_uninstalled`` and ``tokens_revoked`` come here: the token is deleted,
        subscriptions stop, then every row about the workspace's chats is deleted.

        A send that finds the token dead only stops (:meth:`stop_workspace`): a token
        mistyped in the settings must not erase a workspace's data.
        """
        await self._drop_token(team_id)
        erased = await self._commands.workspaces.erase(PLATFORM, team_id)
        logger.info("slack: team %s removed the app; %d rows erased", team_id, erased)

    async def _drop_token(self, team_id: str) -> None:
        if self.store is not None:
            await self.store.async_delete_all(enterprise_id=None, team_id=team_id)
        self._sender.drop_team(team_id)

    async def _handle_events(self, request: web.Request) -> web.Response:
        assert self._verifier is not None  # HTTP and OAuth modes have a signing secret
        bolt_request = await to_signed_bolt_request(request, self._verifier)
        if isinstance(bolt_request, web.Response):
            return bolt_request
        try:
            response = await self.app.async_dispatch(bolt_request)
        except Exception as error:
            # Bolt builds listener arguments from the body in its error handler too, so a
            # signed block_actions with no actions raises past app.error (found by fuzzing):
            # a body it cannot handle, answered like one it cannot parse.
            context = bolt_request.context
            logger.warning(
                "slack: a signed request from %s/%s was unusable (%s at %s); 400",
                slack_id(context.team_id),
                slack_id(context.user_id),
                type(error).__name__,
                where(error),
            )
            return web.Response(status=400, text="unreadable request")
        return await to_aiohttp_response(response)

    async def _handle_install(self, request: web.Request) -> web.Response:
        assert self.app.oauth_flow is not None
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(
            await self.app.oauth_flow.handle_installation(bolt_request)
        )

    async def _handle_redirect(self, request: web.Request) -> web.Response:
        assert self.app.oauth_flow is not None
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(await self.app.oauth_flow.handle_callback(bolt_request))


__all__ = ["EVENTS_PATH", "SCOPES", "Mode", "SlackAdapter"]
