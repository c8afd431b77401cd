"""What ``nudgebot --help`` says beyond the options: the settings and an example each.

The settings list is made from :class:`~nudgebot.settings.Settings` itself (name, default,
description), so a new setting shows up in ``--help`` without anyone remembering to add
it; :data:`NOTES` only fills in words where a field has no description of its own.
"""

from __future__ import annotations

import textwrap
from datetime import time
from pathlib import Path

from pydantic import BaseModel

from nudgebot.settings import AdminSettings, Settings, SlackSettings, TelegramSettings

NOTES = {
    "default_language": "nl or en: for people whose platform language is neither",
    "default_timezone": "new subscribers' IANA zone until they choose",
    "default_time": "new subscribers' HH:MM until they choose",
    "grace_minutes": "how late a nudge may still go out after downtime",
    "tick_seconds": "how often the engine looks for due nudges",
    "send_attempts": "tries per message on transient platform errors",
    "log_level": "DEBUG, INFO, WARNING or ERROR",
    "log_format": "text, or json (one object a line)",
    "http_host": "the web server's address (webhooks, Slack, /healthz, /admin)",
    "http_port": "the web server's port (0: any free one)",
}
GROUPS: dict[str, tuple[type[BaseModel], str]] = {
    "telegram": (TelegramSettings, "any of them turns Telegram on; TOKEN is then required"),
    "slack": (SlackSettings, "which are set decides the mode (Socket Mode, HTTP, OAuth)"),
    "admin": (AdminSettings, "SECRET (32+ characters) turns the web console at /admin on"),
}

EXAMPLES = {
    "run": "nudgebot run                       # the terminal chat, SQLite in ./nudgebot.db\n"
    "NUDGEBOT_TELEGRAM_TOKEN=123:ABC nudgebot run",
    "simulate": "nudgebot simulate --days 10 --subscribers 100\n"
    "nudgebot simulate --database sqlite+aiosqlite:///sim.db && "
    "NUDGEBOT_DATABASE_URL=sqlite+aiosqlite:///sim.db nudgebot stats",
    "db": "nudgebot db upgrade",
    "content": "nudgebot content check\nnudgebot content show tip-eat-the-rainbow --lang en",
    "broadcast": "nudgebot broadcast create --text-nl nl.txt --text-en en.txt --dry-run\n"
    "ID=$(nudgebot broadcast create --text-nl nl.txt --platform telegram | tail -n 1)\n"
    "nudgebot broadcast show $ID && nudgebot broadcast send $ID --wait",
    "stats": "nudgebot stats --days 14 --plot daily.png",
    "admin": "nudgebot admin link                # an operator's sign-in link\n"
    "nudgebot admin link --workspace T0123 --minutes 5",
}


def _default(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Path):
        return "the pack shipped in the package"
    return str(value)


def _lines(prefix: str, model: type[BaseModel], notes: dict[str, str]) -> list[str]:
    lines = []
    for name, field in model.model_fields.items():
        if name in GROUPS:
            continue
        default = field.default if field.default_factory is None else Path()
        about = field.description or notes.get(name, "")
        line = f"  {prefix}{name.upper()} = {_default(default)}"
        wrapped = textwrap.fill(about, 88, initial_indent="      ", subsequent_indent="      ")
        lines.append(line + (f"\n{wrapped}" if about else ""))
    return lines


def environment() -> str:
    """Every ``NUDGEBOT_*`` variable with its default, as ``--help`` epilog text."""
    lines = [
        "environment (or a .env file in the working directory; a bad value stops",
        "start-up with one line naming it):",
        *_lines("NUDGEBOT_", Settings, NOTES),
    ]
    for group, (model, about) in GROUPS.items():
        names = ", ".join(f"NUDGEBOT_{group.upper()}_{n.upper()}" for n in model.model_fields)
        lines.append(textwrap.fill(f"  {names}: {about}", 88, subsequent_indent="      "))
    return "\n".join(lines)


def epilog(command: str | None = None) -> str:
    """The text after a parser's options: its example, and (top level, run) the settings."""
    parts = []
    if command is not None and command in EXAMPLES:
        example = textwrap.indent(EXAMPLES[command], "  ")
        parts.append(f"example:\n{example}")
    if command in (None, "run"):
        parts.append(environment())
    if command is None:
        examples = "\n".join(textwrap.indent(text, "  ") for text in EXAMPLES.values())
        parts.insert(0, f"examples:\n{examples}")
    return "\n\n".join(parts)


__all__ = ["EXAMPLES", "environment", "epilog"]
