"""Sentence rules: the claims gate, which refuses health links unless said with care.

By default it refuses any sentence that links something to eat or do to a health target.

EU Regulation 1924/2006 forbids saying a food prevents, treats or cures a disease, and
allows only authorised health claims. A word list lets fresh paraphrases through, so
the gate reads sentence by sentence and refuses what it cannot show to be careful (the
tables are in :mod:`nudgebot.pack.claims.words` and :mod:`nudgebot.pack.claims.hedges`):

1. *cure words* (cure, heal, remedy, miracle, guarantee, "nature's antibiotic"; geneest,
   wondermiddel, ...) and *detox* promises are refused on their own; *medical verbs*
   (treat, therapy; behandelen) with any condition or symptom;
2. a *link*: a health target (a disease, symptom or condition; immunity, defence,
   resistance; inflammation, infection; mood, weight, skin, ... matched inside Dutch
   compounds such as "snotverkouden") together with a food, nutrient, supplement or
   habit, or with a claim verb (protect, boost, restore, lower, against; beschermen,
   versterken, tegen, and separable ones: "pept je afweer op", "gaat ontstekingen
   tegen"). Gut flora, digestion and bloating are targets only with a claim verb;
3. a link is refused unless it is said the article's way: *hedged* ("may", "is
   associated with", "research suggests"; "kan", "in verband gebracht", "vermoedelijk"),
   or told as a named study's finding in the past tense, or followed at once by the
   article's caveat; and a hedged link about immunity or probiotics also needs the EFSA
   caution (the item's flag, or the sentence saying EFSA has not confirmed it);
4. never hedgeable: intensifiers and metaphors (booster, shield, armour, fuel, super,
   "dé"), figures on an effect ("halves your risk") unless a named study reported them,
   prevention ("may prevent colds"), a stronger immune system ("kan je afweer
   versterken"), and promises through a denial of the illness ("you'll never catch the
   flu again", "no cold stands a chance").

What keeps careful sentences in (false positives are errors too): a denial (an odd
number of "no"/"not" in the claim's clause; two cancel out, so "there is no infection
live cultures cannot help you fight off" is a claim); the sentence's own caveat ("not
confirmed by EFSA", "niet bewezen"), read per sentence with semicolons inside it; advice
to see a doctor; the authorised claim (live yoghurt cultures and lactose digestion);
"voorkomen" after a frequency word meaning "occur"; a short topic line with no verb
("Probiotics and colds").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nudgebot.core.content import Lang
from nudgebot.pack.claims import caution_words as cw
from nudgebot.pack.claims import hedges as hg
from nudgebot.pack.claims import words as wd

REASON_CLAIM = (
    "a health claim: EU Regulation 1924/2006 forbids saying a food prevents, treats or "
    "cures a disease, and allows only authorised health claims"
)
REASON_PREVENT = (
    "a prevention claim: EU Regulation 1924/2006 forbids saying a food prevents a disease, "
    "however it is hedged"
)
REASON_FORCE = (
    "an intensifier or metaphor (booster, shield, fuel, super) makes a link a promise, "
    "hedged or not"
)
REASON_ENHANCE = (
    "a stronger immune system is a function claim EFSA has authorised for no food: "
    "refused however hedged"
)
REASON_NUMBER = (
    "a figure on an effect is a promise unless it is told as a named study's finding, in "
    "the past tense"
)
REASON_CAUTION = (
    "a hedged link about immunity or probiotics needs the EFSA caution: set "
    "efsa_unconfirmed: true, or state in the sentence that EFSA has not confirmed it"
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

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LINE_BREAK = re.compile(r"\n+")
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


_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:bijv|bv|d\.w\.z|o\.a|enz|e\.g|i\.e|etc|vs)\.$", re.I)
"""A full stop that ends an abbreviation ("(bijv. boterzuur)"), not the sentence."""


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a line break also ends one (titles, list lines).

    A semicolon does not: "...; this link is not confirmed by EFSA" keeps its caveat with
    the claim it qualifies. Nor does the full stop of an abbreviation ("bijv.").
    """
    sentences: list[str] = []
    for line in _LINE_BREAK.split(text):
        current: list[str] = []
        for part in _SENTENCE_END.split(line):
            if current and _ABBREVIATION.search(current[-1]):
                current[-1] = f"{current[-1]} {part}"
            elif part.strip():
                current.append(part)
        sentences.extend(current)
    return [sentence.strip() for sentence in sentences if sentence.strip()]


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
    first = verb.split()[0] if verb.split() else ""
    past = hg.PAST[lang].search(sentence) or (first and hg.PAST_VERB[lang].search(first))
    return bool(attributed and past)


def _clause_of(sentence: str, position: int) -> str:
    """The clause of ``sentence`` that holds ``position`` (commas, brackets, dashes)."""
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, position)), default=0)
    following = _CLAUSE_BREAK.search(sentence, position)
    return sentence[start : following.start() if following else len(sentence)]


def _denied(sentence: str, positions: list[int], lang: Lang) -> bool:
    """An odd number of denials in a clause of the claim: "no cure"; two cancel out.

    "There is no infection that live cultures cannot help you fight off" says they help
    against every one: a double negative is a claim.
    """
    return any(_denials(_clause_of(sentence, at), lang) % 2 == 1 for at in positions)


def _denials(clause: str, lang: Lang) -> int:
    """How many denials ``clause`` holds; "not only" ("niet alleen") is none."""
    tokens = [w.lower() for w in _TOKEN.findall(clause)]
    count = 0
    for index, word in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        only = word in ("not", "niet") and following in hg.NOT_NEGATION_AFTER
        if word in hg.NEGATION[lang] and not only:
            count += 1
    return count


def _verbs(sentence: str, patterns: tuple[re.Pattern[str], ...]) -> list[re.Match[str]]:
    """Matches of ``patterns`` in order, minus 'voorkomen' as 'occur' and 'a treat'."""
    found = [
        match
        for pattern in patterns
        for match in pattern.finditer(sentence)
        if not _occurs(sentence, match) and not _treat_noun(sentence, match)
    ]
    return sorted(found, key=lambda match: match.start())


_TITLE_WORDS = 4
"""A phrase this short with no claim verb is a topic ("Probiotics and colds"), not a link."""


def _food_subject(sentence: str, lang: Lang) -> re.Match[str] | None:
    """The first food, nutrient or supplement (not a habit such as sleep) named."""
    return next(
        (m for m in wd.SUBJECTS[lang].finditer(sentence) if not wd.HABITS[lang].fullmatch(m[0])),
        None,
    )


def _prevents(verbs: list[re.Match[str]]) -> re.Match[str] | None:
    return next(
        (m for m in verbs if m.group(0).lower().startswith(("prevent", "voorkom", "voorkwam"))),
        None,
    )


_NEAR = 4
"""How many words may stand between "strengthen" and the immune system it strengthens."""


def _stronger_defences(sentence: str, lang: Lang) -> tuple[str, str] | None:
    """A verb that makes the immune system stronger, next to it: "versterkt je afweer".

    English puts the object after the verb; Dutch also before it ("je afweer versterken").
    """
    for verb in wd.ENHANCE[lang].finditer(sentence):
        for immune in wd.IMMUNE_FUNCTION[lang].finditer(sentence):
            if immune.start() >= verb.end():
                between = sentence[verb.end() : immune.start()]
            elif lang == "nl":
                between = sentence[immune.end() : verb.start()]
            else:
                continue
            if len(_TOKEN.findall(between)) <= _NEAR:
                return verb.group(0), immune.group(0)
    return None


def _hedged(sentence: str, previous: str, verbs: list[re.Match[str]], lang: Lang) -> bool:
    """Said the article's way: a hedge, research still going on, or a reported finding."""
    if hg.PROOF[lang].search(sentence):
        return False
    if hg.HEDGE[lang].search(sentence) or hg.ONGOING[lang].search(sentence):
        return True
    first_verb = verbs[0].group(0) if verbs else ""
    return _reported_finding(sentence, previous, first_verb, lang)


def _sentence_claims(
    sentence: str, previous: str, following: str, lang: Lang, efsa: bool
) -> Iterator[ClaimHit]:
    if _authorised(sentence, lang):
        return
    caveat = bool(hg.CAVEAT[lang].search(sentence))
    for match in _matches(wd.DETOX[lang], sentence):
        if not wd.DEBUNK[lang].search(sentence) and not _denied(sentence, [match.start()], lang):
            yield ClaimHit("detox", (match.group(0),), REASON_DETOX, sentence)
    for match in _matches(wd.ALWAYS[lang], sentence):
        if not caveat and not _denied(sentence, [match.start()], lang):
            yield ClaimHit("cure", (match.group(0),), REASON_CURE, sentence)
            return
    if hg.ADVICE[lang].search(sentence):
        return
    claiming = _verbs(sentence, (wd.SOFT[lang], wd.SEPARABLE[lang]))
    verbs = _verbs(sentence, (wd.SOFT[lang], wd.SEPARABLE[lang], cw.EFFECT[lang]))
    forceful = _matches(wd.FORCEFUL[lang], sentence)
    strong = _matches(wd.STRONG_TARGETS[lang], sentence)
    weak = _matches(wd.WEAK_TARGETS[lang], sentence) if claiming or forceful else []
    targets = [t for t in strong + weak if not any(t.start() == v.start() for v in verbs)]
    symptoms = _matches(wd.SYMPTOMS[lang], sentence) + _matches(wd.WEAK_TARGETS[lang], sentence)
    for match in _matches(wd.STRONG[lang], sentence):
        found = (targets or symptoms)[:1]
        if (
            found
            and not caveat
            and not _treat_noun(sentence, match)
            and not _denied(sentence, [match.start()], lang)
        ):
            yield ClaimHit("claim", (match.group(0), found[0].group(0)), REASON_CLAIM, sentence)
            return
    if not targets:
        return
    target = targets[0]
    numbers = _matches(wd.NUMBER_EFFECT[lang], sentence)
    subject = wd.SUBJECTS[lang].search(sentence)
    if subject and len(_TOKEN.findall(sentence)) <= _TITLE_WORDS and not claiming:
        subject = None
    link = [*claiming, *forceful] or ([subject] if subject else [])
    if not link:
        return
    trigger = min(link, key=lambda match: match.start())
    promise = wd.PROMISE[lang].search(sentence)
    if promise:
        yield ClaimHit("claim", (promise.group(0), target.group(0)), REASON_FORCE, sentence)
        return
    if _denied(sentence, [target.start(), trigger.start()], lang) or caveat:
        return
    words = (trigger.group(0), target.group(0))
    prevent = _prevents(verbs)
    if prevent is not None and strong:
        yield ClaimHit("claim", (prevent.group(0), target.group(0)), REASON_PREVENT, sentence)
        return
    if forceful:
        yield ClaimHit("claim", (forceful[0].group(0), target.group(0)), REASON_FORCE, sentence)
        return
    stronger = _stronger_defences(sentence, lang)
    if stronger is not None:
        yield ClaimHit("claim", stronger, REASON_ENHANCE, sentence)
        return
    immune = cw.IMMUNE[lang].search(sentence)
    first_verb = verbs[0].group(0) if verbs else ""
    reported = _reported_finding(sentence, previous, first_verb, lang)
    if numbers and not reported:
        yield ClaimHit("claim", (numbers[0].group(0), target.group(0)), REASON_NUMBER, sentence)
        return
    caveat_next = bool(hg.CAVEAT[lang].search(following))
    if not caveat_next and not _hedged(sentence, previous, verbs, lang):
        yield ClaimHit("claim", words, REASON_CLAIM, sentence)
        return
    needs_efsa = cw.PROBIOTIC[lang].search(sentence) or (immune and _food_subject(sentence, lang))
    if needs_efsa and not efsa and not caveat_next:
        yield ClaimHit("caution", words, REASON_CAUTION, sentence)


def find_claims(text: str, lang: Lang, *, efsa: bool = False) -> Iterator[ClaimHit]:
    """Every claim in ``text``, sentence by sentence, in the order found.

    ``efsa`` says the item carries the EFSA caution, which a hedged link about immunity
    or probiotics needs (unless the sentence or the next one states the EFSA status).
    """
    sentences = split_sentences(text)
    for index, sentence in enumerate(sentences):
        previous = sentences[index - 1] if index else ""
        following = sentences[index + 1] if index + 1 < len(sentences) else ""
        yield from _sentence_claims(sentence, previous, following, lang, efsa)
