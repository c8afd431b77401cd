"""Platform-neutral messages as Slack Block Kit, and the App Home view.

Pure translation, no I/O. Core texts are plain, so every piece of text that goes into
``mrkdwn`` is escaped (``&``, ``<``, ``>``), or a tip about "<2 g" would turn into a
broken link. The nudge's buttons sit in an actions block whose ``block_id`` carries the
subscription's address (``gn:<channel or user id>``): a tap on an ephemeral copy (from
``/gutnudge today`` typed in some other channel) still counts for the right
subscription. Slack signs every payload, so the block id cannot be forged by a user.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from nudgebot.commands import REGISTRY, Command
from nudgebot.core.content import Lang
from nudgebot.core.outbound import Message
from nudgebot.core.subscription import Status, SubscriptionView
from nudgebot.core.texts import say, say_frequency
from nudgebot.core.timing import format_wall_time

Block = dict[str, Any]

ACTION_PREFIX = "gutnudge:"
"""``action_id`` of every nudge button; its ``value`` is the opaque core action string."""
TARGET_PREFIX = "gn:"
COMMAND = "/gutnudge"
HOME_PAUSE = "home_pause"
HOME_RESUME = "home_resume"
HOME_TIME = "home_time"
HOME_OFTEN = "home_often"
_OFTEN_CHOICES = (
    ("daily", "button_daily"),
    ("weekdays", "button_weekdays"),
    ("3x", "button_thrice"),
)

_MAX_SECTION = 3000  # Slack's limit on a section's text
_MAX_HEADER = 150
_MAX_BUTTON = 75
_MAX_CONTEXT_ELEMENTS = 10


SLACK_NAMES = {"start": "subscribe"}
"""Where Slack users type another word: "/gutnudge start" reads oddly for a channel."""


def slack_spelling(command: Command) -> str:
    """A command as Slack users type it: ``/gutnudge pause``."""
    return f"{COMMAND} {SLACK_NAMES.get(command.name, command.name)}"


_CHAT_COMMAND = re.compile(
    r"(?<![\w/])/(" + "|".join(sorted(REGISTRY.names(), key=len, reverse=True)) + r")\b"
)


def to_slack_commands(text: str) -> str:
    """The core's chat commands as Slack users type them: ``/pause 3`` -> ``/gutnudge pause 3``.

    Replies are written once for every platform, in the slash style; in Slack the only
    command is ``/gutnudge``.
    """

    def slack(match: re.Match[str]) -> str:
        command = REGISTRY.find(match.group(1))
        return slack_spelling(command) if command else match.group(0)

    return _CHAT_COMMAND.sub(slack, text)


def usage_hint() -> str:
    """The ``usage_hint`` of ``/gutnudge`` in deploy/slack-manifest.yml, from the registry.

    Slack shows it while a member types the command, in no particular language: every
    public subcommand's name, the first with the channel it may take and its arguments
    (Slack allows 1000 characters). The manifest is a static file pasted into Slack, so a
    test keeps it equal to this.
    """
    commands = list(REGISTRY.public())
    words = [SLACK_NAMES.get(command.name, command.name) for command in commands]
    words[0] = " ".join(filter(None, [words[0], "[#channel]", commands[0].usage]))
    return " | ".join(words)


def slack_help(lang: Lang) -> str:
    """``/gutnudge`` help: every registered command as Slack spells it, and the channel rule."""
    lines = REGISTRY.help_lines(lang, slack_spelling)
    return "\n".join([say(lang, "slack_help"), *lines, say(lang, "slack_help_channel")])


def escape(text: str) -> str:
    """Plain text made safe for mrkdwn: Slack's three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[: limit - 1] + "…" if len(text) > limit else text}


def _sections(text: str) -> list[Block]:
    escaped = escape(text)
    chunks = [escaped[i : i + _MAX_SECTION] for i in range(0, len(escaped), _MAX_SECTION)]
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks if c]


def _context(*texts: str) -> Block:
    elements = [{"type": "mrkdwn", "text": t} for t in texts[:_MAX_CONTEXT_ELEMENTS]]
    return {"type": "context", "elements": elements}


def _link(label: str, url: str | None) -> str:
    if url is None:  # the article itself: a title and a note, no address
        return escape(label)
    if "|" in url or ">" in url or " " in url:  # would break Slack's <url|label> syntax
        return escape(f"{label}: {url}")
    return f"<{url}|{escape(label).replace('|', '/')}>"


def to_blocks(message: Message, *, target: str) -> list[Block]:
    """The message as blocks; ``target`` is the subscription's address, kept for taps."""
    blocks: list[Block] = []
    if message.title:
        blocks.append({"type": "header", "text": _plain(message.title, _MAX_HEADER)})
    blocks.extend(_sections(message.text))
    if message.caution:
        blocks.append(_context(f"⚠️ {escape(message.caution)}"))
    if message.links:
        blocks.append(_context(*(f"📚 {_link(link.label, link.url)}" for link in message.links)))
    if message.footer:
        blocks.append(_context(escape(message.footer)))
    if message.buttons:
        buttons = [
            {
                "type": "button",
                "text": _plain(button.label, _MAX_BUTTON),
                "action_id": f"{ACTION_PREFIX}{index}",
                "value": button.action,
            }
            for index, button in enumerate(message.buttons)
        ]
        blocks.append(
            {"type": "actions", "block_id": f"{TARGET_PREFIX}{target}", "elements": buttons}
        )
    return blocks


def fallback_text(message: Message) -> str:
    """The notification text and the screen-reader text of a block message."""
    return escape(message.plain())[:_MAX_SECTION]


def target_of(block_id: str | None) -> str | None:
    """The subscription address a tapped button's block belongs to."""
    if block_id and block_id.startswith(TARGET_PREFIX) and len(block_id) > len(TARGET_PREFIX):
        return block_id[len(TARGET_PREFIX) :]
    return None


def actions_block_of(blocks: list[Block]) -> Block | None:
    """The nudge buttons of a posted message, to keep them for the channel's other members."""
    return next(
        (b for b in blocks if b.get("type") == "actions" and target_of(b.get("block_id"))), None
    )


def with_participants(
    blocks: list[Block], *, lang: Lang, user_ids: Sequence[str], keep: Block | None
) -> list[Block]:
    """A channel nudge after a tap: who took part, and the buttons again for the others."""
    mentions = ", ".join(f"<@{escape(user)}>" for user in user_ids)
    extra = [_context(say(lang, "slack_participants", names=mentions))] if user_ids else []
    return [*blocks, *extra, *([keep] if keep else [])]


def home_view(*, lang: Lang, subscription: SubscriptionView | None) -> Block:
    """The App Home tab: the member's own (DM) subscription, streak and quick controls."""
    blocks: list[Block] = [{"type": "header", "text": _plain("nudgebot", _MAX_HEADER)}]
    if subscription is None:
        blocks.extend(_sections(say(lang, "home_not_subscribed")))
        return {"type": "home", "blocks": blocks}
    status = say(lang, f"status_{subscription.status.value}")
    line = say(
        lang,
        "home_subscribed",
        status=status,
        time=format_wall_time(subscription.local_time),
        tz=subscription.timezone,
        pace=say_frequency(lang, subscription.frequency),
    )
    blocks.extend(_sections(line))
    blocks.extend(_sections(subscription.streak))
    if subscription.status == Status.STOPPED:  # resume cannot bring back a stopped one
        blocks.extend(_sections(say(lang, "home_not_subscribed")))
        return {"type": "home", "blocks": blocks}
    controls: list[Block] = []
    if subscription.status == Status.ACTIVE:
        controls.append(_home_button(say(lang, "button_pause"), HOME_PAUSE))
    else:
        controls.append(_home_button(say(lang, "button_resume"), HOME_RESUME))
    controls.append(
        {
            "type": "timepicker",
            "action_id": HOME_TIME,
            "initial_time": format_wall_time(subscription.local_time),
            "placeholder": _plain(say(lang, "home_time_label"), _MAX_BUTTON),
        }
    )
    options = [
        {"text": _plain(say(lang, key), _MAX_BUTTON), "value": value}
        for value, key in _OFTEN_CHOICES
    ]
    controls.append(
        {
            "type": "static_select",
            "action_id": HOME_OFTEN,
            "options": options,
            "initial_option": next(
                o for o in options if o["value"] == subscription.frequency.value
            ),
        }
    )
    blocks.append({"type": "actions", "block_id": "home_controls", "elements": controls})
    return {"type": "home", "blocks": blocks}


def _home_button(label: str, action_id: str) -> Block:
    return {"type": "button", "text": _plain(label, _MAX_BUTTON), "action_id": action_id}


__all__ = [
    "ACTION_PREFIX",
    "COMMAND",
    "HOME_OFTEN",
    "HOME_PAUSE",
    "HOME_RESUME",
    "HOME_TIME",
    "SLACK_NAMES",
    "actions_block_of",
    "escape",
    "fallback_text",
    "home_view",
    "slack_help",
    "slack_spelling",
    "target_of",
    "to_blocks",
    "to_slack_commands",
    "usage_hint",
    "with_participants",
]
