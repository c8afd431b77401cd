"""The words a claim is made of, per language: claim verbs, conditions, cure and detox words.

Each pattern matches whole words, case-insensitively, in every inflection an editor is
likely to write (``protect``, ``protects``, ``protected``, ``protecting``, ``protection``;
``beschermt``, ``beschermde``, ``beschermd``, ``bescherming``). The rules that combine
them live in :mod:`nudgebot.pack.claims.sentences`; ``content/README.md`` explains them for
editors. To teach the check a new word, add it here and add a sentence that uses it to
``tests/content/claims_corpus.yaml``.
"""

from __future__ import annotations

import re
from typing import Final

from nudgebot.core.content import Lang


def words(*alternatives: str) -> re.Pattern[str]:
    """One pattern matching any of ``alternatives`` as whole words, in any case."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


ALWAYS: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"cur(?:e|es|ed|ing)",
        r"cure-alls?",
        r"heal(?:s|ed|ing)?",
        r"remed(?:y|ies)",
        r"miracle(?:\s+cures?)?",
        r"wonder\s*cures?",
        r"guarantee(?:s|d)?",
    ),
    "nl": words(
        r"genees\w*",
        r"genez\w*",
        r"genas",
        r"heelt",
        r"heelde",
        r"geheeld",
        r"remedie\w*",
        r"wondermiddel\w*",
        r"wonderkuur\w*",
        r"garand\w*",
        r"gegarandeerd\w*",
        r"garantie\w*",
    ),
}
"""Words that promise a cure or a certainty whatever follows them."""

STRONG: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"treat(?:s|ed|ing)?(?!\s+(?:yourself|them|you)\b)",
        r"treatments?",
        r"therap(?:y|ies|eutic)",
        r"medicines?\s+(?:for|against)",
    ),
    "nl": words(
        r"behandel\w*", r"therapie\w*", r"therapeutisch\w*", r"medicijn(?:en)?\s+(?:tegen|voor)"
    ),
}
"""Medical verbs: a claim with any condition or symptom, even when a study is named."""

SOFT: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"protect(?:s|ed|ing|ion|ive)?",
        r"shield(?:s|ed|ing)?",
        r"guard(?:s|ed|ing)?\s+against",
        r"boost(?:s|ed|ing|er|ers)?",
        r"strengthen(?:s|ed|ing)?",
        r"fortif(?:y|ies|ied|ying)",
        r"enhanc(?:e|es|ed|ing)",
        r"improv(?:e|es|ed|ing|ement)",
        r"support(?:s|ed|ing)?",
        r"stimulat(?:e|es|ed|ing)",
        r"fight(?:s|ing|er|ers)?",
        r"fought",
        r"combat(?:s|ted|ting|ing)?",
        r"battl(?:e|es|ed|ing)",
        r"beat(?:s|ing)?",
        r"(?:ward|fend)(?:s|ed|ing)?\s+off",
        r"keep(?:s|ing)?(?:\s+\w+){0,3}\s+(?:away|at\s+bay)",
        r"kept(?:\s+\w+){0,3}\s+(?:away|at\s+bay)",
        r"restor(?:e|es|ed|ing)",
        r"repair(?:s|ed|ing)?",
        r"rebalanc(?:e|es|ed|ing)",
        r"prevent(?:s|ed|ing|ion|ive|ative)?",
        r"lower(?:s|ed|ing)?",
        r"reduc(?:e|es|ed|ing|tion)",
        r"cut(?:s|ting)?",
        r"decreas(?:e|es|ed|ing)",
        r"shorten(?:s|ed|ing)?",
        r"stop(?:s|ped|ping)?",
        r"reliev(?:e|es|ed|ing)",
        r"relief",
        r"eas(?:e|es|ed|ing)",
        r"sooth(?:e|es|ed|ing)",
        r"alleviat(?:e|es|ed|ing)",
        r"calm(?:s|ed|ing)?",
        r"dampen(?:s|ed|ing)?",
        r"suppress(?:es|ed|ing)?",
        r"inhibit(?:s|ed|ing)?",
        r"kill(?:s|ed|ing)?",
        r"help(?:s|ed|ing)?\s+(?:with|against|to\s+fight|fight|prevent|protect|reduce|lower|stop|ease)",
        r"effective",
        r"good\s+for",
        r"against",
    ),
    "nl": words(
        r"bescherm\w*",
        r"afscherm\w*",
        r"versterk\w*",
        r"oppep\w*",
        r"opgepept",
        r"pep(?:t|pen|te|ten)?\b(?=.*\bop\b)",
        r"opkrik\w*",
        r"opgekrikt",
        r"krik(?:t|ken|te|ten)?\b(?=.*\bop\b)",
        r"boost\w*",
        r"verbeter\w*",
        r"ondersteun\w*",
        r"steun(?:t|en|de|den)?",
        r"stimuleer\w*",
        r"stimuler\w*",
        r"gestimuleerd",
        r"bestrijd\w*",
        r"bestre(?:ed|den)",
        r"bevecht\w*",
        r"herstel\w*",
        r"hersteld",
        r"repare\w*",
        r"voorkom\w*",
        r"voorkwam\w*",
        r"verlaag\w*",
        r"verlaagd",
        r"verlag(?:en|end)",
        r"verminder\w*",
        r"verklein\w*",
        r"verkort\w*",
        r"stop(?:t|pen|te|ten)?",
        r"gestopt",
        r"verlicht\w*",
        r"verzacht\w*",
        r"rem(?:t|men|de|den)?",
        r"geremd",
        r"onderdruk\w*",
        r"kalmeer\w*",
        r"kalmeren",
        r"dood(?:t|den)",
        r"doden",
        r"tegengaan",
        r"(?:ga|gaat|gaan|ging|gingen)\b(?=.*\btegen\W*$)",
        r"(?:helpt|helpen|hielp|hielpen)\s+(?:bij|tegen)",
        r"effectief",
        r"goed\s+voor",
        r"op\s+afstand",
        r"buiten\s+de\s+deur",
        r"tegen",
    ),
}
"""Verbs and phrases that make a claim when a condition or body function is their object."""

OCCUR_BEFORE: Final = frozenset(
    {"vaak", "veel", "weinig", "zelden", "soms", "algemeen", "geregeld", "regelmatig"}
)
"""Frequency words after which a joined ``voorkomen`` means "occur", not "prevent"."""

COLD = (
    r"colds|common\s+cold|cold\s+(?:virus|viruses|sores?)"
    r"|(?:a|the|your)\s+cold(?!\s+(?:yoghurt|yogurt|sauce|drink|water|glass|potato|potatoes"
    r"|dish|meal|brew|shower|day|morning|one|snack|salad|soup|tea|bath)\b)"
)

TARGETS: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"immun\w*",
        r"defen[cs]es?",
        r"resistance",
        r"infect\w*",
        r"inflam\w*",
        r"cancers?|tumou?rs?",
        r"IBS|IBD|irritable\s+bowel\w*|crohn'?s?|colitis",
        r"diarrh?o?eas?|diarrhea",
        COLD,
        r"flu|influenza",
        r"allerg\w*|eczema|asthma|hay\s+fever",
        r"auto-?immun\w*",
        r"diseases?|illness(?:es)?|ill|sick(?:ness)?|ailments?|disorders?",
        r"depression|anxiety",
        r"arthritis|rheumat\w*|diabetes|obesity|cholesterol|blood\s+pressure",
        r"constipation",
        r"leaky\s+gut",
        r"(?:gut|intestinal)\s+(?:barrier|wall|lining)",
        r"gut\s+flora|microbiome|microbiota",
        r"pathogens?|germs|viruses",
        r"risks?",
        r"symptoms?|complaints?",
        r"lactose\s+intolerance",
    ),
    "nl": words(
        r"immuun\w*",
        r"immunit\w*",
        r"afweer\w*",
        r"weerstand\w*",
        r"infectie\w*",
        r"ontsteking\w*",
        r"ontstekings\w*",
        r"kanker\w*|tumor\w*",
        r"PDS|IBD|prikkelbare\w*|crohn|colitis",
        r"diarree\w*",
        r"verkoud\w*",
        r"griep\w*",
        r"allergie\w*|allergisch\w*|eczeem|astma|hooikoorts",
        r"auto-?immuun\w*",
        r"ziekte\w*|ziek|zieken|aandoening\w*",
        r"depressie\w*|angst\w*|somberheid",
        r"artritis|reuma\w*|diabetes|suikerziekte|obesitas|cholesterol|bloeddruk",
        r"verstopping|obstipatie",
        r"lekke(?:nde)?\s+darm\w*",
        r"darmbarrière|darmwand\w*|darmslijmvlies",
        r"darmflora|microbioom|microbiota",
        r"ziekteverwekker\w*|kiemen|virus\w*",
        r"risico\w*|kans\s+op",
        r"klacht\w*|symptom\w*",
        r"lactose-?intolerantie",
    ),
}
"""Conditions and body functions a food must not be said to protect, fix or improve."""

SYMPTOMS: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"bloat\w*", r"wind", r"gas", r"flatulence", r"cramps?"),
    "nl": words(r"opgeblazen\w*", r"winderig\w*", r"gasvorming", r"krampen"),
}
"""Everyday complaints: fine to discuss, a claim only after a medical verb (treats bloating)."""

DETOX: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"\w*detox\w*", r"cleans(?:e|es|ed|ing)", r"flush(?:es|ed|ing)?\s+out"),
    "nl": words(
        r"\w*detox\w*",
        r"\w*ontgift\w*",
        r"darmreinig\w*",
        r"\w*reinigingskuur\w*",
        r"reinigende",
        r"reinig\w*(?=\s+(?:je\s+|jouw\s+|de\s+|het\s+)?(?:darm\w*|lichaam|dikke\s+darm))",
        r"darmspoeling\w*",
    ),
}
"""Detox and cleansing promises: the article says the liver and kidneys do that work."""

DEBUNK: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"liver",
        r"kidneys?",
        r"dubious",
        r"myths?",
        r"risks?",
        r"loss",
        r"imbalance",
        r"unnecessary",
        r"needless",
        r"caution",
        r"careful(?:ly)?",
    ),
    "nl": words(
        r"lever",
        r"nieren?",
        r"twijfelachtig\w*",
        r"mythe\w*",
        r"risico\w*",
        r"verlies",
        r"disbalans",
        r"onbalans",
        r"overbodig\w*",
        r"onnodig\w*",
        r"voorzichtig\w*",
    ),
}
"""Words that show a detox sentence explains the myth rather than selling the cure."""
