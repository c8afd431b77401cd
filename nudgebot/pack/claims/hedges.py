"""The words that make a sentence careful rather than a claim, per language.

Denials, the article's own caveats ("not confirmed by EFSA"), hedges ("research
suggests"), findings reported in the past tense, and the one authorised claim. See
:mod:`nudgebot.pack.claims.sentences` for how they combine.
"""

from __future__ import annotations

import re
from typing import Final

from nudgebot.core.content import Lang
from nudgebot.pack.claims.words import words

NEGATION: Final[dict[Lang, frozenset[str]]] = {
    "en": frozenset(
        {
            "not",
            "no",
            "never",
            "nothing",
            "none",
            "nor",
            "neither",
            "cannot",
            "doesn't",
            "don't",
            "didn't",
            "isn't",
            "aren't",
            "won't",
            "can't",
            "wasn't",
            "weren't",
            "without",
        }
    ),
    "nl": frozenset({"niet", "geen", "nooit", "niets", "noch", "nergens", "allerminst", "zonder"}),
}
"""Words that, close to a claim word in the same clause, deny it ("not a miracle cure")."""

NOT_NEGATION_AFTER: Final = frozenset({"only", "just", "alleen", "enkel", "slechts"})
"""'not only ... but also' is no denial."""

CAVEAT: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"not\s+(?:yet\s+)?(?:been\s+)?(?:confirmed|proven|approved|established|settled)",
        r"(?:has|have)(?:n't|\s+not)\s+(?:\w+\s+){0,2}?(?:confirmed|approved|proven)",
        r"isn't\s+(?:yet\s+)?(?:settled|proven|confirmed|established)",
        r"unconfirmed|unproven",
        r"no\s+(?:approved|official|authori[sz]ed)\b",
        r"no\s+health\s+claims?",
        r"(?:health\s+)?claims?\s+(?:are\s+)?(?:still\s+)?(?:lacking|missing)",
    ),
    "nl": words(
        r"niet\s+(?:\w+\s+){0,3}?(?:bevestigd|bewezen|goedgekeurd|aangetoond)",
        r"(?:bevestigd|bewezen|goedgekeurd)\s+(?:is|zijn)\s+(?:dat|dit|het)\s+(?:nog\s+)?niet",
        r"onbewezen",
        r"geen\s+(?:goedgekeurde|officiële|erkende)",
        r"geen\s+(?:enkele\s+)?gezondheidsclaims?",
        r"gezondheidsclaims?\s+ontbreken",
    ),
}
"""The sentence itself says the link is unconfirmed or unproven: the article's own caveat."""

ONGOING: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"still\s+being\s+(?:researched|studied|investigated)",
        r"hard\s+to\s+prove",
        r"(?:more|further)\s+(?:research|studies)",
    ),
    "nl": words(
        r"nog\s+(?:intensief\s+)?onderzocht",
        r"moeilijk\s+te\s+bewijzen",
        r"verder(?:e)?\s+(?:onderzoek|studies)",
    ),
}
"""The sentence says research is still going on: softens a soft verb, never a cure."""

ATTRIBUTION: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"stud(?:y|ies)",
        r"trials?",
        r"reviews?",
        r"meta-analys[ie]s",
        r"research(?:ers)?",
        r"participants",
        r"experiments?",
        r"et\s+al",
    ),
    "nl": words(
        r"studie\w*",
        r"onderzoek\w*",
        r"review\w*",
        r"meta-analyse\w*",
        r"deelnemers",
        r"proefperso\w*",
        r"experiment\w*",
        r"trial\w*",
        r"et\s+al",
    ),
}
"""Words that attribute a finding to research rather than promise it."""

PAST: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"was",
        r"were",
        r"had",
        r"did",
        r"found",
        r"showed",
        r"reported",
        r"observed",
        r"saw",
        r"went",
        r"rose",
        r"fell",
        r"caught",
        r"took",
        r"got",
        r"became",
        r"ate",
        r"drank",
        r"slept",
    ),
    "nl": words(
        r"werd",
        r"werden",
        r"was",
        r"waren",
        r"had",
        r"hadden",
        r"vonden",
        r"zagen",
        r"toonde",
        r"lieten",
        r"liet",
        r"namen",
        r"aten",
        r"dronken",
        r"stegen",
        r"kregen",
        r"sliepen",
    ),
}
"""Past tense around a finding: the sentence reports what a study saw."""

PAST_VERB: Final[dict[Lang, re.Pattern[str]]] = {
    "en": re.compile(r"(?:ed|fought)$", re.IGNORECASE),
    "nl": re.compile(r"\w{3,}(?:de|te|den|ten)$|^(?:hielp\w*|bestre\w*|voorkwam\w*)$", re.I),
}
"""A claim verb written in the past tense (reduced, verminderde)."""

PROOF: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"prove[sdn]?", r"proof"),
    "nl": words(r"bewezen", r"bewijst", r"bewijzen", r"bewijs"),
}
"""Proof words turn a reported finding back into a promise ("studies prove ...")."""

TENTATIVE: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"suggest(?:s|ed|ing)?", r"presumably", r"points?\s+to", r"hints?\s+that"),
    "nl": words(
        r"suggere\w*",
        r"(?:wijst|wijzen|wees|wezen)\s+erop",
        r"aanwijzing\w*",
        r"vermoedelijk",
        r"lijkt\s+erop",
    ),
}
"""Hedges strong enough to make a finding tentative ("research suggests")."""

AUTHORISED: Final[dict[Lang, tuple[re.Pattern[str], ...]]] = {
    "en": (
        words(r"lactose"),
        words(r"yog(?:h)?urt\w*", r"live\s+cultures?"),
        words(r"digest\w*"),
    ),
    "nl": (
        words(r"lactose\w*"),
        words(r"yoghurt\w*", r"levende\s+culturen", r"yoghurtculturen"),
        words(r"verter\w*", r"verteren"),
    ),
}
"""The one authorised claim the article names: live yoghurt cultures and lactose digestion.

A sentence that matches every pattern of a group states that claim and is allowed
(Regulation (EU) 432/2012 lists it; no other probiotic claim is authorised).
"""

HEDGE: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"may",
        r"might",
        r"could",
        r"can",
        r"generally",
        r"in\s+general",
        r"possibly",
        r"perhaps",
        r"presumably",
        r"(?:is|are|was|were|been|be)\s+(?:\w+\s+)?(?:associated|linked|connected)",
        r"links?",
        r"associations?",
        r"suggest(?:s|ed|ing)?",
        r"appears?\s+to",
        r"seems?\s+to",
        r"points?\s+to",
        r"hints?\s+(?:at|that)",
        r"indirectly",
        r"plausible",
    ),
    "nl": words(
        r"kan",
        r"kun",
        r"kunt",
        r"kunnen",
        r"over\s+het\s+algemeen",
        r"in\s+het\s+algemeen",
        r"zou",
        r"zouden",
        r"mogelijk",
        r"wellicht",
        r"misschien",
        r"vermoedelijk",
        r"in\s+verband\s+(?:\w+\s+)?gebracht",
        r"(?:wordt|worden|werd|werden)\s+(?:\w+\s+){0,3}?gekoppeld",
        r"koppelt|koppelen",
        r"verband\w*",
        r"suggere\w*",
        r"(?:wijst|wijzen|wees|wezen)\s+erop",
        r"aanwijzing\w*",
        r"lijkt|lijken",
        r"indirect",
        r"aannemelijk",
    ),
}
"""The article's way of saying a link: hedged ("may", "is associated with", "research
suggests"; "kan", "in verband gebracht", "vermoedelijk"). A hedged link about immunity or
probiotics also needs the EFSA caution, on the item or in the sentence."""

ADVICE: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"(?:ask|consult|see|talk\s+to|check\s+with)\s+(?:your|a)\s+"
        r"(?:doctor|GP|physician|pharmacist)"
    ),
    "nl": re.compile(
        r"\b(?:overleg\w*|raadpleeg\w*|raadplegen|vraag|vraagt)\b.*"
        r"\b(?:arts|huisarts|dokter|apotheker)\b"
        r"|\b(?:arts|huisarts|dokter|apotheker)\b.*\b(?:raadplegen|raadpleegt)\b",
        re.IGNORECASE,
    ),
}
"""A sentence that sends the reader to a doctor is a caution, not a promise."""
