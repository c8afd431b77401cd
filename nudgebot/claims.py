"""The forbidden-claims lint: words that would turn a nudge into a health claim.

DESIGN.md invariant 6 says no item claims to cure or prevent a disease, and the source
article is careful that most links are not confirmed by EFSA. Editors write in two
languages, so the lint reads both. It is a word list, not a language model: it flags
words, and a person rewrites the sentence. The rules, and the false positives each one
is shaped to avoid:

English (case-insensitive, whole words):
    * ``cure``, ``cures``, ``cured``, ``curing``.
    * ``treatment(s)``, ``treated``, ``treating`` always; ``treat`` / ``treats`` only as a
      verb: the noun ("a sweet treat", "sugary treats") is allowed, recognised by the
      word before it (an article, a possessive or an adjective in :data:`TREAT_NOUN_BEFORE`).
    * ``heal``, ``heals``, ``healed``, ``healing`` ("healthy" is another word).
    * ``prevent``, ``prevents``, ``prevented``, ``preventing``, ``prevention``,
      ``preventive``.
    * ``guarantee``, ``guaranteed``, ``guarantees``.
Dutch (case-insensitive, whole words):
    * ``geneest``, ``genezen``, ``genezing``, ``geneeskrachtig(e)``, ``heelt``, ``geheeld``.
    * every word starting with ``behandel`` (behandelt, behandelen, behandeling).
    * ``voorkomt``, ``voorkomen``, ``voorkwam(en)``, ``preventie``, ``preventief``.
      "Voorkomen" also means "to occur". The occur sense is nearly always written split
      ("komen van nature voor", "komt vaak voor"), which the lint never sees as one word;
      the joined form is allowed only right after a frequency or nature word
      (:data:`OCCUR_BEFORE`: "die vaak voorkomen", "van nature voorkomt"). Anything
      else joined reads as "prevents" in a health text, so write the split form.
    * ``gegarandeerd``, ``garantie``, ``garanderen``, ``garandeert``.
Both languages:
    * any word containing ``detox`` (detox, detoxkuur, darmdetox): the article calls
      detox cures dubious; the body detoxifies through liver and kidneys.

A myth item whose verdict is *myth* quotes the claim it debunks in ``statement``; that
one field is exempt, every other field (the explanation too) is checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nudgebot.core.content import Lang

TREAT_NOUN_BEFORE = frozenset(
    {
        *("a", "an", "the", "this", "that", "as"),
        *("your", "my", "our", "their", "his", "her"),
        *("sweet", "sugary", "little", "small", "tasty", "occasional", "special", "weekend"),
        "rare",
    }
)
"""Words after which ``treat(s)`` is the noun (a reward), not the verb."""

OCCUR_BEFORE = frozenset(
    {"vaak", "veel", "weinig", "zelden", "soms", "nature", "natuurlijk", "algemeen"}
)
"""Words after which a joined ``voorkomen`` / ``voorkomt`` means "occur"."""

_ALWAYS: dict[Lang, re.Pattern[str]] = {
    "en": re.compile(
        r"\b(cur(?:e|es|ed|ing)|treat(?:ment|ments|ed|ing)|heal(?:s|ed|ing)?"
        r"|prevent(?:s|ed|ing|ion|ive)?|guarantee[sd]?)\b",
        re.IGNORECASE,
    ),
    "nl": re.compile(
        r"\b(geneest|genezen|genezing|geneeskrachtige?|heelt|geheeld|behandel\w*"
        r"|preventie|preventief|gegarandeerde?|garantie\w*|garanderen|garandeert)\b",
        re.IGNORECASE,
    ),
}
_DETOX = re.compile(r"\w*detox\w*", re.IGNORECASE)
_TREAT = re.compile(r"\btreats?\b", re.IGNORECASE)
_VOORKOMEN = re.compile(r"\b(voorkomt|voorkomen|voorkwam|voorkwamen)\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"(\w+)\W*$")


@dataclass(frozen=True, slots=True)
class ClaimHit:
    """One flagged word and why it is flagged."""

    word: str
    reason: str


def _word_before(text: str, start: int) -> str:
    found = _WORD_BEFORE.search(text[:start])
    return found.group(1).lower() if found else ""


def find_claims(text: str, lang: Lang) -> Iterator[ClaimHit]:
    """Every forbidden-claim word in ``text``, in the order found."""
    for match in _ALWAYS[lang].finditer(text):
        yield ClaimHit(match.group(0), "reads as a health claim (cure, treat, prevent, ...)")
    for match in _DETOX.finditer(text):
        yield ClaimHit(match.group(0), "a detox promise; the body detoxifies via liver and kidneys")
    if lang == "en":
        for match in _TREAT.finditer(text):
            if _word_before(text, match.start()) not in TREAT_NOUN_BEFORE:
                yield ClaimHit(match.group(0), "'treat' as a verb reads as a medical claim")
    else:
        for match in _VOORKOMEN.finditer(text):
            if _word_before(text, match.start()) not in OCCUR_BEFORE:
                yield ClaimHit(
                    match.group(0),
                    "reads as 'prevents'; for 'occurs' write the split form 'komt ... voor'",
                )
