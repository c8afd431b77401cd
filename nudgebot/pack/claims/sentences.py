"""Sentence rules: does a sentence attribute to a food the power to prevent, treat or cure?

EU Regulation 1924/2006 forbids that, and allows health claims only from the authorised
list. A word list cannot see the difference between "kefir protects against colds" and
"protect the cultures from heat", so the check reads sentence by sentence and reasons
about what a claim is made of (the tables are in :mod:`nudgebot.pack.claims.words` and
:mod:`nudgebot.pack.claims.hedges`):

1. *cure words* (cure, heal, remedy, miracle, guarantee; geneest, wondermiddel, ...) are
   a claim on their own;
2. a *claim verb or phrase* (protect, boost, fight, restore, prevent, lower, stop, relieve,
   against; beschermen, versterken, oppeppen, herstellen, voorkomen, helpen tegen, ...)
   is a claim when a *condition or body function* (immune system, infection, inflammation,
   cancer, IBS, diarrhoea, colds, allergy, gut flora, risk, ...) is in the same sentence;
   medical verbs (treat, therapy; behandelen) also with everyday symptoms (bloating);
3. *detox and cleansing* words are a claim unless the sentence debunks them (liver and
   kidneys, risks, dubious).

What keeps the article's own careful sentences in (false positives are errors too):

* a denial close by in the same clause ("not a miracle cure", "geneest verkoudheid niet");
* the sentence's own caveat ("not confirmed by EFSA", "niet bewezen"); for a soft verb
  also "still being researched", or the caveat opening the very next sentence, as the
  article writes it ("... strengthen the gut barrier. This link is not yet confirmed by
  EFSA.");
* for a soft verb, a hedge ("research suggests", "onderzoek wijst erop", "vermoedelijk"),
  or a finding reported as one: research named in this or the previous sentence, in the
  past tense ("in a review, probiotics reduced the chance of a cold"), and no word of proof;
* the authorised claim the article names (live yoghurt cultures and lactose digestion);
* "voorkomen" right after a frequency word means "occur" ("die vaak voorkomt").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nudgebot.core.content import Lang
from nudgebot.pack.claims import hedges as hg
from nudgebot.pack.claims import words as wd

REASON_CLAIM = (
    "a health claim: EU Regulation 1924/2006 forbids saying a food prevents, treats or "
    "cures a disease, and allows only authorised health claims"
)
REASON_CURE = "promises a cure or a certainty, which no food may claim (EU Regulation 1924/2006)"
REASON_DETOX = (
    "a detox promise: the article says the body detoxifies through the liver and kidneys "
    "and colon cleanses carry risks"
)

TREAT_NOUN_BEFORE = frozenset(
    {
        *("a", "an", "the", "this", "that", "as", "your", "my", "our", "their", "his", "her"),
        *("sweet", "sugary", "little", "small", "tasty", "occasional", "special", "weekend"),
        "rare",
    }
)
"""Words after which ``treat(s)`` is the noun (a reward), not the verb."""

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE_BREAK = re.compile(r"[,:;()–—]")
_TOKEN = re.compile(r"[\w'’-]+")
_AFTER_WINDOW = 4
"""How many words after 'against' / 'tegen' its condition must follow."""


@dataclass(frozen=True, slots=True)
class ClaimHit:
    """One claim found in a text: which rule, the words that triggered it, and why."""

    rule: str
    words: tuple[str, ...]
    reason: str
    sentence: str

    @property
    def word(self) -> str:
        """The triggering words as one string: ``'protects' + 'colds'``."""
        return " + ".join(self.words)

    def describe(self) -> str:
        quoted = " + ".join(repr(word) for word in self.words)
        return f"{quoted} in “{self.sentence.strip()}”: {self.reason}"


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a line break also ends one (titles, list lines)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _clause_words(sentence: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """Lowercased words before and after ``sentence[start:end]`` within its clause."""
    before = _CLAUSE_BREAK.split(sentence[:start])[-1]
    after = _CLAUSE_BREAK.split(sentence[end:])[0]
    return (
        [w.lower() for w in _TOKEN.findall(before)],
        [w.lower() for w in _TOKEN.findall(after)],
    )


def _negated(sentence: str, match: re.Match[str], lang: Lang) -> bool:
    before, after = _clause_words(sentence, match.start(), match.end())
    window = before[-3:] + after[:2]
    for index, word in enumerate(window):
        following = window[index + 1] if index + 1 < len(window) else ""
        if word in hg.NEGATION[lang] and following not in hg.NOT_NEGATION_AFTER:
            return True
    return False


def _matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return list(pattern.finditer(text))


def _authorised(sentence: str, lang: Lang) -> bool:
    return all(pattern.search(sentence) for pattern in hg.AUTHORISED[lang])


def _target_after(sentence: str, match: re.Match[str], lang: Lang) -> re.Match[str] | None:
    """The condition that follows 'against' / 'tegen' closely, if any."""
    rest = sentence[match.end() :]
    words = _TOKEN.findall(rest)[:_AFTER_WINDOW]
    if not words:
        return None
    window = rest[: rest.find(words[-1]) + len(words[-1])]
    return wd.TARGETS[lang].search(window)


def _occurs(sentence: str, match: re.Match[str]) -> bool:
    """'voorkomen' in its 'occur' sense: right after a frequency word."""
    if not match.group(0).lower().startswith(("voorkom", "voorkwam")):
        return False
    before, _ = _clause_words(sentence, match.start(), match.end())
    return bool(before) and before[-1] in wd.OCCUR_BEFORE


def _treat_noun(sentence: str, match: re.Match[str]) -> bool:
    if not match.group(0).lower().startswith("treat"):
        return False
    before, _ = _clause_words(sentence, match.start(), match.end())
    return bool(before) and before[-1] in TREAT_NOUN_BEFORE


def _reported_finding(sentence: str, previous: str, verb: str, lang: Lang) -> bool:
    """A study's result told as one: research named nearby, past tense, no proof word."""
    if hg.PROOF[lang].search(sentence):
        return False
    if hg.TENTATIVE[lang].search(sentence):
        return True
    attributed = hg.ATTRIBUTION[lang].search(sentence) or hg.ATTRIBUTION[lang].search(previous)
    past = hg.PAST[lang].search(sentence) or hg.PAST_VERB[lang].search(verb.split()[0])
    return bool(attributed and past)


def _sentence_claims(
    sentence: str, previous: str, following: str, lang: Lang
) -> Iterator[ClaimHit]:
    if _authorised(sentence, lang):
        return
    caveat = bool(hg.CAVEAT[lang].search(sentence))
    for match in _matches(wd.DETOX[lang], sentence):
        if not wd.DEBUNK[lang].search(sentence) and not _negated(sentence, match, lang):
            yield ClaimHit("detox", (match.group(0),), REASON_DETOX, sentence)
    for match in _matches(wd.ALWAYS[lang], sentence):
        if not caveat and not _negated(sentence, match, lang):
            yield ClaimHit("cure", (match.group(0),), REASON_CURE, sentence)
    targets = _matches(wd.TARGETS[lang], sentence)
    symptoms = _matches(wd.SYMPTOMS[lang], sentence)
    for match in _matches(wd.STRONG[lang], sentence):
        found = (targets or symptoms)[:1]
        if (
            found
            and not caveat
            and not _treat_noun(sentence, match)
            and not _negated(sentence, match, lang)
        ):
            yield ClaimHit("claim", (match.group(0), found[0].group(0)), REASON_CLAIM, sentence)
            return
    if not targets or caveat or hg.ONGOING[lang].search(sentence):
        return
    if hg.CAVEAT[lang].search(following):
        return
    for match in _matches(wd.SOFT[lang], sentence):
        verb = match.group(0)
        if verb.lower() in ("against", "tegen"):
            target = _target_after(sentence, match, lang)
            if target is None:
                continue
        else:
            target = next((t for t in targets if t.start() != match.start()), None)
            if target is None:
                continue
        if _occurs(sentence, match) or _negated(sentence, match, lang):
            continue
        if _reported_finding(sentence, previous, verb, lang):
            continue
        yield ClaimHit("claim", (verb, target.group(0)), REASON_CLAIM, sentence)
        return


def find_claims(text: str, lang: Lang) -> Iterator[ClaimHit]:
    """Every claim in ``text``, sentence by sentence, in the order found."""
    sentences = split_sentences(text)
    for index, sentence in enumerate(sentences):
        previous = sentences[index - 1] if index else ""
        following = sentences[index + 1] if index + 1 < len(sentences) else ""
        yield from _sentence_claims(sentence, previous, following, lang)
