"""The shipped manifest asks Slack for exactly what the code uses, and the package's
public names stay put."""

from __future__ import annotations

from typing import Any

import yaml

import nudgebot.adapters.slack as slack
from nudgebot.adapters.slack import SCOPES
from nudgebot.adapters.slack.blocks import SLACK_NAMES, usage_hint
from nudgebot.adapters.slack.listeners import COMMAND, EVENTS
from nudgebot.commands import REGISTRY
from tests.support.paths import REPO_ROOT


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        (REPO_ROOT / "deploy" / "slack-manifest.yml").read_text()
    )
    return loaded


def test_manifest_scopes_are_exactly_the_apps():
    assert sorted(manifest()["oauth_config"]["scopes"]["bot"]) == sorted(SCOPES)
    assert "user" not in manifest()["oauth_config"]["scopes"]


def test_manifest_events_command_and_interactivity_match_the_listeners():
    settings = manifest()["settings"]
    assert sorted(settings["event_subscriptions"]["bot_events"]) == sorted(EVENTS)
    commands = manifest()["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [COMMAND]
    assert commands[0]["should_escape"] is True  # "#channel" arrives as <#C…|name>
    assert settings["interactivity"]["is_enabled"] is True
    assert manifest()["features"]["app_home"]["home_tab_enabled"] is True


def test_exported_names():
    assert slack.__all__ == ["SCOPES", "Mode", "SlackAdapter"]


def test_the_usage_hint_is_the_registrys_every_public_subcommand():
    (command,) = manifest()["features"]["slash_commands"]
    assert command["usage_hint"] == usage_hint()
    assert len(command["usage_hint"]) <= 1000  # Slack's limit
    hinted = {part.split()[0] for part in command["usage_hint"].split(" | ")}
    assert hinted == {SLACK_NAMES.get(c.name, c.name) for c in REGISTRY.public()}
    assert {"summary", "mydata", "delete", "about"} <= hinted
