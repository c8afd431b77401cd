"""Tables of the Slack adapter: bot installations per workspace and pending OAuth states.

They live in the project's database so that installations survive restarts and every
instance sees the same tokens; their schema comes from migration ``0002``, never from
``create_all``. Only bot installations are kept (the app asks for no user scopes), one
row per workspace: a reinstall overwrites the row, an uninstall deletes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from nudgebot.store.tables.columns import utc_column, utc_now


class SlackInstallation(SQLModel, table=True):
    __tablename__ = "slack_installation"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", max_length=32)
    team_id: str = Field(default="", max_length=32)
    team_name: str | None = Field(default=None, max_length=255)
    app_id: str | None = Field(default=None, max_length=32)
    bot_id: str = Field(max_length=32)
    bot_user_id: str = Field(max_length=32)
    bot_token: str = Field(max_length=255)
    bot_scopes: str = Field(default="", max_length=1000)
    bot_refresh_token: str | None = Field(default=None, max_length=255)
    bot_token_expires_utc: datetime | None = Field(default=None, sa_column=utc_column())
    installer_user_id: str | None = Field(default=None, max_length=32)
    is_enterprise_install: bool = False
    installed_utc: datetime = Field(default_factory=utc_now, sa_column=utc_column(nullable=False))


class SlackOAuthState(SQLModel, table=True):
    """A state handed out by ``/slack/install``; consumed once by ``/slack/oauth_redirect``."""

    __tablename__ = "slack_oauth_state"

    state: str = Field(primary_key=True, max_length=64)
    expires_utc: datetime = Field(sa_column=utc_column(nullable=False))


__all__ = ["SlackInstallation", "SlackOAuthState"]
