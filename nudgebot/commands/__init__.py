"""The platform-neutral use cases and the one registry of commands (invariant 11).

:mod:`.registry` says how to add a command. Adapters call :class:`Commands` only.
"""

from nudgebot.commands.registry import REGISTRY
from nudgebot.commands.service import Commands
from nudgebot.commands.spec import (
    Access,
    Authorize,
    Command,
    Registry,
    parse_command,
    private_chat,
    slash,
)
from nudgebot.core.chats import Chat

__all__ = [
    "REGISTRY",
    "Access",
    "Authorize",
    "Chat",
    "Command",
    "Commands",
    "Registry",
    "parse_command",
    "private_chat",
    "slash",
]
