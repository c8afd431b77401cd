"""Log set-up: readable lines for a terminal, one JSON object a line for a log pipeline.

``NUDGEBOT_LOG_FORMAT=json`` writes ``time`` (UTC, ISO 8601), ``level``, ``logger``,
``message`` and, where a record carries one (``extra={"subscriber_id": ...}``), the
``subscriber_id``; an exception adds ``exception``. What must never reach a log: a token
or a secret (every secret setting's value, the database password included, is
registered with :mod:`nudgebot.support.redaction`, which scrubs every record and traceback in
either format) and a subscriber's message text (no handler logs it).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr
from sqlalchemy.engine import make_url

from nudgebot.settings import Settings
from nudgebot.support.redaction import redact

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record (secrets are already scrubbed from the record)."""

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
            # exc_text holds the scrubbed traceback when redaction had to change it.
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def secret_values(settings: Settings) -> list[str]:
    """Every secret setting's value (tokens, signing secrets, the database password)."""
    groups = [settings, *(g for g in (settings.telegram, settings.slack) if g is not None)]
    values = [
        value.get_secret_value()
        for group in groups
        for value in (getattr(group, name) for name in type(group).model_fields)
        if isinstance(value, SecretStr)
    ]
    password = make_url(settings.database_url).password
    return [*values, *([password] if password else [])]


def configure_logging(settings: Settings, *, level: str) -> None:
    redact(*secret_values(settings))
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
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
