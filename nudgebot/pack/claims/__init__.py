"""The claims check: no nudge may promise what EU law and the article do not allow.

Two levels, both in Dutch and English:

* :func:`find_claims` reads a text sentence by sentence and refuses by default any
  sentence that links a food, nutrient, supplement or habit to a health target, unless
  it is said the article's way (hedged, with the EFSA caution where the article has
  one; a denial; a study's finding; the authorised claim), and every cure word and
  detox promise (:mod:`nudgebot.pack.claims.sentences` documents each rule);
* :func:`find_missing_cautions` reads a whole item and says which rendered caution it
  needs and lacks: the EFSA caution for any probiotic or immune statement, the
  live-culture caution for a challenge that asks for raw or unpasteurised cultures.

The word tables live in :mod:`nudgebot.pack.claims.words`, :mod:`nudgebot.pack.claims.hedges`
and :mod:`nudgebot.pack.claims.caution_words`. Content of any file (tips,
challenges, myths, challenge series) goes through these two functions, so a rule change
reaches every kind at once.
"""

from nudgebot.pack.claims.cautions import CautionHit, cautions_needed, find_missing_cautions
from nudgebot.pack.claims.sentences import ClaimHit, find_claims, split_sentences

__all__ = [
    "CautionHit",
    "ClaimHit",
    "cautions_needed",
    "find_claims",
    "find_missing_cautions",
    "split_sentences",
]
