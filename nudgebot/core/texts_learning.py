"""The catalogue's sentences about learning: turning it on and off.

Kept apart from :mod:`nudgebot.core.texts` only to keep each file short; :func:`say`
reads both as one catalogue, and the same test checks every key has nl and en.
"""

from __future__ import annotations

from typing import Final

from nudgebot.core.content import Lang

LEARNING_TEXTS: Final[dict[str, dict[Lang, str]]] = {
    "learning_on": {
        "nl": "🧠 Aan: ik kies je nudge van de dag uit wat je beantwoordt, altijd binnen de "
        "gewone ronde (niets vaker, niets anders). Uitzetten: /learning off.",
        "en": "🧠 On: I choose each day's nudge from what you answer, always within the usual "
        "round (nothing more often, nothing else). Turn it off: /learning off.",
    },
    "learning_off": {
        "nl": "Uit: je krijgt de vaste volgorde, en wat ik van je antwoorden had geleerd is "
        "gewist. Weer aan: /learning on.",
        "en": "Off: you get the fixed order, and what I had learned from your answers is "
        "erased. Back on: /learning on.",
    },
    "bad_learning": {
        "nl": "Kies /learning on of /learning off.",
        "en": "Choose /learning on or /learning off.",
    },
}
