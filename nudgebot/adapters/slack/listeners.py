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

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from nudgebot.adapters.slack.blocks import (
    ACTION_PREFIX,
    COMMAND,
    HOME_OFTEN,
    HOME_PAUSE,
    HOME_RESUME,
    HOME_TIME,
    actions_block_of,
    escape,
    fallback_text,
    home_view,
    slack_help,
    target_of,
    to_blocks,
    to_slack_commands,
    with_participants,
)
from nudgebot.adapters.slack.boundary import ErrorBoundary, Running
from nudgebot.adapters.slack.broadcast_modal import BroadcastModal, is_workspace_admin
from nudgebot.adapters.slack.errors import error_code
from nudgebot.adapters.slack.files import send_file
from nudgebot.adapters.slack.sender import is_user_address
from nudgebot.commands import REGISTRY, Access, Authorize, Commands, parse_command
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import Lang
from nudgebot.core.frequency import parse_frequency
from nudgebot.core.outbound import Message, Reply
from nudgebot.core.texts import say
from nudgebot.core.timing import parse_local_time

logger = logging.getLogger(__name__)

PLATFORM = "slack"
EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked")
"""The events we subscribe to; deploy/slack-manifest.yml lists exactly these."""
_CHANNEL_MENTION = re.compile(r"(?:^|\s)<#([CG][A-Z0-9]+)(?:\|[^>]*)?>(?=\s|$)")
_SEEN_EVENTS = 2048
_UNREAD = "nudgebot_unread"
"""Marks a stand-in profile: Slack did not give us the member's own."""


def split_channel(text: str) -> tuple[str | None, str]:
    """Take a ``<#C123|name>`` mention (Slack escapes ``#name`` that way) out of the text.

    The channel says whose subscription a command is for, as a Telegram group's chat id
    does; the rest of the text is the command, parsed by ``Commands`` like any other.
    """
    match = _CHANNEL_MENTION.search(text)
    if match is None:
        return None, text
    return match.group(1), f"{text[: match.start()]} {text[match.end() :]}".strip()


class Listeners:
    def __init__(
        self,
        *,
        commands: Commands,
        erase_workspace: Callable[[str], Awaitable[None]],
        default_language: Lang,
    ) -> None:
        self._commands = commands
        self._modal = BroadcastModal(commands=commands)
        self._default_language = default_language
        self._erase_workspace = erase_workspace
        self._seen: OrderedDict[str, None] = OrderedDict()
        self.running = Running()
        """Every listener registered here, counted while it works after its ack."""

    def register(self, app: AsyncApp) -> None:
        app.middleware(self.skip_redelivered_events)
        boundary = ErrorBoundary(self._commands)
        track = self.running.track
        home_actions = re.compile(f"^({HOME_PAUSE}|{HOME_RESUME}|{HOME_TIME}|{HOME_OFTEN})$")
        app.command(COMMAND)(track(boundary.after_ack(self.on_command)))
        self._modal.register(app, track)
        app.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(
            track(boundary.after_ack(self.on_press))
        )
        app.action(home_actions)(track(boundary.after_ack(self.on_home_action)))
        home_opened, uninstalled, revoked = EVENTS
        app.event(home_opened)(track(self.on_home_opened))
        app.event(uninstalled)(track(self.on_app_uninstalled))
        app.event(revoked)(track(self.on_tokens_revoked))
        app.error(boundary.on_error)

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
        self,
        ack: AsyncAck,
        command: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        context: AsyncBoltContext,  # for ErrorBoundary.after_ack
    ) -> None:
        await ack()
        team, user = command.get("team_id"), command.get("user_id")
        if not (isinstance(team, str) and team and isinstance(user, str) and user):
            # Nobody to answer for: change nothing, and say so in the default language.
            said = say(self._default_language, "slack_who_unknown")
            await respond(text=escape(said), response_type="ephemeral")
            return
        channel, text = split_channel(str(command.get("text") or ""))
        # The member's profile gives the language of our answers, the default time zone
        # and whether they may manage a channel: one users.info call for all three.
        profile = await _profile_of(client, team=team, user=user)
        recipient = Recipient(PLATFORM, channel or user, team)
        chat = Chat(
            recipient, actor=user, language_hint=profile.get("locale"), zone_hint=profile.get("tz")
        )
        name, _ = parse_command(text)
        wanted = REGISTRY.find(name)
        if wanted is not None and wanted.name == "admin" and is_workspace_admin(profile):
            # A workspace admin's console link: it sees this workspace only (the team
            # comes from Slack's signed request), and the reply is ephemeral: theirs alone.
            reply = await self._commands.handle(chat, text, authorize=_workspace_admin)
            await _show(respond, reply, target=chat.recipient.address)
            return
        if wanted is not None and wanted.operators_only and is_workspace_admin(profile):
            # A workspace admin's broadcast: its own workspace, through a modal.
            lang = await self._commands.language_of(chat)
            await self._modal.open(client, trigger_id=command["trigger_id"], lang=lang)
            return
        if wanted is None or wanted.name == "help" or wanted.operators_only:
            # Anyone else gets the ordinary answer to an unknown command, and learns nothing.
            lang = await self._commands.language_of(chat)
            await respond(text=escape(slack_help(lang)), response_type="ephemeral")
            return
        authorize = _authorizer(client, team=team, user=user, channel=channel, profile=profile)
        reply = await self._commands.handle(chat, text, authorize=authorize)
        if _UNREAD in profile and wanted.name == "start":
            reply = await self._with_zone_notice(chat, reply)
        await _show(respond, reply, target=chat.recipient.address)
        if reply.document is not None:
            lang = await self._commands.language_of(chat)
            refused = await send_file(client, user=user, document=reply.document)
            outcome = say(lang, "slack_file_refused", reason=refused) if refused else None
            await respond(
                text=escape(outcome or say(lang, "slack_file_sent")),
                response_type="ephemeral",
                replace_original=False,
            )

    async def _with_zone_notice(self, chat: Chat, reply: Reply) -> Reply:
        """Say that the zone stays as it is because Slack would not tell us the member's."""
        view = await self._commands.subscription.status(chat)
        if view is None:
            return reply
        notice = Message(text=say(view.language, "slack_profile_unavailable", tz=view.timezone))
        return Reply(messages=(*reply.messages, notice))

    async def on_press(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        context: AsyncBoltContext,  # for ErrorBoundary.after_ack
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
        channel = None if is_user_address(target) else target
        authorize = _authorizer(client, team=team, user=user, channel=channel)
        reply = await self._commands.press(chat, str(action.get("value", "")), authorize=authorize)
        if reply.edit is not None:
            blocks = to_blocks(reply.edit, target=target)
            if reply.participants:
                lang = await self._commands.language_of(chat)
                original = (body.get("message") or {}).get("blocks") or []
                blocks = with_participants(
                    blocks, lang=lang, user_ids=reply.participants, keep=actions_block_of(original)
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
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,  # for ErrorBoundary.after_ack
    ) -> None:
        await ack()
        user = body["user"]["id"]
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        chat = Chat(Recipient(PLATFORM, user, team), actor=user)
        match action["action_id"]:
            case "home_pause":
                await self._commands.subscription.pause(chat)
            case "home_resume":
                await self._commands.subscription.resume(chat)
            case "home_often":
                chosen = (action.get("selected_option") or {}).get("value") or ""
                frequency = parse_frequency(chosen)
                if frequency is not None:
                    await self._commands.subscription.set_frequency(chat, frequency)
            case _:
                picked = parse_local_time(action.get("selected_time") or "")
                if picked is not None:  # Slack's time picker sends HH:MM or nothing
                    await self._commands.subscription.set_time(chat, picked)
        await self.publish_home(client, team=team, user=user)

    async def publish_home(self, client: AsyncWebClient, *, team: str, user: str) -> None:
        chat = Chat(Recipient(PLATFORM, user, team), actor=user)
        view = await self._commands.subscription.status(chat)
        if view is None:  # no language of theirs yet: greet them in their Slack locale
            profile = await _profile_of(client, team=team, user=user)
            chat = Chat(chat.recipient, actor=user, language_hint=profile.get("locale"))
        lang = view.language if view else await self._commands.language_of(chat)
        await client.views_publish(user_id=user, view=home_view(lang=lang, subscription=view))

    async def on_app_uninstalled(self, body: dict[str, Any]) -> None:
        await self._erase_workspace(str(body.get("team_id", "")))

    async def on_tokens_revoked(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if (event.get("tokens") or {}).get("bot"):
            await self._erase_workspace(str(body.get("team_id", "")))


async def _workspace_admin(access: Access) -> str | None:
    """A workspace admin asking for their console link: checked by the caller."""
    return None


def _authorizer(
    client: AsyncWebClient,
    *,
    team: str,
    user: str,
    channel: str | None,
    profile: dict[str, Any] | None = None,
) -> Authorize:
    """Who may do what: typed commands and buttons on a channel's messages alike.

    A member's own DM subscription is theirs to change; a channel's only its managers'
    (a set-up button on a channel's message skipped this). The profile is
    fetched only when a channel's settings are at stake.
    """

    async def authorize(access: Access) -> str | None:
        nonlocal profile
        if access is Access.OPERATOR:
            return "unknown_command"  # a workspace admin's broadcast goes by the modal
        if channel is None or access is Access.ANYONE:
            return None
        if profile is None:
            profile = await _profile_of(client, team=team, user=user)
        return await _refuse_channel(client, profile=profile, channel=channel)

    return authorize


async def _profile_of(client: AsyncWebClient, *, team: str, user: str) -> dict[str, Any]:
    """The member's Slack profile; when Slack will not give it, a bare one marked unread.

    ``users.info`` answers ``ok: false`` when rate-limited or for a user it does not know;
    a command still gets its answer then: no locale (the default language), no zone (the
    default zone), no admin rights (a channel's creator is still recognised).
    """
    try:
        found = (await client.users_info(user=user, include_locale=True)).get("user")
    except SlackApiError as error:
        logger.warning("slack: users.info for %s/%s failed: %s", team, user, error_code(error))
        found = None
    if not isinstance(found, dict):
        return {"id": user, _UNREAD: True}
    return found


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
