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
    is the chat itself. ``language_hint`` is the platform's idea of the user's language,
    ``zone_hint`` its idea of their IANA time zone (Slack knows it; Telegram does not).
    """

    recipient: Recipient
    actor: str = ""
    language_hint: str | None = None
    zone_hint: str | None = None

    @property
    def shared(self) -> bool:
        """A group or channel: the person acting is not the chat itself."""
        return self.actor not in ("", self.recipient.address)

    @property
    def who(self) -> str:
        return self.actor or self.recipient.address
