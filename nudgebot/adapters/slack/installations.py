"""Slack installations and OAuth states on our own database, for Bolt's OAuth flow.

Bolt's bundled stores write to files or to tables they create themselves; ours keep
tokens in the project's database (schema from migration ``0002``) so every instance
sees the same installations after a restart. Only bot installations are stored: the
app asks for no user scopes. Errors are not swallowed: a failing database fails the
request, and Slack shows the user an error instead of a silent half-install. The
subscriptions of a workspace that leaves are the commands' business
(:class:`nudgebot.commands.workspaces.Workspaces`), not this store's.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import delete
from sqlmodel import col, select

from nudgebot.store.db import Sessions
from nudgebot.store.tables import SlackInstallation, SlackOAuthState, utc_now
from nudgebot.support.redaction import redact

logger = logging.getLogger(__name__)


def _to_bot(row: SlackInstallation) -> Bot:
    redact(row.bot_token, row.bot_refresh_token or "")  # a workspace's tokens, from our rows
    expires = row.bot_token_expires_utc
    return Bot(
        app_id=row.app_id,
        enterprise_id=row.enterprise_id or None,
        team_id=row.team_id or None,
        team_name=row.team_name,
        bot_token=row.bot_token,
        bot_id=row.bot_id,
        bot_user_id=row.bot_user_id,
        bot_scopes=row.bot_scopes,
        bot_refresh_token=row.bot_refresh_token,
        bot_token_expires_at=int(expires.timestamp()) if expires else None,
        is_enterprise_install=row.is_enterprise_install,
        installed_at=row.installed_utc.timestamp(),
    )


class SqlInstallationStore(AsyncInstallationStore):
    """Bot installations, one row per workspace (or org, for an enterprise install)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @property
    def logger(self) -> logging.Logger:
        return logger

    async def async_save(self, installation: Installation) -> None:
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        redact(bot.bot_token or "", bot.bot_refresh_token or "")
        enterprise_id = bot.enterprise_id or ""
        team_id = "" if bot.is_enterprise_install else (bot.team_id or "")
        expires = bot.bot_token_expires_at
        async with self._sessions() as session:
            statement = select(SlackInstallation).where(
                SlackInstallation.enterprise_id == enterprise_id,
                SlackInstallation.team_id == team_id,
            )
            row = (await session.exec(statement)).first() or SlackInstallation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                bot_id=bot.bot_id,
                bot_user_id=bot.bot_user_id,
                bot_token=bot.bot_token,
            )
            row.team_name = bot.team_name
            row.app_id = bot.app_id
            row.bot_id = bot.bot_id
            row.bot_user_id = bot.bot_user_id
            row.bot_token = bot.bot_token
            row.bot_scopes = ",".join(bot.bot_scopes or [])
            row.bot_refresh_token = bot.bot_refresh_token
            row.bot_token_expires_utc = datetime.fromtimestamp(expires, UTC) if expires else None
            row.is_enterprise_install = bool(bot.is_enterprise_install)
            row.installed_utc = utc_now()
            session.add(row)
            await session.commit()
        logger.info("slack: saved bot installation for team %s", team_id or enterprise_id)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        wanted_team = "" if is_enterprise_install else (team_id or "")
        async with self._sessions() as session:
            statement = select(SlackInstallation).where(
                SlackInstallation.enterprise_id == (enterprise_id or ""),
                SlackInstallation.team_id == wanted_team,
            )
            row = (await session.exec(statement)).first()
        return _to_bot(row) if row is not None else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        bot = await self.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None or user_id is not None:
            return None  # no user tokens are ever stored
        return Installation(
            app_id=bot.app_id,
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            team_name=bot.team_name,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=bot.bot_scopes,
            bot_refresh_token=bot.bot_refresh_token,
            bot_token_expires_at=bot.bot_token_expires_at,
            is_enterprise_install=bot.is_enterprise_install,
            user_id="",
            installed_at=bot.installed_at,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        async with self._sessions() as session:
            await session.exec(
                delete(SlackInstallation).where(
                    col(SlackInstallation.enterprise_id) == (enterprise_id or ""),
                    col(SlackInstallation.team_id) == (team_id or ""),
                )
            )
            await session.commit()

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)


class SqlStateStore(AsyncOAuthStateStore):
    """OAuth ``state`` values: issued by the install page, consumed exactly once."""

    def __init__(self, sessions: Sessions, *, expiration_seconds: int = 600) -> None:
        self._sessions = sessions
        self._lifetime = timedelta(seconds=expiration_seconds)

    @property
    def logger(self) -> logging.Logger:
        return logger

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        state = secrets.token_urlsafe(32)
        async with self._sessions() as session:
            session.add(SlackOAuthState(state=state, expires_utc=utc_now() + self._lifetime))
            await session.commit()
        return state

    async def async_consume(self, state: str) -> bool:
        async with self._sessions() as session:
            row = await session.get(SlackOAuthState, state[:64])
            if row is None:
                return False
            await session.delete(row)
            await session.commit()
        return row.expires_utc > utc_now()


__all__ = ["SqlInstallationStore", "SqlStateStore"]
