"""The Slack error boundary: whatever a listener or Bolt middleware raises ends here.

Bolt's default handler logs the traceback and answers 500 (or nothing, once acked);
the member sees Slack's "dispatch_failed" or no answer at all. Registered with
``app.error``, this class gives one log line (:func:`log_failure`: who, where, never the
payload), an apology through the ``response_url`` when there is one, and a 4xx instead of
500 when nothing was acked yet.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

from nudgebot.adapters.failures import log_failure
from nudgebot.adapters.slack.blocks import escape
from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.texts import say

logger = logging.getLogger(__name__)

PLATFORM = "slack"

Listener = Callable[..., Awaitable[None]]


_SLACK_ID = re.compile(r"^[A-Z0-9]{1,24}$")


def slack_id(value: object) -> str:
    """A team or user id fit for a log line; anything else a signed body carried is not."""
    return value if isinstance(value, str) and _SLACK_ID.match(value) else ""


class Running:
    """The listeners still at work after their ack, and a signal when there are none.

    Bolt acks first and lets the listener finish in the background, so an answered
    request says nothing about whether its work is done. :meth:`idle` does: tests wait
    on it instead of sleeping.
    """

    def __init__(self) -> None:
        self._count = 0
        self._none = asyncio.Event()
        self._none.set()

    def track(self, listener: Listener) -> Listener:
        """``listener``, counted while it runs (Bolt still sees its signature)."""

        @functools.wraps(listener)
        async def tracked(**kwargs: Any) -> None:
            self._count += 1
            self._none.clear()
            try:
                await listener(**kwargs)
            finally:
                self._count -= 1
                if not self._count:
                    self._none.set()

        return tracked

    async def idle(self) -> None:
        """Return once no listener is running (at once if none is)."""
        await self._none.wait()


class ErrorBoundary:
    def __init__(self, commands: Commands) -> None:
        self._commands = commands

    async def on_error(
        self, error: Exception, context: AsyncBoltContext, response: BoltResponse | None
    ) -> BoltResponse | None:
        """One line, an apology if possible, and the HTTP answer if it is still ours to give.

        With ``response`` None the ack has gone out, and Bolt forbids answering again.
        A signed request no listener wants (``raise_error_for_unhandled_request``) gets
        404 and one short line instead of Bolt's multi-line listener suggestion.
        """
        if isinstance(error, BoltUnhandledRequestError):
            logger.info("slack: no listener takes this request; answered 404")
            return BoltResponse(status=404, body="") if response is not None else None
        team, user = slack_id(context.team_id), slack_id(context.user_id)
        log_failure(logger, platform=PLATFORM, who=f"{team}/{user}", error=error)
        apologised = bool(team and user and context.response_url)
        if apologised:
            apologised = await self._apologise(context, Chat(Recipient(PLATFORM, user, team)))
        if response is None:
            return None
        return BoltResponse(status=200, body="") if apologised else BoltResponse(status=400)

    def after_ack(self, listener: Listener) -> Listener:
        """Handle what an ack-first listener raises here, before Bolt's runner sees it.

        On an exception after ``ack()``, slack_bolt's asyncio runner sets ``ack.response``
        back to None (``run_ack_function_asynchronously`` in
        ``slack_bolt/listener/asyncio_runner.py``, 1.2x). If the failure comes before the
        runner's 10 ms poll has seen the ack, which a loaded machine makes likely, the
        request is answered 404 after all and the member sees "dispatch_failed". Caught
        here, the ack stands and the member gets the apology. The listener must take
        ``context`` (Bolt passes arguments by name).
        """

        @functools.wraps(listener)
        async def guarded(**kwargs: Any) -> None:
            try:
                await listener(**kwargs)
            except Exception as error:
                await self.on_error(error, kwargs["context"], None)

        return guarded

    async def _apologise(self, context: AsyncBoltContext, chat: Chat) -> bool:
        try:
            assert context.respond is not None
            lang = await self._commands.language_of(chat)
            text = escape(say(lang, "sorry_failed"))
            await context.respond(text=text, response_type="ephemeral", replace_original=False)
        except Exception as error:  # the boundary itself must not raise: one line, then on
            logger.warning(
                "slack: the apology to %s/%s failed too: %s",
                chat.recipient.workspace,
                chat.recipient.address,
                type(error).__name__,
            )
            return False
        return True


__all__ = ["ErrorBoundary", "Running", "slack_id"]
