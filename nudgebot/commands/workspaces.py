"""A workspace the bot left: its subscriptions stop, or everything about it is erased.

Slack's adapter calls this when a workspace uninstalls the app, revokes its token or
turns out to be gone at a send; it decides nothing about the subscriber table itself.
Stopping goes through the one writer of "stop a subscription"
(:func:`nudgebot.store.subscribers.stop_subscriptions`), erasing through the one eraser
(:func:`nudgebot.store.personal.forget`).
"""

from __future__ import annotations

from nudgebot.store.db import Sessions
from nudgebot.store.personal import Subject, forget
from nudgebot.store.subscribers import stop_subscriptions


class Workspaces:
    def __init__(self, *, sessions: Sessions) -> None:
        self._sessions = sessions

    async def stop(self, platform: str, workspace: str) -> int:
        """Stop every live subscription of the workspace; returns how many were live.

        Idempotent: a retried uninstall, or a revoked token after it, changes nothing more.
        """
        async with self._sessions() as session:
            stopped = await stop_subscriptions(session, platform=platform, workspace=workspace)
            await session.commit()
        return stopped

    async def erase(self, platform: str, workspace: str) -> int:
        """Stop, then erase every row about the workspace's chats; returns the rows erased."""
        await self.stop(platform, workspace)
        erased = await forget(self._sessions, Subject(platform, workspace, None))
        return sum(erased.values())


__all__ = ["Workspaces"]
