"""The words a claim is made of, per language: claim verbs, conditions, cure and detox words.

Each pattern matches whole words, case-insensitively, in every inflection an editor is
likely to write (``protect``, ``protects``, ``protected``, ``protecting``, ``protection``;
``beschermt``, ``beschermde``, ``beschermd``, ``bescherming``). The rules that combine
them live in :mod:`nudgebot.pack.claims.sentences`; ``content/README.md`` explains them for
editors. To teach the check a new word, add it here and add a sentence that uses it to
``tests/pack/claims_corpus.yaml``.
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
        r"(?:natural|nature's)\s+antibiotics?",
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
        r"natuurlijke?\s+antibiotic\w*",
        r"antibiotica\s+van\s+de\s+natuur",
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
        r"verdrijf\w*|verdreef|verdreven|verjaag\w*|verjaagd",
        r"verhelp\w*|verholpen",
        r"tem(?:t|men|de|den)",
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
    r"|(?:a|the|your|no|any|every)\s+cold(?!\s+(?:yoghurt|yogurt|sauce|drink|water|glass|potato|potatoes"
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
        r"(?:body|bodies)\b.*\b(?:liver|kidneys?)",
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
        r"lichaam\b.*\b(?:lever|nieren?)",
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

SUBJECTS: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"\w*food\w*",
        r"diet\w*",
        r"meals?",
        r"eating",
        r"yog(?:h)?urts?",
        r"kefir",
        r"sauerkraut",
        r"kimchi",
        r"kombucha",
        r"miso",
        r"ferment\w*",
        r"fib(?:re|er)s?",
        r"prebiotic\w*",
        r"probiotic\w*",
        r"synbiotic\w*",
        r"supplements?",
        r"capsules?",
        r"pills?",
        r"powders?",
        r"tablets?",
        r"shots?",
        r"drinks?",
        r"juices?",
        r"teas?",
        r"garlic",
        r"onions?",
        r"oats",
        r"honey",
        r"ginger",
        r"turmeric",
        r"inulin",
        r"butyrate",
        r"fatty\s+acids",
        r"glutamine",
        r"omega-3",
        r"vitamins?",
        r"zinc",
        r"sleep\w*",
        r"exercise",
        r"walk\w*",
        r"meditation",
        r"yoga",
        r"cleanses?",
        r"detox\w*",
    ),
    "nl": words(
        r"\w*voed\w*",
        r"eten|gegeten",
        r"dieet",
        r"\w*maaltijd\w*",
        r"\w*yoghurt\w*",
        r"\w*kefir\w*",
        r"\w*zuurkool\w*",
        r"kimchi",
        r"kombucha",
        r"miso\w*",
        r"\w*gefermenteerd\w*",
        r"\w*vezel\w*",
        r"prebiotic\w*",
        r"probiotic\w*",
        r"probiotisch\w*",
        r"synbiotic\w*",
        r"\w*supplement\w*",
        r"capsules?",
        r"pil(?:len)?",
        r"\w*poeder\w*",
        r"tablet\w*",
        r"shot(?:je|s)?",
        r"\w*drank\w*",
        r"\w*sap",
        r"\w*thee",
        r"knoflook",
        r"uien?",
        r"haver\w*",
        r"honing",
        r"gember",
        r"kurkuma",
        r"inuline",
        r"butyraat|boterzuur",
        r"\w*vetzuren",
        r"glutamine",
        r"omega-3",
        r"vitamine\w*",
        r"zink",
        r"\w*slaap\w*",
        r"slapen",
        r"\w*beweg\w*",
        r"sport\w*",
        r"wandel\w*",
        r"meditatie",
        r"yoga",
        r"\w*kuur\w*",
        r"\w*detox\w*",
    ),
}
"""What a claim is about: a food, nutrient, supplement or habit (compounds included).

Gut bacteria themselves are not on the list: "gut bacteria help your defences develop"
is biology, not a promise about something to eat; a claim verb still makes it one.

With a health target in the same sentence it makes a link, refused unless said the
article's way (:mod:`nudgebot.pack.claims.sentences`)."""

STRONG_TARGETS: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"immun\w*",
        r"defen[cs]es?",
        r"resistance",
        r"infect\w*",
        r"inflam\w*",
        r"cancers?|tumou?rs?",
        r"IBS|IBD|irritable\s+bowel\w*|crohn(?:'s)?|colitis",
        r"diarrh?o?eas?|diarrhea",
        COLD,
        r"flu|influenza|sniffles",
        r"allerg\w*|eczema|asthma|hay\s+fever|acne|spots|skin",
        r"auto-?immun\w*",
        r"diseases?|illness(?:es)?|ill|sick(?:ness)?|ailments?|disorders?|conditions?",
        r"depress\w*|anxiety|anxious|mood|low\s+mood",
        r"arthritis|rheumat\w*|diabetes|obesity|overweight|weight|cholesterol",
        r"blood\s+(?:pressure|sugar)|heart",
        r"constipation",
        r"leaky\s+gut",
        r"(?:gut|intestinal)\s+(?:barrier|wall|lining)",
        r"pathogens?|germs|viruses|virus|bugs",
        r"risks?",
        r"lactose\s+intolerance",
        r"fatigue|tired(?:ness)?|energy",
        r"thrush|yeast\s+infections?|UTIs?|sore\s+throats?|headaches?|migraines?",
    ),
    "nl": words(
        r"\w*immu(?:u|n)\w*",
        r"\w*afweer\w*",
        r"\w*weerstand\w*",
        r"\w*infectie\w*",
        r"\w*ontsteking\w*",
        r"\w*kanker\w*|\w*tumor\w*",
        r"PDS|IBD|\w*prikkelbare\w*|crohn|colitis",
        r"\w*diarree\w*",
        r"\w*verkoud\w*",
        r"\w*griep\w*",
        r"\w*allergie\w*|allergisch\w*|eczeem|astma|hooikoorts|acne|puistjes|\w*huid\w*",
        r"\w*ziekte\w*|ziek|zieken|\w*aandoening\w*|\w*kwaal\w*|\w*kwalen",
        r"\w*depressie\w*|\w*depressief|angst\w*|somberheid|\w*stemming\w*",
        r"artritis|reuma\w*|diabetes|suikerziekte|obesitas|overgewicht|\w*gewicht",
        r"cholesterol\w*|bloeddruk|bloedsuiker|hart-?\w*",
        r"verstopping|obstipatie",
        r"lekke(?:nde)?\s+darm\w*",
        r"darmbarrière|darmwand\w*|darmslijmvlies",
        r"\w*ziekteverwekker\w*|kiemen|\w*virus\w*|bacillen|bacteriële\s+infectie\w*",
        r"\w*risico\w*|kans\s+op",
        r"lactose-?intolerantie",
        r"vermoeid\w*|moeheid|energie\w*",
        r"spruw|\w*keelpijn|\w*hoofdpijn|migraine",
        r"afvallen|afslanken|slank\w*",
    ),
}
"""Health targets: a disease, symptom or condition, immunity or defence, inflammation,
infection, mood, weight, skin. Dutch ones match inside compounds (snotverkouden,
afweersysteem, PDS-klachten)."""

WEAK_TARGETS: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"gut\s+flora|microbiome|microbiota",
        r"digest(?:ion|ive)",
        r"gut\s+health",
        r"bowels?",
        r"stress",
        r"bloat\w*",
        r"wind",
        r"gas",
        r"flatulence",
        r"cramps?",
        r"symptoms?|complaints?",
    ),
    "nl": words(
        r"darmflora|\w*microbioom|microbiota",
        r"\w*spijsvertering\w*",
        r"darmgezondheid|gezonde\s+darm(?:en)?",
        r"stress\w*",
        r"opgeblazen\w*",
        r"winderig\w*",
        r"gasvorming",
        r"krampen",
        r"\w*klacht\w*|symptom\w*",
    ),
}
"""Body functions that are a health target only with a claim verb: fibre *feeds* the gut
flora, it does not *restore* it; fibre may bloat you, no food *relieves* bloating."""

FORCEFUL: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"\w*boost\w*",
        r"shields?",
        r"armou?r\w*",
        r"fuel\w*",
        r"weapons?",
        r"army|armies|soldiers?",
        r"bodyguards?",
        r"fortress\w*|fortif\w*",
        r"firewall",
        r"super\w*",
        r"powerful|powerhouse",
        r"ultimate",
        r"the\s+best",
        r"massive(?:ly)?|dramatic(?:ally)?|huge(?:ly)?",
        r"turbo\w*",
        r"kick-?starts?",
        r"charges?\s+up|recharg\w*",
    ),
    "nl": words(
        r"\w*boost\w*",
        r"\w*schild\w*",
        r"harnas\w*|pantser\w*",
        r"\w*brandstof\w*",
        r"\w*wapen\w*",
        r"leger\w*|soldat\w*|soldaat",
        r"lijfwacht\w*",
        r"vesting\w*|burcht\w*|bolwerk\w*",
        r"firewall",
        r"super\w*",
        r"krachtig\w*|krachtpatser\w*",
        r"ultieme",
        r"beste",
        r"dé",
        r"enorm\w*",
        r"turbo\w*",
        r"oplaad\w*|laadt\s+\w+\s+op",
    ),
}
"""Intensifiers and metaphors: a shield, armour, fuel, a booster. With a health target
they are a claim even when hedged ("kefir may be the ultimate immune booster")."""

NUMBER_EFFECT: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"\d+(?:[.,]\d+)?\s*(?:%|percent|per\s+cent|times)",
        r"halv(?:e|es|ed|ing)",
        r"half",
        r"doubl(?:e|es|ed|ing)",
        r"twice",
        r"triple[sd]?",
    ),
    "nl": words(
        r"\d+(?:[.,]\d+)?\s*(?:%|procent|keer|maal)",
        r"halve(?:ert|ren|eerde|erden)",
        r"\w*helft",
        r"verdubbel\w*",
        r"twee\s+keer",
        r"verdrievoudig\w*",
    ),
}
"""A figure put on an effect ("halves your risk"): a claim unless a study is named as
the source of the figure, in the past tense."""

SEPARABLE: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"(?:build|builds|building|built)\s+(?:\w+\s+){0,3}up"),
    "nl": re.compile(
        "|".join(
            rf"\b(?:{verbs})\b(?=.*\b(?:{particle})\b)"
            for verbs, particle in (
                ("pept|peppen|pepte|krikt|krikken|krikte|knapt|knappen|ruimt|ruimen", "op"),
                ("bouwt|bouwen|bouwde", "op"),
                ("gaat|gaan|ging|gingen|werkt|werken|werkte", "tegen"),
                ("brengt|brengen|bracht", r"in\s+balans|op\s+peil"),
                ("jaagt|jagen|joeg|drijft|drijven|dreef|houdt|houden|hield", "weg|buiten"),
                ("zet|zetten|zette", "aan"),
            )
        ),
        re.IGNORECASE,
    ),
}
"""Dutch separable verbs: the particle comes at the end ("pept je afweer op", "gaat
ontstekingen tegen", "jaagt virussen weg"); the verb counts as a claim verb."""

HABITS: Final[dict[Lang, re.Pattern[str]]] = {
    "en": re.compile(r"(?:sleep\w*|exercise|walk\w*|meditation|yoga)", re.IGNORECASE),
    "nl": re.compile(r"(?:\w*slaap\w*|slapen|\w*beweg\w*|sport\w*|wandel\w*|meditatie|yoga)", re.I),
}
"""Subjects that are habits, not foods: EFSA rules food claims, so a hedged link of sleep
to infections needs no EFSA caution."""

PROMISE: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"never\s+(?:again\s+)?(?:catch|get|fall|be)",
        r"no\s+more",
        r"a\s+thing\s+of\s+the\s+past",
        r"stands?\s+(?:no|a)\s+chance",
        r"sky-?high",
        r"rock-?solid|iron-?clad",
    ),
    "nl": words(
        r"nooit\s+meer",
        r"verleden\s+tijd",
        r"maakt?\s+(?:geen|een)\s+kans",
        r"korte\s+metten",
        r"vrij\s+van",
        r"ijzersterk\w*",
        r"onverwoestbaar\w*",
    ),
}
"""A promise made through a denial of the illness ("you'll never catch the flu again",
"no cold stands a chance"): a claim, though it holds a "no" or "never"."""

ENHANCE: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(
        r"strengthen(?:s|ed|ing)?",
        r"fortif(?:y|ies|ied|ying)",
        r"enhanc(?:e|es|ed|ing)",
        r"boost(?:s|ed|ing)?",
        r"build(?:s|ing)?\s+up",
        r"stronger",
    ),
    "nl": words(
        r"versterk\w*",
        r"oppep\w*|opgepept|pept|peppen",
        r"opkrik\w*|opgekrikt|krikt|krikken",
        r"boost\w*",
        r"sterker\w*",
        r"weerbaar\w*",
    ),
}
"""Making the immune system stronger is a function claim EFSA has authorised for no food:
with an immune word it is refused however hedged ("yoghurt kan je afweer versterken")."""

IMMUNE_FUNCTION: Final[dict[Lang, re.Pattern[str]]] = {
    "en": words(r"immun\w*", r"defen[cs]es?", r"resistance"),
    "nl": words(r"\w*immu(?:u|n)\w*", r"\w*afweer\w*", r"\w*weerstand\w*"),
}
"""The immune system itself, as the object of a verb that makes it stronger."""
