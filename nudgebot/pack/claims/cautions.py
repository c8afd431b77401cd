"""Item rules: which rendered caution does an item need, and is it set?

The article keeps two cautions that a nudge must keep too, shown by the renderer apart
from the text when the item's flag is set:

* **EFSA** (``efsa_unconfirmed: true``): any *probiotic statement* (a sentence that
  mentions probiotics) or *immune statement* (a sentence with an immune word, such as
  immune system, defences, infection, inflammation, colds, together with a word that
  says something acts on it: helps, keeps, trains, lowers, protects, ...). A sentence that
  states the EFSA status itself ("not confirmed by EFSA", "no approved health claim"), or
  the one authorised claim, needs no flag. An item that has fermented food rebuild the
  gut flora (after antibiotics, say) implies a probiotic effect and needs it too;
* **live cultures** (``live_culture_caution``): set by the check, never by the editor,
  on a challenge or tip that asks for a product with live cultures (a ferment by name,
  raw or unpasteurised, live cultures: :func:`live_products_asked`), because the article
  tells people with a severely weakened immune system to ask their doctor before taking
  live cultures, and a pasteurised product has none;
* **probiotics** (``probiotic_caution``): set by the check on any item that mentions
  probiotics (:func:`probiotics_mentioned`): the article's note that effects are
  strain-specific and take regular intake, and the doctor line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from nudgebot.core.content import LANGUAGES, Item, Kind, Lang
from nudgebot.pack.claims import caution_words as cw
from nudgebot.pack.claims import hedges as hg
from nudgebot.pack.claims import words as wd
from nudgebot.pack.claims.sentences import split_sentences

Caution = Literal["efsa", "live_culture"]
FLAG: dict[Caution, str] = {"efsa": "efsa_unconfirmed", "live_culture": "live_culture_caution"}
"""The item field that switches each caution on."""

REASON_EFSA = (
    "a probiotic or immune statement needs the EFSA caution: the article says these links "
    "are not confirmed by EFSA (set efsa_unconfirmed: true)"
)
REASON_LIVE = (
    "a challenge that asks for raw or unpasteurised live cultures needs the doctor caution "
    "for a severely weakened immune system (set live_culture_caution: true)"
)
_FIELDS = ("title", "body", "action", "done_when", "statement", "explanation")


@dataclass(frozen=True, slots=True)
class CautionHit:
    """A sentence that needs a caution, with the words that show why."""

    caution: Caution
    lang: Lang
    field: str
    words: tuple[str, ...]
    reason: str
    sentence: str

    def describe(self) -> str:
        quoted = " + ".join(repr(word) for word in self.words)
        return f"{quoted} in “{self.sentence.strip()}”: {self.reason}"


def _efsa_words(sentence: str, lang: Lang) -> tuple[str, ...]:
    if hg.CAVEAT[lang].search(sentence) or all(p.search(sentence) for p in hg.AUTHORISED[lang]):
        return ()
    probiotic = cw.PROBIOTIC[lang].search(sentence)
    if probiotic:
        return (probiotic.group(0),)
    immune = cw.IMMUNE[lang].search(sentence)
    effect = cw.EFFECT[lang].search(sentence) or wd.SOFT[lang].search(sentence)
    if immune and effect:
        return (effect.group(0), immune.group(0))
    return ()


def cautions_needed(text: str, lang: Lang, *, field: str, challenge: bool) -> Iterator[CautionHit]:
    """Every caution ``text`` calls for; ``challenge`` turns on the live-culture rule."""
    for sentence in split_sentences(text):
        words = _efsa_words(sentence, lang)
        if words:
            yield CautionHit("efsa", lang, field, words, REASON_EFSA, sentence)
        live = cw.LIVE_CULTURES[lang].search(sentence) if challenge else None
        if live:
            yield CautionHit("live_culture", lang, field, (live.group(0),), REASON_LIVE, sentence)


def _implied_probiotic(texts: dict[str, str], lang: Lang) -> CautionHit | None:
    """Fermented food in one place and a rebuilt gut flora in another: a probiotic effect."""
    fermented = next(
        ((name, m) for name, text in texts.items() if (m := cw.FERMENTED[lang].search(text))),
        None,
    )
    rebuild = next(
        ((name, m) for name, text in texts.items() if (m := cw.REBUILD[lang].search(text))),
        None,
    )
    if fermented is None or rebuild is None:
        return None
    field, match = rebuild
    words = (fermented[1].group(0), match.group(0))
    sentence = next(s for s in split_sentences(texts[field]) if match.group(0) in s)
    return CautionHit("efsa", lang, field, words, REASON_EFSA, sentence)


def find_missing_cautions(item: Item) -> Iterator[CautionHit]:
    """The first sentence per caution and language that needs a caution the item lacks."""
    has = {"efsa": item.efsa_unconfirmed, "live_culture": item.live_culture_caution}
    reported: set[tuple[Caution, Lang]] = set()
    for lang in LANGUAGES:
        words = item.text.get(lang)
        if words is None:
            continue
        texts = {name: getattr(words, name) or "" for name in _FIELDS}
        hits = [
            hit
            for name, text in texts.items()
            for hit in cautions_needed(
                text, lang, field=name, challenge=item.kind is Kind.CHALLENGE
            )
        ]
        implied = _implied_probiotic(texts, lang)
        for hit in [*hits, *([implied] if implied else [])]:
            if not has[hit.caution] and (hit.caution, lang) not in reported:
                reported.add((hit.caution, lang))
                yield hit


ASKING_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.CHALLENGE: ("body", "action", "done_when"),
    Kind.TIP: ("body",),
    Kind.MYTH: (),
}
"""Where an item asks the reader to eat or drink something; a myth only states things."""


def _first(
    item: Item, fields: tuple[str, ...], patterns: dict[Lang, re.Pattern[str]]
) -> str | None:
    for lang in LANGUAGES:
        words = item.text.get(lang)
        for name in fields:
            found = patterns[lang].search(getattr(words, name, None) or "") if words else None
            if found:
                return found.group(0)
    return None


def live_products_asked(item: Item) -> str | None:
    """The first product with live cultures the item asks for, or None.

    A challenge's words about raw or unpasteurised food count too (:data:`cw.LIVE_CULTURES`);
    in a tip "raw" is as often chicory as sauerkraut, so only the products count there.
    """
    fields = ASKING_FIELDS[item.kind]
    found = _first(item, fields, cw.LIVE_PRODUCTS)
    if found is None and item.kind is Kind.CHALLENGE:
        found = _first(item, fields, cw.LIVE_CULTURES)
    return found


def probiotics_mentioned(item: Item) -> str | None:
    """The first mention of probiotics in the item's texts, or None."""
    return _first(item, _FIELDS, cw.PROBIOTIC)


def with_set_cautions(item: Item) -> Item:
    """``item`` with the cautions the check sets from what it says and asks for."""
    return item.model_copy(
        update={
            "live_culture_caution": live_products_asked(item) is not None,
            "probiotic_caution": probiotics_mentioned(item) is not None,
        }
    )


def ungeneral_safety(text: str, lang: Lang) -> str | None:
    """A sentence calling probiotics or live cultures safe without the article's "generally"."""
    for sentence in split_sentences(text):
        about = cw.PROBIOTIC[lang].search(sentence) or cw.LIVE_PRODUCTS[lang].search(sentence)
        if (
            about
            and cw.SAFE[lang].search(sentence)
            and not cw.GENERALLY[lang].search(sentence)
            and not hg.NEGATION[lang] & {word.lower() for word in sentence.split()}
        ):
            return sentence
    return None
