"""Settings per adapter, read from the same NUDGEBOT_* variables, checked at start-up."""

from __future__ import annotations

from datetime import time

import pytest

from nudgebot.core.limits import Limit
from nudgebot.errors import ConfigError
from nudgebot.settings import SlackMode, load_settings


def settings_from(monkeypatch, **variables: str):
    for name, value in variables.items():
        monkeypatch.setenv(f"NUDGEBOT_{name}", value)
    return load_settings(_env_file=None)


def refusal(monkeypatch, **variables: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        settings_from(monkeypatch, **variables)
    return list(raised.value.lines)


def test_no_platform_variable_means_the_console(monkeypatch):
    settings = settings_from(monkeypatch, DEFAULT_TIME="7.30")
    assert settings.telegram is None and settings.slack is None and settings.console_only
    assert settings.default_time == time(7, 30)


def test_the_telegram_variables_fill_the_telegram_group(monkeypatch):
    settings = settings_from(
        monkeypatch,
        TELEGRAM_TOKEN="123:abc",
        TELEGRAM_WEBHOOK_URL="https://bot.example.org/telegram/webhook",
        TELEGRAM_LIMIT_GROUP="10/30",
        TELEGRAM_RATE_LIMIT="false",
        TELEGRAM_ADMINS="11, 12",
    )
    telegram = settings.telegram
    assert telegram is not None and not settings.console_only
    assert telegram.token.get_secret_value() == "123:abc"
    assert telegram.webhook_url == "https://bot.example.org/telegram/webhook"
    assert (telegram.limit_group, telegram.limit_overall) == (Limit(10, 30), Limit(30, 1))
    assert telegram.rate_limit is False
    assert telegram.admins == frozenset({11, 12})
    assert "123:abc" not in repr(settings)


@pytest.mark.parametrize("value", ["fast", "0/1", "30/0", "-3/1", "1/x"])
def test_a_bad_rate_limit_is_one_line_naming_its_variable(monkeypatch, value):
    [line] = refusal(monkeypatch, TELEGRAM_TOKEN="123:abc", TELEGRAM_LIMIT_CHAT=value)
    assert line.startswith("NUDGEBOT_TELEGRAM_LIMIT_CHAT: ")
    assert "count/seconds" in line


def test_a_misspelt_variable_of_a_group_is_refused_not_ignored(monkeypatch):
    [line] = refusal(monkeypatch, TELEGRAM_TOKEN="123:abc", TELEGRAM_WEBHOOK_ULR="https://x")
    assert line.startswith("NUDGEBOT_TELEGRAM_WEBHOOK_ULR: ")


def test_a_telegram_setting_without_a_token_says_the_token_is_missing(monkeypatch):
    [line] = refusal(monkeypatch, TELEGRAM_RATE_LIMIT="false")
    assert line.startswith("NUDGEBOT_TELEGRAM_TOKEN: ")


@pytest.mark.parametrize(
    ("variables", "mode"),
    [
        pytest.param({"BOT_TOKEN": "xoxb-1", "APP_TOKEN": "xapp-1"}, SlackMode.SOCKET, id="socket"),
        pytest.param({"BOT_TOKEN": "xoxb-1", "SIGNING_SECRET": "s"}, SlackMode.HTTP, id="http"),
        pytest.param({"CLIENT_ID": "1.2", "CLIENT_SECRET": "c", "SIGNING_SECRET": "s"},
                     SlackMode.OAUTH, id="oauth"),
    ],
)  # fmt: skip
def test_the_slack_variables_set_decide_the_mode(monkeypatch, variables, mode):
    settings = settings_from(monkeypatch, **{f"SLACK_{k}": v for k, v in variables.items()})
    assert settings.slack is not None and settings.slack.mode is mode


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        pytest.param({"BOT_TOKEN": "xoxb-1"}, "APP_TOKEN", id="bot-token-alone"),
        pytest.param({"CLIENT_ID": "1.2", "SIGNING_SECRET": "s"}, "NUDGEBOT_SLACK_CLIENT_SECRET",
                     id="oauth-without-secret"),
        pytest.param({"API_URL": "http://127.0.0.1:1/api/"}, "SIGNING_SECRET", id="url-alone"),
    ],
)  # fmt: skip
def test_an_incomplete_slack_set_up_is_one_line_saying_what_is_missing(
    monkeypatch, variables, named
):
    [line] = refusal(monkeypatch, **{f"SLACK_{k}": v for k, v in variables.items()})
    assert line.startswith("NUDGEBOT_SLACK: ") and named in line
