"""What a registry entry and a button's handler may call: the use-case services.

Each service is built with only the few settings it uses, and :class:`~.service.Commands`
composes them; this protocol names them for the code below ``Commands`` (the registry's
run functions), which must not import it.
"""

from __future__ import annotations

from typing import Protocol

from nudgebot.commands.admin import ChatBroadcasts, ConsoleLinks
from nudgebot.commands.challenges import Challenges
from nudgebot.commands.nudges import Nudges
from nudgebot.commands.preferences import Preferences
from nudgebot.commands.privacy import Privacy
from nudgebot.commands.subscription import Subscription
from nudgebot.commands.workspaces import Workspaces
from nudgebot.core.chats import Chat
from nudgebot.core.content import Lang


class UseCases(Protocol):
    """The services, one per area of what a chat can do."""

    @property
    def subscription(self) -> Subscription: ...

    @property
    def nudges(self) -> Nudges: ...

    @property
    def challenges(self) -> Challenges: ...

    @property
    def privacy(self) -> Privacy: ...

    @property
    def preferences(self) -> Preferences: ...

    @property
    def broadcasts(self) -> ChatBroadcasts: ...

    @property
    def workspaces(self) -> Workspaces: ...

    @property
    def console(self) -> ConsoleLinks: ...

    async def language_of(self, chat: Chat) -> Lang:
        """The language to answer ``chat`` in."""
        ...


__all__ = ["UseCases"]
