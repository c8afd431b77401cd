"""Configuration from ``NUDGEBOT_*`` environment variables and an optional ``.env`` file.

There is no settings singleton: :func:`load_settings` is called once by the CLI and the
result is passed down. A missing or malformed value stops start-up with one line per
variable (:class:`nudgebot.errors.ConfigError`), never a traceback. Secrets are
:class:`~pydantic.SecretStr` so they never show up in a log line or a repr.
"""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from nudgebot.core.limits import Limit
from nudgebot.core.timing import parse_local_time, parse_zone
from nudgebot.errors import ConfigError
from nudgebot.support.resources import bundled_dir


def _zone_name(value: str) -> str:
    if parse_zone(value) is None:
        raise ValueError(f"unknown IANA time zone {value!r}, e.g. Europe/Amsterdam")
    return value


def _wall_time(value: object) -> object:
    """``"07:45"`` (or ``7.45``, as subscribers may type it) read once, into a time."""
    if isinstance(value, str):
        parsed = parse_local_time(value)
        if parsed is None:
            raise ValueError(f"{value!r} is not a HH:MM time")
        return parsed
    return value


def _user_ids(value: object) -> object:
    """``"123, 456"`` (as the environment gives it) into ids; a non-number is refused."""
    if isinstance(value, str):
        return frozenset(int(part) for part in value.replace(",", " ").split())
    return value


def _limit(value: object) -> object:
    return Limit.parse(value) if isinstance(value, str) else value


ZoneName = Annotated[str, AfterValidator(_zone_name)]
WallTime = Annotated[time, BeforeValidator(_wall_time)]
RateLimit = Annotated[Limit, NoDecode, BeforeValidator(_limit)]
"""``30/1`` in the environment (not JSON), a :class:`Limit` in the code."""


class _Group(BaseModel):
    """One adapter's settings: present when any of its variables is set, else it is off.

    Unknown names are refused, so a misspelt variable is not silently ignored.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")


class TelegramSettings(_Group):
    """``NUDGEBOT_TELEGRAM_*``: long polling, or a webhook when ``WEBHOOK_URL`` is set."""

    token: SecretStr
    admins: Annotated[frozenset[int], NoDecode, BeforeValidator(_user_ids)] = Field(
        default=frozenset(), description="Telegram user ids that may /broadcast"
    )
    api_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    timeout: float = Field(default=5.0, gt=0, le=120, description="seconds for a Bot API answer")
    rate_limit: bool = True
    # Flood limits as "messages/seconds" sliding windows (adapters/telegram/ratelimit.py).
    limit_overall: RateLimit = Limit(30, 1)
    limit_chat: RateLimit = Limit(1, 1)
    limit_group: RateLimit = Limit(20, 60)


class SlackMode(StrEnum):
    SOCKET = "socket"
    HTTP = "http"
    OAUTH = "oauth"


class SlackSettings(_Group):
    """``NUDGEBOT_SLACK_*``: which ones are set decides the mode (see :attr:`mode`)."""

    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    api_url: str = "https://slack.com/api/"

    @model_validator(mode="after")
    def _one_mode(self) -> Self:
        self.mode  # noqa: B018  (raises if the set variables make no mode)
        return self

    @property
    def mode(self) -> SlackMode:
        """OAuth (many workspaces), Socket Mode or HTTP; the one rule for which is which."""
        if self.client_id or self.client_secret:
            missing = [
                f"NUDGEBOT_SLACK_{name.upper()}"
                for name in ("client_id", "client_secret", "signing_secret")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"Slack OAuth (many workspaces) also needs {', '.join(missing)}")
            return SlackMode.OAUTH
        if self.bot_token and self.app_token:
            return SlackMode.SOCKET
        if self.bot_token and self.signing_secret:
            return SlackMode.HTTP
        raise ValueError(
            "set BOT_TOKEN with APP_TOKEN (Socket Mode) or with SIGNING_SECRET (HTTP), "
            "or CLIENT_ID, CLIENT_SECRET and SIGNING_SECRET (OAuth)"
        )


class AdminSettings(_Group):
    """``NUDGEBOT_ADMIN_*``: the web console under ``/admin``, off unless SECRET is set.

    The secret signs session cookies and CSRF tokens: at least 32 characters, and the
    same on every instance behind one URL. ``url`` is where sign-in links point (the
    public address of the bot's web server); without it, ``http://HTTP_HOST:HTTP_PORT``.
    """

    secret: SecretStr = Field(min_length=32)
    url: str | None = None
    link_minutes: int = Field(default=10, ge=1, le=60, description="a sign-in link's life")
    session_hours: float = Field(default=8.0, gt=0, le=72, description="a session's life")


class Settings(BaseSettings):
    # NUDGEBOT_TELEGRAM_WEBHOOK_URL is telegram.webhook_url: split once after the group.
    model_config = SettingsConfigDict(
        env_prefix="NUDGEBOT_",
        env_file=".env",
        extra="ignore",
        frozen=True,
        env_nested_delimiter="_",
        env_nested_max_split=1,
    )

    database_url: str = Field(
        default="sqlite+aiosqlite:///nudgebot.db",
        description="SQLAlchemy async URL; postgresql+asyncpg://... when several instances run",
    )
    content_dir: Path = Field(
        default_factory=lambda: bundled_dir("content"),
        description="the content pack; point it at your own copy to edit nudges",
    )
    default_language: Literal["nl", "en"] = "nl"
    default_timezone: ZoneName = "Europe/Amsterdam"
    default_time: WallTime = time(8, 0)
    grace_minutes: int = Field(default=180, ge=0, le=24 * 60)
    tick_seconds: float = Field(default=30.0, gt=0, le=3600)
    send_attempts: int = Field(default=5, ge=1, le=20)
    retention_days: int = Field(
        default=400, ge=30, le=3650, description="days that delivery and tap rows are kept"
    )
    batch_size: int = Field(
        default=500, ge=1, le=5000, description="due subscribers claimed in one statement"
    )
    lease_seconds: float = Field(
        default=60.0,
        ge=5,
        le=3600,
        description="how long a claim holds before another instance may take it over; "
        "renewed while the send is in flight, so a crashed instance delays at most this long",
    )
    broadcast_batch: int = Field(
        default=50, ge=1, le=1000, description="outbox rows claimed and sent per batch"
    )
    stop_timeout: float = Field(
        default=20.0,
        ge=0,
        le=600,
        description="seconds a stop (SIGTERM) lets sends already in a platform call finish",
    )
    poller_retry_seconds: float = Field(
        default=3.0,
        gt=0,
        le=60,
        description="how often an instance waiting for the Telegram poller role tries again",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    console: bool = Field(
        default=True,
        description="with no platform configured, `run` is the terminal chat; false (the "
        "container image's setting) makes it refuse instead, naming what to set",
    )

    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)

    telegram: TelegramSettings | None = None
    slack: SlackSettings | None = None
    admin: AdminSettings | None = None

    @property
    def console_only(self) -> bool:
        """No platform is configured: the terminal chat is the bot."""
        return self.telegram is None and self.slack is None

    def missing_platform(self) -> str | None:
        """Why ``run`` must refuse: no platform, and no terminal chat wanted (or None)."""
        if not self.console_only or self.console:
            return None
        return (
            "no platform is configured (NUDGEBOT_CONSOLE is false, so no terminal chat): set "
            "NUDGEBOT_TELEGRAM_TOKEN for Telegram, or NUDGEBOT_SLACK_BOT_TOKEN with "
            "NUDGEBOT_SLACK_APP_TOKEN (Socket Mode) or NUDGEBOT_SLACK_SIGNING_SECRET (HTTP) "
            "for Slack"
        )


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment; :class:`ConfigError` names each bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            name = "NUDGEBOT_" + "_".join(str(part) for part in problem["loc"]).upper()
            lines.append(f"{name}: {problem['msg'].removeprefix('Value error, ')}")
        raise ConfigError(lines) from None
