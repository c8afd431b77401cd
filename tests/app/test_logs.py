"""NUDGEBOT_LOG_FORMAT=json: one object a line, what a log pipeline needs, no secrets."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import SecretStr

from nudgebot.app.logs import configure_logging
from nudgebot.settings import SlackSettings, TelegramSettings
from tests.support.fakes.telegram_api import TOKEN


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def test_json_lines_carry_time_level_logger_message_and_subscriber(
    settings, capsys, restore_logging
):
    configure_logging(settings.model_copy(update={"log_format": "json"}), level="INFO")
    logging.getLogger("tests.logs.engine").info(
        "skipped %s for subscriber %s", "2026-06-01", 42, extra={"subscriber_id": 42}
    )
    logging.getLogger("tests.logs.app").warning("no subscriber here")
    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert first["level"] == "INFO"
    assert first["logger"] == "tests.logs.engine"
    assert first["message"] == "skipped 2026-06-01 for subscriber 42"
    assert first["subscriber_id"] == 42
    assert first["time"].endswith("+00:00")
    assert "subscriber_id" not in second


def test_json_lines_never_show_a_token_or_the_database_password(settings, capsys, restore_logging):
    configured = settings.model_copy(
        update={
            "log_format": "json",
            "telegram": TelegramSettings(token=SecretStr(TOKEN)),
            "slack": SlackSettings(
                bot_token=SecretStr("xoxb-bot"), signing_secret=SecretStr("s3cr3t-signing")
            ),
            "database_url": "postgresql+asyncpg://bot:pa55word@db/nudgebot",
        }
    )
    configure_logging(configured, level="INFO")
    log = logging.getLogger("nudgebot.test")
    log.info("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError("connect to postgresql://bot:pa55word@db failed; s3cr3t-signing")
    except RuntimeError:
        log.exception("start-up failed")
    output = capsys.readouterr().err
    lines = [json.loads(line) for line in output.splitlines()]
    assert len(lines) == 2
    assert "bot<secret>/getMe" in lines[0]["message"]
    assert "RuntimeError" in lines[1]["exception"]
    for secret in (TOKEN, "pa55word", "s3cr3t-signing"):
        assert secret not in output
