"""The rules one content item must keep, told in an editor's terms (file, id, field).

:mod:`nudgebot.pack.loading` loads the pack and runs :func:`check_item` on every item; the
problems and warnings land in a :class:`PackReport`. The health-claim rules themselves
live in :mod:`nudgebot.pack.claims`; this module turns their findings into pack problems and
adds the rules about form: lengths, a myth's explanation, and "today" in a challenge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nudgebot.core.content import ARTICLE, LANGUAGES, ContentPack, Item, Kind, Verdict
from nudgebot.core.render import render_answered, render_item
from nudgebot.pack.claims import find_claims, find_missing_cautions
from nudgebot.pack.claims.cautions import FLAG

REFERENCES_FILE = "references.yaml"
ARTICLE_FILE = "article.yaml"
MAX_BODY = 400
AIM_TEXT = 600
MAX_MESSAGE = 3000
TEXT_FIELDS = ("title", "body", "action", "done_when", "statement", "explanation")
_VERDICT_OPENING = re.compile(r"^\s*(myth|fact|mythe|feit)\b", re.IGNORECASE)
"""The rendered answer already opens with 'Myth.' / 'Feit.'; an explanation must not repeat it."""
_TODAY = re.compile(r"\b(today|vandaag)\b", re.IGNORECASE)
"""A challenge's message says 'Today:' / 'Vandaag:' once; its text must not say it again."""


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One thing wrong with the pack, located the way an editor looks for it."""

    file: str
    item_id: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = (self.file, self.item_id, self.field, self.message)
        return ": ".join(part for part in parts if part)


@dataclass(slots=True)
class PackReport:
    """What :func:`check_pack` found; ``counts`` maps (kind, lang) to a number of items."""

    problems: list[PackProblem] = field(default_factory=list)
    warnings: list[PackProblem] = field(default_factory=list)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_sources(pack: ContentPack, shown: str, item: Item, report: PackReport) -> None:
    for number in item.numbered_refs:
        if number not in pack.references:
            report.problems.append(
                PackProblem(
                    shown, item.id, "refs", f"reference {number} is not in {REFERENCES_FILE}"
                )
            )
    if item.cites_article and pack.article is None:
        report.problems.append(
            PackProblem(
                shown, item.id, "refs", f"cites the {ARTICLE}, but {ARTICLE_FILE} is missing"
            )
        )


def _check_claims(shown: str, item: Item, report: PackReport) -> None:
    for lang in LANGUAGES:
        words = item.text[lang]
        for name in TEXT_FIELDS:
            if name == "statement" and item.verdict is Verdict.MYTH:
                continue
            for hit in find_claims(getattr(words, name) or "", lang):
                report.problems.append(
                    PackProblem(shown, item.id, f"{lang}.{name}", f"{hit.rule}: {hit.describe()}")
                )
            if item.kind is Kind.CHALLENGE and _TODAY.search(getattr(words, name) or ""):
                report.problems.append(
                    PackProblem(
                        shown,
                        item.id,
                        f"{lang}.{name}",
                        "says 'today' again: the message already opens the action with 'Today:'",
                    )
                )
    for need in find_missing_cautions(item):
        report.problems.append(
            PackProblem(
                shown,
                item.id,
                f"{need.lang}.{need.field}",
                f"{FLAG[need.caution]} missing: {need.describe()}",
            )
        )


def check_item(pack: ContentPack, shown: str, item: Item, report: PackReport) -> None:
    _check_sources(pack, shown, item, report)
    _check_claims(shown, item, report)
    for lang in LANGUAGES:
        words = item.text[lang]
        if len(words.body) > MAX_BODY:
            report.problems.append(
                PackProblem(
                    shown,
                    item.id,
                    f"{lang}.body",
                    f"{len(words.body)} characters, the limit is {MAX_BODY}",
                )
            )
        extra = (words.action, words.done_when, words.statement, words.explanation)
        total = len(words.body) + sum(len(part or "") for part in extra)
        if total > AIM_TEXT:
            report.warnings.append(
                PackProblem(
                    shown, item.id, lang, f"{total} characters of text, aim for {AIM_TEXT} or less"
                )
            )
        if words.explanation and _VERDICT_OPENING.match(words.explanation):
            report.problems.append(
                PackProblem(
                    shown,
                    item.id,
                    f"{lang}.explanation",
                    "starts with the verdict; leave it out, the message says it already",
                )
            )
        shown_length = max(
            len(render_item(pack, item, lang, delivery_id=0).plain()),
            len(render_answered(pack, item, lang, answer="myth", result_line="✅").plain()),
        )
        if shown_length > MAX_MESSAGE:
            report.problems.append(
                PackProblem(
                    shown,
                    item.id,
                    lang,
                    f"rendered message of {shown_length} characters, the limit is {MAX_MESSAGE}",
                )
            )
