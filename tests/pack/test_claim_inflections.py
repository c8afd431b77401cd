"""Every inflection of a claim verb is a claim with a condition, in both languages."""

import pytest

from nudgebot.pack.claims import find_claims

DUTCH = {
    "Kefir {} verkoudheid.": (
        "beschermt",
        "beschermde",
        "versterkt",
        "versterkte",
        "bestrijdt",
        "bestreed",
        "herstelt",
        "herstelde",
        "verlaagt",
        "verlaagde",
        "vermindert",
        "verminderde",
        "voorkomt",
        "voorkwam",
        "geneest",
        "genas",
        "behandelt",
        "behandelde",
        "stopt",
        "stopte",
        "verlicht",
        "verkort",
        "remt",
    ),
    "Kefir kan verkoudheid {}.": (
        "beschermen",
        "versterken",
        "bestrijden",
        "herstellen",
        "verlagen",
        "verminderen",
        "voorkomen",
        "genezen",
        "behandelen",
        "stoppen",
        "verlichten",
        "verkorten",
        "remmen",
        "doden",
        "tegengaan",
    ),
    "Je afweer wordt door kefir {}.": (
        "beschermd",
        "versterkt",
        "bestreden",
        "hersteld",
        "verlaagd",
        "verminderd",
        "genezen",
        "behandeld",
        "gestopt",
        "opgepept",
        "opgekrikt",
        "gestimuleerd",
    ),
    "Kefir biedt {} tegen verkoudheid.": ("bescherming", "een remedie", "een wondermiddel"),
}
ENGLISH = {
    "Kefir {} colds.": (
        "protects against",
        "protected against",
        "boosts immunity against",
        "fights",
        "fought",
        "prevents",
        "prevented",
        "cures",
        "cured",
        "treats",
        "treated",
        "heals",
        "lowers the risk of",
        "reduces",
        "reduced",
        "stops",
        "stopped",
        "relieves",
        "shortens",
        "combats",
        "wards off",
    ),
    "Kefir is {} your immune system.": (
        "protecting",
        "boosting",
        "strengthening",
        "fighting for",
        "restoring",
        "supporting",
        "good for",
    ),
    "Kefir offers {} for colds.": ("protection", "a remedy", "a cure", "relief", "treatment"),
}


def cases(table, lang):
    return [
        pytest.param(lang, frame.format(form), id=f"{lang}-{form}")
        for frame, forms in table.items()
        for form in forms
    ]


@pytest.mark.parametrize(("lang", "sentence"), cases(DUTCH, "nl") + cases(ENGLISH, "en"))
def test_every_inflection_is_a_claim(lang, sentence):
    assert list(find_claims(sentence, lang)), sentence
