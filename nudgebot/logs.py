"""Log set-up: readable lines for a terminal, one JSON object a line for a log pipeline.

``NUDGEBOT_LOG_FORMAT=json`` writes ``time`` (UTC, ISO 8601), ``level``, ``logger``,
``message`` and, where a record carries one (``extra={"subscriber_id": ...}``), the
``subscriber_id``; an exception adds ``exception``. What must never reach a log: a token
or a secret (every secret setting's value is replaced by ``<secret>`` in the whole line,
tracebacks included) and a subscriber's message text (no handler logs it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from nudgebot.settings import Settings

REDACTED = "<secret>"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with the known secrets blanked out."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        subscriber_id = getattr(record, "subscriber_id", None)
        if subscriber_id is not None:
            entry["subscriber_id"] = subscriber_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        line = json.dumps(entry, ensure_ascii=False, default=str)
        for secret in self._secrets:
            line = line.replace(json.dumps(secret)[1:-1], REDACTED)
        return line


def secret_values(settings: Settings) -> list[str]:
    """Every secret setting's value (tokens, signing secrets, the database password)."""
    values = [
        value.get_secret_value()
        for value in (getattr(settings, name) for name in type(settings).model_fields)
        if isinstance(value, SecretStr)
    ]
    password = make_url(settings.database_url).password
    return [*values, *([password] if password else [])]


def configure_logging(settings: Settings, *, level: str) -> None:
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter(secret_values(settings)))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # APScheduler logs every run of the due tick at INFO, and at WARNING each tick skipped
    # because a long one (thousands due at once) still runs: expected, by max_instances=1.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    # At INFO httpx logs request URLs, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


__all__ = ["JsonFormatter", "configure_logging", "secret_values"]
