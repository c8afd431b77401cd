"""Sending one nudge to one Slack conversation, for the engine, outside any request.

Three things make this more than a ``chat.postMessage``:

* **Tokens.** In OAuth mode each workspace has its own bot token in the installation
  store; with token rotation it expires every 12 hours and Bolt refreshes it only while
  handling a request, so :class:`InstalledTokens` refreshes it here before a send.
* **Pace.** At most one message per second per channel, and after a 429 the whole
  workspace waits out its ``Retry-After``. Both are per-key deadlines checked without
  awaiting: a busy or rate-limited workspace answers :class:`RetryLater` at once and
  never holds up the others (no global lock, no sleeping inside ``send``).
* **Gone workspaces.** ``invalid_auth`` / ``token_revoked`` / ``account_inactive`` stop
  every subscription of the workspace and delete its token (``on_workspace_gone``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from nudgebot.adapters.slack.blocks import fallback_text, to_blocks
from nudgebot.adapters.slack.errors import from_exception, is_workspace_gone
from nudgebot.core.chats import Recipient
from nudgebot.core.outbound import Message
from nudgebot.core.sending import Delivered, RecipientGone, RetryLater, SendResult, Starting

logger = logging.getLogger(__name__)

CHANNEL_INTERVAL = 1.0
"""Seconds between two messages to one channel (Slack's chat.postMessage guidance)."""
ROTATE_MINUTES_BEFORE_EXPIRY = 120


class TokenSource(Protocol):
    async def token_for(self, team_id: str) -> str | None:
        """The bot token for a workspace, fresh enough to use now; None if not installed."""
        ...


class StaticToken:
    """Single-workspace modes (Socket Mode, HTTP): the configured bot token for every send."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def token_for(self, team_id: str) -> str | None:
        return self._token


class InstalledTokens:
    """OAuth mode: each workspace's bot token from the store, rotated when it nears expiry."""

    def __init__(self, *, store: AsyncInstallationStore, rotator: AsyncTokenRotator | None) -> None:
        self._store = store
        self._rotator = rotator
        self._rotating: dict[str, asyncio.Lock] = {}

    async def token_for(self, team_id: str) -> str | None:
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or self._rotator is None or bot.bot_token_expires_at is None:
            return bot.bot_token if bot else None
        # One rotation per workspace at a time: a refresh token is single-use.
        async with self._rotating.setdefault(team_id, asyncio.Lock()):
            bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
            if bot is None:
                return None
            rotated = await self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
            )
            if rotated is not None:
                await self._store.async_save_bot(rotated)
                logger.info("slack: rotated the bot token of team %s", team_id)
                bot = rotated
        return bot.bot_token


def is_user_address(address: str) -> bool:
    """A DM subscription is stored under the member's user id (U… or W… on Enterprise Grid)."""
    return address[:1] in ("U", "W")


class Sender:
    def __init__(
        self,
        *,
        client_for: Callable[[str], AsyncWebClient],
        tokens: TokenSource,
        on_workspace_gone: Callable[[str], Awaitable[None]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_for = client_for
        self._tokens = tokens
        self._on_workspace_gone = on_workspace_gone
        self._clock = clock
        self._channel_free_at: dict[tuple[str, str], float] = {}
        self._team_free_at: dict[str, float] = {}
        self._dm_channels: dict[tuple[str, str], str] = {}

    def drop_team(self, team_id: str) -> None:
        """A workspace is gone: its cached DM channels go with it."""
        self._dm_channels = {k: v for k, v in self._dm_channels.items() if k[0] != team_id}

    async def send(
        self, recipient: Recipient, message: Message, *, starting: Starting | None = None
    ) -> SendResult:
        team = recipient.workspace
        wait = self._team_free_at.get(team, 0.0) - self._clock()
        if wait > 0:
            return RetryLater(wait)
        try:
            token = await self._tokens.token_for(team)
            if token is None:
                return RecipientGone("app_not_installed")
            client = self._client_for(token)
            channel = await self._conversation(client, team, recipient.address)
            key = (team, channel)
            now = self._clock()
            wait = self._channel_free_at.get(key, 0.0) - now
            if wait > 0:
                return RetryLater(wait)
            self._channel_free_at[key] = now + CHANNEL_INTERVAL
            if starting is not None:
                await starting()
            response = await client.chat_postMessage(
                channel=channel,
                text=fallback_text(message),
                blocks=to_blocks(message, target=recipient.address),
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as error:
            result = from_exception(error)
            if result is None:
                raise
            return await self._failed(team, result)
        return Delivered(ref=f"{response.get('channel', channel)}:{response.get('ts', '')}")

    async def _conversation(self, client: AsyncWebClient, team: str, address: str) -> str:
        """The channel to post in: the address itself, or the DM opened with a member."""
        if not is_user_address(address):
            return address
        known = self._dm_channels.get((team, address))
        if known is None:
            opened = await client.conversations_open(users=address)
            known = str(opened["channel"]["id"])
            self._dm_channels[(team, address)] = known
        return known

    async def _failed(self, team: str, result: SendResult) -> SendResult:
        if isinstance(result, RetryLater):
            self._team_free_at[team] = self._clock() + result.seconds
            logger.warning("slack: team %s rate limited for %.0f s", team, result.seconds)
        elif is_workspace_gone(result):
            logger.warning("slack: team %s is gone (%s)", team, getattr(result, "reason", ""))
            self.drop_team(team)
            await self._on_workspace_gone(team)
        return result


__all__ = ["InstalledTokens", "Sender", "StaticToken", "TokenSource", "is_user_address"]
