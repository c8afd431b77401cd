"""``/gutnudge broadcast`` for workspace admins and owners: a modal to write, preview, send.

Three steps, all in one modal: *compose* (text per language, audience), *preview*
(the audience size in this workspace and the text as members will see it; Send or
close), *sent* (the outbox counts at that moment). Nothing here trusts the payload for
reach: the workspace is the signed request's team, the audience is always that
workspace's Slack members, and a preview's broadcast id (kept in the view's
``private_metadata``) is honoured only for a draft of that same workspace. Whether the
member is an admin is asked of ``users.info`` at every step, not remembered.
Nobody on Slack reaches another workspace or Telegram; the operators do (CLI, Telegram).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any, cast

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from nudgebot.adapters.slack.blocks import escape, to_blocks
from nudgebot.adapters.slack.boundary import Listener
from nudgebot.commands import Commands
from nudgebot.core.broadcast import MAX_BROADCAST_CHARS, Audience, BroadcastText
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import LANGUAGES, Lang, as_lang
from nudgebot.core.texts import say
from nudgebot.errors import InputError

COMPOSE = "broadcast_compose"
PREVIEW = "broadcast_preview"
_TEXT_BLOCK = "text_{lang}"
_LANGUAGE_BLOCK = "audience_language"
_STREAK_BLOCK = "audience_streak"
_FIELD = "value"
_ANY = "any"

View = dict[str, Any]


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150]}


def _modal(lang: Lang, callback_id: str, blocks: list[Any], submit: str | None) -> View:
    view: View = {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(say(lang, "slack_broadcast_title")[:24]),
        "close": _plain(say(lang, "slack_broadcast_close")[:24]),
        "blocks": blocks,
    }
    if submit is not None:
        view["submit"] = _plain(submit[:24])
    return view


def compose_view(lang: Lang) -> View:
    """Text per language (the default language's is required) and who it is for."""
    texts = [
        {
            "type": "input",
            "block_id": _TEXT_BLOCK.format(lang=text_lang),
            "optional": True,
            "label": _plain(say(lang, "slack_broadcast_text", language=text_lang)),
            "element": {
                "type": "plain_text_input",
                "action_id": _FIELD,
                "multiline": True,
                "max_length": MAX_BROADCAST_CHARS,
            },
        }
        for text_lang in LANGUAGES
    ]
    options = [(_ANY, say(lang, "slack_broadcast_everyone"))] + [(code, code) for code in LANGUAGES]
    audience = [
        {
            "type": "input",
            "block_id": _LANGUAGE_BLOCK,
            "optional": True,
            "label": _plain(say(lang, "slack_broadcast_language")),
            "element": {
                "type": "static_select",
                "action_id": _FIELD,
                "options": [{"text": _plain(label), "value": value} for value, label in options],
            },
        },
        {
            "type": "input",
            "block_id": _STREAK_BLOCK,
            "optional": True,
            "label": _plain(say(lang, "slack_broadcast_streak")),
            "element": {
                "type": "number_input",
                "action_id": _FIELD,
                "is_decimal_allowed": False,
                "min_value": "0",
            },
        },
    ]
    return _modal(lang, COMPOSE, texts + audience, say(lang, "slack_broadcast_preview"))


def read_compose(view: View, *, workspace: str) -> tuple[BroadcastText, Audience]:
    """The modal's values; the audience is this workspace's Slack members, whatever was sent."""
    values = view.get("state", {}).get("values", {})

    def field(block: str) -> dict[str, Any]:
        return cast(dict[str, Any], values.get(block, {}).get(_FIELD) or {})

    texts: dict[Lang, str] = {}
    for lang in LANGUAGES:
        text = (field(_TEXT_BLOCK.format(lang=lang)).get("value") or "").strip()
        if text:
            texts[lang] = text
    language = (field(_LANGUAGE_BLOCK).get("selected_option") or {}).get("value")
    streak = field(_STREAK_BLOCK).get("value")
    audience = Audience(
        platform="slack",
        workspace=workspace,
        language=as_lang(language),
        min_streak=int(streak) if isinstance(streak, str) and streak.isdigit() else None,
    )
    return BroadcastText(texts=texts), audience


class BroadcastModal:
    def __init__(self, *, commands: Commands) -> None:
        self._commands = commands

    def register(self, app: AsyncApp, track: Callable[[Listener], Listener]) -> None:
        """The modal's listeners, each passed through ``track`` (counted while it runs)."""
        app.view(COMPOSE)(track(self.on_compose))
        app.view(PREVIEW)(track(self.on_send))
        app.view_closed(PREVIEW)(track(self.on_close))

    async def open(self, client: AsyncWebClient, *, trigger_id: str, lang: Lang) -> None:
        await client.views_open(trigger_id=trigger_id, view=compose_view(lang))

    async def on_compose(
        self, ack: AsyncAck, body: dict[str, Any], view: View, client: AsyncWebClient
    ) -> None:
        chat, lang, admin = await self._who(body, client)
        if not admin:
            await ack(response_action="errors", errors=self._refused(lang))
            return
        words, audience = read_compose(view, workspace=chat.recipient.workspace)
        try:
            preview, draft = await self._commands.broadcasts.draft(chat, words, audience)
        except InputError as refusal:
            block = _TEXT_BLOCK.format(lang=refusal.values.get("language", LANGUAGES[0]))
            await ack(
                response_action="errors",
                errors={block: say(lang, refusal.key, **refusal.values)[:150]},
            )
            return
        blocks: list[Any] = [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": escape(say(lang, "slack_broadcast_size", total=preview.total)),
                },
            }
        ]
        for text_lang, message in preview.messages.items():
            blocks.append({"type": "divider"})
            blocks.append({"type": "context", "elements": [_mrkdwn(escape(f"{text_lang}:"))]})
            blocks.extend(to_blocks(message, target=chat.recipient.address))
        update = _modal(
            lang, PREVIEW, blocks, say(lang, "button_broadcast_send", total=preview.total)
        )
        update["private_metadata"] = str(draft.id)
        update["notify_on_close"] = True
        await ack(response_action="update", view=update)

    async def on_send(
        self, ack: AsyncAck, body: dict[str, Any], view: View, client: AsyncWebClient
    ) -> None:
        chat, lang, admin = await self._who(body, client)
        metadata = str(view.get("private_metadata") or "")
        if not admin or not metadata.isdigit():
            await ack(response_action="errors", errors=self._refused(lang))
            return
        try:
            progress = await self._commands.broadcasts.confirm(
                int(metadata), platform="slack", workspace=chat.recipient.workspace
            )
        except InputError as refusal:
            await ack(
                response_action="update",
                view=self._said(lang, say(lang, refusal.key, **refusal.values)),
            )
            return
        totals = progress.by_status()
        text = say(
            lang,
            "slack_broadcast_sent",
            id=progress.broadcast.id,
            total=sum(totals.values()),
            counts=", ".join(f"{status} {n}" for status, n in sorted(totals.items())),
        )
        await ack(response_action="update", view=self._said(lang, text))

    async def on_close(self, ack: AsyncAck, body: dict[str, Any], view: View) -> None:
        await ack()
        metadata = str(view.get("private_metadata") or "")
        team = _team(body)
        if metadata.isdigit():
            with suppress(InputError):  # not there (any more): nothing to drop
                await self._commands.broadcasts.drop_draft(
                    int(metadata), platform="slack", workspace=team
                )

    def _said(self, lang: Lang, text: str) -> View:
        blocks = [{"type": "section", "text": _mrkdwn(escape(text))}]
        return _modal(lang, PREVIEW, blocks, None)

    def _refused(self, lang: Lang) -> dict[str, str]:
        return {_TEXT_BLOCK.format(lang=LANGUAGES[0]): say(lang, "unknown_command")[:150]}

    async def _who(self, body: dict[str, Any], client: AsyncWebClient) -> tuple[Chat, Lang, bool]:
        user, team = body["user"]["id"], _team(body)
        profile = (await client.users_info(user=user, include_locale=True))["user"]
        chat = Chat(Recipient("slack", user, team), actor=user, language_hint=profile.get("locale"))
        lang = await self._commands.language_of(chat)
        return chat, lang, is_workspace_admin(profile)


def is_workspace_admin(profile: dict[str, Any]) -> bool:
    return bool(profile.get("is_admin") or profile.get("is_owner"))


def _team(body: dict[str, Any]) -> str:
    return str((body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", ""))


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


__all__ = ["COMPOSE", "PREVIEW", "BroadcastModal", "compose_view", "is_workspace_admin"]
