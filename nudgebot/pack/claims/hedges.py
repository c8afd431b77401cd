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
        }
    ),
    "nl": frozenset({"niet", "geen", "nooit", "niets", "noch", "nergens", "allerminst"}),
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
    ),
    "nl": words(
        r"niet\s+(?:\w+\s+){0,3}?(?:bevestigd|bewezen|goedgekeurd|aangetoond)",
        r"(?:bevestigd|bewezen|goedgekeurd)\s+(?:is|zijn)\s+(?:dat|dit|het)\s+(?:nog\s+)?niet",
        r"onbewezen",
        r"geen\s+(?:goedgekeurde|officiële|erkende)",
        r"geen\s+(?:enkele\s+)?gezondheidsclaims?",
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
