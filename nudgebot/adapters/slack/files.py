"""A file for a member (``/mydata``): uploaded to their direct message with the app.

Slack's upload is three calls, which ``files_upload_v2`` makes: reserve an upload URL,
POST the bytes there, then complete the upload into a conversation. The file goes to the
member's DM whatever channel they typed the command in, so a channel never sees it. It
needs the ``files:write`` scope; a workspace that installed the app before the scope was
added answers ``missing_scope`` until it reinstalls, and the member is told so.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from nudgebot.adapters.slack.errors import error_code
from nudgebot.core.outbound import Document

logger = logging.getLogger(__name__)


async def send_file(client: AsyncWebClient, *, user: str, document: Document) -> str | None:
    """Upload ``document`` to ``user``'s DM; None when it arrived, else Slack's reason."""
    try:
        opened = await client.conversations_open(users=user)
        await client.files_upload_v2(
            channel=str(opened["channel"]["id"]),
            content=document.content,
            filename=document.filename,
            title=document.filename,
            initial_comment=document.caption,
        )
    except SlackApiError as error:
        code = error_code(error)
        logger.warning("slack: a file upload to %s was refused: %s", user, code)
        return code
    except SlackClientError as error:
        logger.warning("slack: a file upload to %s failed: %s", user, type(error).__name__)
        return "upload_failed"
    return None


__all__ = ["send_file"]
