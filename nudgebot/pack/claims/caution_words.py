"""The words that say an item needs a rendered caution, per language.

Probiotic and immune statements need the EFSA caution; a challenge that asks for raw or
unpasteurised live cultures needs the doctor caution. :mod:`nudgebot.pack.claims.cautions`
applies them.
"""

from __future__ import annotations

import re
from typing import Final

from nudgebot.core.content import Lang
from nudgebot.pack.claims.words import COLD, words

PROBIOTIC: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"probiotic\w*"),
    "nl": words(r"probiotic\w*", r"probioticum", r"probiotisch\w*"),
}
"""A probiotic statement: the EFSA caution is required."""

IMMUNE: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"immun\w*",
        r"defen[cs]es?",
        r"infect\w*",
        r"inflam\w*",
        COLD,
        r"flu",
        r"T\s+cells?",
        r"Tregs",
    ),
    "nl": words(
        r"immuun\w*",
        r"afweer\w*",
        r"weerstand",
        r"infectie\w*",
        r"ontsteking\w*",
        r"ontstekings\w*",
        r"verkoud\w*",
        r"griep",
        r"T-cellen",
        r"Tregs",
    ),
}
"""Immune words: with an effect word in the sentence they make an immune statement."""

EFFECT: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"help(?:s|ed|ing)?",
        r"keep(?:s|ing)?",
        r"kept",
        r"train\w*",
        r"influenc\w*",
        r"affect\w*",
        r"modulat\w*",
        r"encourag\w*",
        r"balanc\w*",
        r"develop(?:s|ed|ing)?",
        r"(?:go|goes|went|gone)\s+down",
        r"fell",
        r"drop(?:s|ped)?",
    ),
    "nl": words(
        r"helpt",
        r"helpen",
        r"hielp\w*",
        r"houdt",
        r"houden",
        r"hield\w*",
        r"train\w*",
        r"getraind",
        r"beïnvloed\w*",
        r"moduleer\w*",
        r"bevorder\w*",
        r"balans",
        r"ontwikkel\w*",
        r"daal\w*",
        r"dalen",
        r"gedaald",
    ),
}
"""Words that say something acts on the immune system (helps, keeps trained, lowers)."""

FERMENTED: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"fermented", r"live\s+cultures?", r"kefir", r"sauerkraut", r"kimchi"),
    "nl": words(r"gefermenteerd\w*", r"levende\s+culturen", r"kefir", r"zuurkool", r"kimchi"),
}
"""Fermented food: live microbes that, said to rebuild the gut flora, act as a probiotic."""

REBUILD: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"(?:re)?build(?:s|ing)?\s+(?:\w+\s+){0,3}?(?:gut\s+flora|microbiome)(?:\s+again)?",
        r"rebuild\w*",
        r"recover\w*",
        r"restor\w*",
        r"rebalanc\w*",
    ),
    "nl": words(
        r"(?:weer\s+)?opbouw\w*",
        r"opgebouwd",
        r"herstel\w*",
        r"hersteld",
        r"in\s+balans\s+(?:te\s+)?brengen",
    ),
}
"""Rebuilding the gut flora: with fermented food in the same item, a probiotic effect."""

LIVE_CULTURES: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"raw",
        r"unpasteuri[sz]ed",
        r"live\s+(?:cultures?|bacteria|lactic\s+acid\s+bacteria)",
        r"cultures?\s+(?:stay|remain)\s+alive",
        r"cultures?\s+survive",
        r"lactic\s+acid\s+bacteria",
        r"kefir",
        r"kimchi",
        r"kombucha",
    ),
    "nl": words(
        r"rauwe?",
        r"ongepasteuriseerd\w*",
        r"levende\s+(?:culturen|bacteriën|melkzuurbacteriën|micro-organismen)",
        r"culturen\s+(?:blijven\s+)?leven",
        r"melkzuurbacteriën",
        r"kefir",
        r"kimchi",
        r"kombucha",
    ),
}
"""A challenge that asks for these needs the live-culture caution (the doctor line).

Raw or unpasteurised ferments, live cultures and lactic acid bacteria by name, and the
ferments that are sold and made with their cultures alive (kefir, kimchi, kombucha).
"""

LIVE_PRODUCTS: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"fermented",
        r"ferments?",
        r"yog(?:h)?urts?",
        r"kefir",
        r"sauerkraut",
        r"kimchi",
        r"kombucha",
        r"miso",
        r"tempeh",
        r"unpasteuri[sz]ed",
        r"live\s+(?:cultures?|bacteria|microbes|microorganisms)",
        r"lactic\s+acid\s+bacteria",
    ),
    "nl": words(
        r"\w*gefermenteerd\w*",
        r"fermente\w*",
        r"\w*yoghurt\w*",
        r"kefir\w*",
        r"\w*zuurkool\w*",
        r"kimchi",
        r"kombucha",
        r"miso\w*",
        r"tempeh",
        r"ongepasteuriseerd\w*",
        r"levende\s+(?:culturen|bacteriën|micro-organismen)",
        r"melkzuurbacteriën",
    ),
}
"""Products with live cultures, as an item asks for them: compounds included
(zuurkoolsap, naturelyoghurt). An item that asks for one carries the live-culture caution,
whatever its words about cultures: the check sets it, the editor does not."""

SAFE: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"safe(?:ly|ty)?"),
    "nl": words(r"veilig\w*"),
}
GENERALLY: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"generally", r"in\s+general", r"on\s+the\s+whole"),
    "nl": words(r"over\s+het\s+algemeen", r"in\s+het\s+algemeen", r"doorgaans"),
}
"""The article calls probiotics *generally* safe: a sentence that drops the word says more."""
