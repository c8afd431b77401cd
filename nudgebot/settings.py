"""Configuration from ``NUDGEBOT_*`` environment variables and an optional ``.env`` file.

There is no settings singleton: :func:`load_settings` is called once by the CLI and the
result is passed down. A missing or malformed value stops start-up with one line per
variable (:class:`nudgebot.errors.ConfigError`), never a traceback. Secrets are
:class:`~pydantic.SecretStr` so they never show up in a log line or a repr.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from nudgebot.core.timing import parse_local_time, parse_zone
from nudgebot.errors import ConfigError
from nudgebot.resources import bundled_dir


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


_RATE = r"^[1-9][0-9]*/[0-9]+(\.[0-9]+)?$"

ZoneName = Annotated[str, AfterValidator(_zone_name)]
WallTime = Annotated[time, BeforeValidator(_wall_time)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NUDGEBOT_", env_file=".env", extra="ignore", frozen=True
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
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)

    telegram_token: SecretStr | None = None
    telegram_admins: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), description="Telegram user ids that may /broadcast"
    )
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    # Flood limits as "messages/seconds" sliding windows (adapters/telegram/ratelimit.py).
    telegram_timeout: float = Field(
        default=5.0, gt=0, le=120, description="seconds to wait for a Bot API answer"
    )
    telegram_rate_limit: bool = True
    telegram_limit_overall: str = Field(default="30/1", pattern=_RATE)
    telegram_limit_chat: str = Field(default="1/1", pattern=_RATE)
    telegram_limit_group: str = Field(default="20/60", pattern=_RATE)

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    @field_validator("telegram_admins", mode="before")
    @classmethod
    def _user_ids(cls, value: object) -> object:
        """``"123, 456"`` (as the environment gives it) into ids; a non-number is refused."""
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        return value

    @property
    def console_only(self) -> bool:
        """No platform is configured: the terminal chat is the bot."""
        return (
            self.telegram_token is None
            and self.slack_bot_token is None
            and (self.slack_client_id is None)
        )


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment; :class:`ConfigError` names each bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            name = "NUDGEBOT_" + "_".join(str(part) for part in problem["loc"]).upper()
            lines.append(f"{name}: {problem['msg']}")
        raise ConfigError(lines) from None
