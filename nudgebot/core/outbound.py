"""Platform-neutral messages: what the core says, before any adapter formats it.

A :class:`Message` holds plain text only. Adapters escape and format it (HTML for
Telegram, Block Kit for Slack, plain lines for the console), so nothing here may contain
markup. Button actions are short opaque strings that come back to
``Commands.press`` unchanged; they stay under Telegram's 64-byte callback-data limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_ACTION_BYTES = 64


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: str

    def __post_init__(self) -> None:
        if len(self.action.encode()) > MAX_ACTION_BYTES:
            raise ValueError(f"button action over {MAX_ACTION_BYTES} bytes: {self.action!r}")


@dataclass(frozen=True, slots=True)
class Link:
    """A source line; ``url`` is None for a source with no address (the article itself)."""

    label: str
    url: str | None = None

    def plain(self) -> str:
        return f"{self.label}: {self.url}" if self.url else self.label


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message.

    Attributes:
        text: the body, plain text; paragraphs separated by blank lines.
        title: an optional heading, shown bold where the platform can.
        caution: the EFSA caution and other warnings, one per line, shown apart from the body.
        links: sources, rendered as links where the platform can.
        buttons: rows are not modelled; adapters lay buttons out themselves.
    """

    text: str
    title: str | None = None
    caution: str | None = None
    links: tuple[Link, ...] = ()
    buttons: tuple[Button, ...] = ()
    footer: str | None = None

    def plain(self) -> str:
        """The whole message as plain text, for the console and for logs of tests."""
        parts = [f"*{self.title}*"] if self.title else []
        parts.append(self.text)
        if self.caution:
            parts.append(f"⚠️ {self.caution}")
        if self.links:
            parts.append("\n".join(f"📚 {link.plain()}" for link in self.links))
        if self.footer:
            parts.append(self.footer)
        return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class Document:
    """A file for the chat (``/mydata``), sent after the reply's messages.

    Telegram sends it as a document, Slack uploads it to the member's DM, the console
    writes it to disk and prints the path.
    """

    filename: str
    content: bytes = field(repr=False)
    caption: str = ""
    mime_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class Reply:
    """What a command or a button press answers.

    Attributes:
        messages: new messages to send to the chat, in order.
        edit: for a button press, the new content of the message that carried the button.
        notice: a short toast (Telegram callback answer, Slack ephemeral message).
        document: a file to hand over in the chat, after the messages.
        alert: the notice is a refusal the user must acknowledge, not a passing toast.
        participants: who has answered the tapped nudge of a shared chat (actor ids).
    """

    messages: tuple[Message, ...] = ()
    edit: Message | None = None
    notice: str | None = None
    document: Document | None = None
    alert: bool = False
    participants: tuple[str, ...] = ()

    @classmethod
    def say(cls, text: str, *, buttons: tuple[Button, ...] = ()) -> Reply:
        return cls(messages=(Message(text=text, buttons=buttons),))
