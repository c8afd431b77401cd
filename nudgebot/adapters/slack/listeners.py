"""What Slack sends us: the ``/gutnudge`` command, button taps, App Home and uninstalls.

Every listener acks first and works after (Slack wants an answer within 3 seconds;
Bolt returns the ack at once and lets the listener finish in the background), then
answers through the ``response_url`` (ephemeral) or the Web API. Nothing here decides
what a command means: :class:`~nudgebot.commands.Commands` does, and refuses bad input
before any write. This module only knows Slack: channel mentions, who may manage a
channel, the Slack time zone of a member, where a tapped message lives.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from nudgebot.adapters.slack.blocks import (
    ACTION_PREFIX,
    HOME_OFTEN,
    HOME_PAUSE,
    HOME_RESUME,
    HOME_TIME,
    actions_block_of,
    escape,
    fallback_text,
    home_view,
    target_of,
    to_blocks,
    to_slack_commands,
    with_participants,
)
from nudgebot.adapters.slack.sender import is_user_address
from nudgebot.commands import Commands, parse_command
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.frequency import Frequency, parse_frequency
from nudgebot.core.outbound import Reply
from nudgebot.core.render import parse_nudge_action
from nudgebot.core.texts import say
from nudgebot.core.timing import parse_local_time, parse_zone
from nudgebot.store.db import Sessions
from nudgebot.store.streaks import participants
from nudgebot.store.subscribers import find_subscriber
from nudgebot.store.tables import Status

logger = logging.getLogger(__name__)

PLATFORM = "slack"
COMMAND = "/gutnudge"
SUBCOMMANDS = frozenset(
    {"subscribe", "start", "stop", "pause", "resume", "time", "tz", "timezone", "language",
     "lang", "streak", "today", "about", "often", "challenge"}
)  # fmt: skip
EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")
"""The events we subscribe to; deploy/slack-manifest.yml lists exactly these."""
READ_ONLY = frozenset({"streak", "today", "about"})
_CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_SEEN_EVENTS = 2048


def split_channel(args: list[str]) -> tuple[str | None, list[str]]:
    """Take a ``<#C123|name>`` mention (Slack escapes ``#name`` that way) out of the args."""
    for index, arg in enumerate(args):
        match = _CHANNEL_MENTION.match(arg)
        if match:
            return match.group(1), args[:index] + args[index + 1 :]
    return None, args


class Listeners:
    def __init__(
        self, *, commands: Commands, sessions: Sessions, forget: Callable[[str], Awaitable[None]]
    ) -> None:
        self._commands = commands
        self._sessions = sessions
        self._forget = forget
        self._seen: OrderedDict[str, None] = OrderedDict()

    def register(self, app: AsyncApp) -> None:
        app.middleware(self.skip_redelivered_events)
        app.command(COMMAND)(self.on_command)
        app.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(self.on_nudge_tap)
        home_actions = "|".join((HOME_PAUSE, HOME_RESUME, HOME_TIME, HOME_OFTEN))
        app.action(re.compile(f"^({home_actions})$"))(self.on_home_action)
        home_opened, uninstalled, revoked = EVENTS
        app.event(home_opened)(self.on_home_opened)
        app.event(uninstalled)(self.on_app_uninstalled)
        app.event(revoked)(self.on_tokens_revoked)

    async def skip_redelivered_events(
        self, body: dict[str, Any], next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        """Ack an event we have already handled (Slack retries with X-Slack-Retry-Num).

        The handlers are idempotent anyway; this spares a second ``views.publish``.
        """
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str):
            if event_id in self._seen:
                return BoltResponse(status=200, body="")
            self._seen[event_id] = None
            while len(self._seen) > _SEEN_EVENTS:
                self._seen.popitem(last=False)
        return await next()

    async def on_command(
        self, ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        team, user = command["team_id"], command["user_id"]
        name, args = parse_command(command.get("text") or "")
        channel, args = split_channel(args)
        # The member's profile gives the language of our answers, the default time zone
        # and whether they may manage a channel: one users.info call for all three.
        profile = (await client.users_info(user=user, include_locale=True))["user"]
        recipient = Recipient(PLATFORM, channel or user, team)
        chat = Chat(recipient, actor=user, language_hint=profile.get("locale"))
        lang = await self._commands.language_of(chat)
        if name not in SUBCOMMANDS:
            await respond(text=escape(say(lang, "slack_help")), response_type="ephemeral")
            return
        if channel and name not in READ_ONLY:
            refusal = await _refuse_channel(client, profile=profile, channel=channel)
            if refusal:
                await respond(text=escape(say(lang, refusal)), response_type="ephemeral")
                return
        if name in ("subscribe", "start"):
            reply = await self._subscribe(chat, args, profile=profile)
        else:
            reply = await self._commands.handle(chat, " ".join([name, *args]))
        await _show(respond, reply, target=chat.recipient.address)

    async def _subscribe(self, chat: Chat, args: list[str], *, profile: dict[str, Any]) -> Reply:
        """Subscribe with an optional time and zone; the zone defaults to the member's own."""
        lang = await self._commands.language_of(chat)
        wanted_time = wanted_zone = wanted_often = None
        for arg in args:
            if parse_local_time(arg) is not None:
                wanted_time = arg
            elif parse_frequency(arg) is not None:
                wanted_often = arg
            elif parse_zone(arg) is not None:
                wanted_zone = arg
            else:
                key = "bad_time" if any(c.isdigit() for c in arg) else "bad_tz"
                return Reply.say(say(lang, key, value=arg[:64]))
        async with self._sessions() as session:
            before = await find_subscriber(session, chat.recipient)
        was_active = before is not None and before.status == Status.ACTIVE
        started = await self._commands.handle(chat, "subscribe")
        if was_active and not (wanted_zone or wanted_time or wanted_often):
            return started  # already subscribed, nothing asked to change
        zone = wanted_zone or (None if was_active else profile.get("tz"))
        if zone and parse_zone(zone) is not None:
            await self._commands.handle(chat, f"tz {zone}")
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        if subscriber is None:
            return started
        await self._commands.press(chat, f"set:time:{wanted_time or subscriber.local_time}")
        often = parse_frequency(wanted_often or subscriber.frequency) or Frequency.DAILY
        return await self._commands.press(chat, f"set:often:{often.value}")

    async def on_nudge_tap(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        await ack()
        user = body["user"]["id"]
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        container = body.get("container") or {}
        target = target_of(action.get("block_id")) or container.get("channel_id") or user
        chat = Chat(Recipient(PLATFORM, target, team), actor=user)
        if is_user_address(target) and target != user:  # a DM nudge is its member's alone
            lang = await self._commands.language_of(chat)
            await respond(text=escape(say(lang, "unknown_button")), replace_original=False)
            return
        reply = await self._commands.press(chat, str(action.get("value", "")))
        if reply.edit is not None:
            blocks = to_blocks(reply.edit, target=target)
            parsed = parse_nudge_action(str(action.get("value", "")))
            if not is_user_address(target) and parsed is not None:
                async with self._sessions() as session:
                    who = await participants(session, parsed[0])
                lang = await self._commands.language_of(chat)
                original = (body.get("message") or {}).get("blocks") or []
                blocks = with_participants(
                    blocks, lang=lang, user_ids=who, keep=actions_block_of(original)
                )
            text = fallback_text(reply.edit)
            if container.get("is_ephemeral") or "message_ts" not in container:
                await respond(text=text, blocks=blocks, replace_original=True)
            else:
                await client.chat_update(
                    channel=container["channel_id"], ts=container["message_ts"], text=text,
                    blocks=blocks,
                )  # fmt: skip
        elif reply.notice:
            await respond(
                text=escape(reply.notice), response_type="ephemeral", replace_original=False
            )
        await _show(respond, Reply(messages=reply.messages), target=target)

    async def on_home_opened(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("tab", "home") == "home":
            await self.publish_home(client, team=body.get("team_id", ""), user=event["user"])

    async def on_home_action(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        user = body["user"]["id"]
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        chat = Chat(Recipient(PLATFORM, user, team), actor=user)
        match action["action_id"]:
            case "home_pause":
                await self._commands.handle(chat, "pause")
            case "home_resume":
                await self._commands.handle(chat, "resume")
            case "home_often":
                chosen = (action.get("selected_option") or {}).get("value") or ""
                await self._commands.handle(chat, f"often {chosen}")
            case _:
                await self._commands.handle(chat, f"time {action.get('selected_time') or ''}")
        await self.publish_home(client, team=team, user=user)

    async def publish_home(self, client: AsyncWebClient, *, team: str, user: str) -> None:
        chat = Chat(Recipient(PLATFORM, user, team), actor=user)
        async with self._sessions() as session:
            subscriber = await find_subscriber(session, chat.recipient)
        streak = None
        if subscriber is not None:
            streak = (await self._commands.handle(chat, "streak")).messages[0].text
        else:  # no language of theirs yet: greet them in their Slack locale
            profile = (await client.users_info(user=user, include_locale=True))["user"]
            chat = Chat(chat.recipient, actor=user, language_hint=profile.get("locale"))
        lang = await self._commands.language_of(chat)
        view = home_view(lang=lang, subscriber=subscriber, streak=streak)
        await client.views_publish(user_id=user, view=view)

    async def on_app_uninstalled(self, body: dict[str, Any]) -> None:
        await self._forget(str(body.get("team_id", "")))

    async def on_tokens_revoked(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if (event.get("tokens") or {}).get("bot"):
            await self._forget(str(body.get("team_id", "")))


async def _refuse_channel(
    client: AsyncWebClient, *, profile: dict[str, Any], channel: str
) -> str | None:
    """The catalogue key of why this member may not manage ``channel``'s nudges, or None."""
    info = (await client.conversations_info(channel=channel))["channel"]
    may = profile.get("is_admin") or profile.get("is_owner") or info.get("creator") == profile["id"]
    if not may:
        return "slack_not_allowed"
    if not info.get("is_member"):
        return "slack_invite_first"
    return None


async def _show(respond: AsyncRespond, reply: Reply, *, target: str) -> None:
    """A command's reply, shown only to the member who asked (ephemeral)."""
    for said in reply.messages:
        message = replace(said, text=to_slack_commands(said.text))
        await respond(
            text=fallback_text(message),
            blocks=to_blocks(message, target=target),
            response_type="ephemeral",
            replace_original=False,
        )


__all__ = ["COMMAND", "EVENTS", "Listeners", "split_channel"]
