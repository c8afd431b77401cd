"""Who the bot talks to: platform-neutral addresses of chats and of the people in them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a subscriber's nudges go: the platform, the workspace (Slack) and the chat."""

    platform: str
    address: str
    workspace: str = ""


@dataclass(frozen=True, slots=True)
class Chat:
    """Who is talking: the chat the bot answers in, and the person acting in it.

    ``actor`` tells members of a group or channel apart for taps; in a private chat it
    is the chat itself. ``language_hint`` is the platform's idea of the user's language.
    """

    recipient: Recipient
    actor: str = ""
    language_hint: str | None = None

    @property
    def who(self) -> str:
        return self.actor or self.recipient.address
