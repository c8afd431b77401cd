"""The rules one content item must keep, told in an editor's terms (file, id, field).

:mod:`nudgebot.pack.loading` loads the pack and runs :func:`check_item` on every item; the
problems and warnings land in a :class:`PackReport`. The health-claim rules themselves
live in :mod:`nudgebot.pack.claims`; this module turns their findings into pack problems and
adds the rules about form: lengths, a myth's explanation, and "today" in a challenge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nudgebot.core.content import ARTICLE, LANGUAGES, ContentPack, Item, Kind, Source, Verdict
from nudgebot.core.render import render_answered, render_item
from nudgebot.pack.claims import find_claims, find_missing_cautions
from nudgebot.pack.claims.cautions import FLAG, ungeneral_safety
from nudgebot.pack.quotes import MIN_QUOTE_WORDS, ArticleText, Found, expected_refs

REFERENCES_FILE = "references.yaml"
ARTICLE_FILE = "article.yaml"
GUIDANCE_FILE = "guidance.yaml"
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


def _shown_refs(refs: set[Source] | tuple[Source, ...]) -> str:
    ordered = sorted(
        refs, key=lambda ref: (isinstance(ref, int), ref if isinstance(ref, int) else 0)
    )
    return "[" + ", ".join(str(ref) for ref in ordered) + "]"


def _check_quotes(
    pack: ContentPack, shown: str, item: Item, report: PackReport, article: ArticleText | None
) -> None:
    """Every quote is the article's own words, and the refs are the markers they carry."""
    for name in item.guidance:
        if name not in pack.guidance:
            report.problems.append(
                PackProblem(shown, item.id, "guidance", f"{name!r} is not in {GUIDANCE_FILE}")
            )
    if not item.quotes:
        report.problems.append(
            PackProblem(
                shown, item.id, "quotes", "missing: quote the article sentences the item rests on"
            )
        )
        return
    if article is None:
        return
    found: list[Found] = []
    for index, quote in enumerate(item.quotes, 1):
        where = f"quotes.{index}"
        if len(quote.split()) < MIN_QUOTE_WORDS:
            report.problems.append(
                PackProblem(
                    shown, item.id, where, f"too short: quote at least {MIN_QUOTE_WORDS} words"
                )
            )
            continue
        place = article.find(quote)
        if place is None:
            report.problems.append(
                PackProblem(shown, item.id, where, f"not in the article: “{_clip(quote)}”")
            )
            continue
        found.append(place)
    if len(found) < len(item.quotes):
        return
    wanted = expected_refs(found)
    if set(item.refs) != wanted:
        report.problems.append(
            PackProblem(
                shown,
                item.id,
                "refs",
                f"{_shown_refs(item.refs)}, but its quotes carry {_shown_refs(wanted)}: cite "
                "exactly the article's markers on the quoted sentences, and 'article' for a "
                "quote that carries none",
            )
        )


def _clip(text: str, length: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _check_claims(shown: str, item: Item, report: PackReport) -> None:
    for lang in LANGUAGES:
        words = item.text[lang]
        for name in TEXT_FIELDS:
            if name == "statement" and item.verdict is Verdict.MYTH:
                continue
            text = getattr(words, name) or ""
            for hit in find_claims(text, lang, efsa=item.efsa_unconfirmed):
                report.problems.append(
                    PackProblem(shown, item.id, f"{lang}.{name}", f"{hit.rule}: {hit.describe()}")
                )
            unhedged = ungeneral_safety(getattr(words, name) or "", lang)
            if unhedged and not (name == "statement" and item.verdict is Verdict.MYTH):
                report.problems.append(
                    PackProblem(
                        shown,
                        item.id,
                        f"{lang}.{name}",
                        f"“{unhedged}” calls it safe; the article says *generally* safe "
                        "(over het algemeen), so say it too",
                    )
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


def check_item(
    pack: ContentPack,
    shown: str,
    item: Item,
    report: PackReport,
    article: ArticleText | None = None,
) -> None:
    _check_sources(pack, shown, item, report)
    _check_quotes(pack, shown, item, report, article)
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
