"""Tell a refusal from an answer that did something, by the catalogue's own texts."""

from __future__ import annotations

import re

from nudgebot.core.content import LANGUAGES
from nudgebot.core.outbound import Reply
from nudgebot.core.texts import CATALOGUE

REFUSALS = (
    "already_counted",
    "bad_language",
    "bad_pause",
    "bad_time",
    "bad_tz",
    "group_admins_only",
    "missing_argument",
    "not_subscribed",
    "operators_only",
    "stale",
    "tz_candidates",
    "unknown_button",
    "unknown_command",
    "unsubscribed_no_change",
)
"""Answers that promise nothing changed (offering zone buttons changes nothing either)."""

_PATTERNS = [
    re.compile(".*".join(re.escape(part) for part in re.split(r"\{[a-z_]+\}", template)), re.S)
    for key in REFUSALS
    for lang in LANGUAGES
    for template in (CATALOGUE[key][lang],)
]


def text_of(reply: Reply) -> str:
    texts = [m.plain() for m in reply.messages]
    if reply.edit is not None:
        texts.append(reply.edit.plain())
    return "\n".join([*texts, reply.notice or ""]).strip()


def is_refusal(reply: Reply) -> bool:
    said = text_of(reply)
    return any(pattern.fullmatch(said) for pattern in _PATTERNS)
