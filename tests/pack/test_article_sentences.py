"""The claims gate on the article's own sentences: how often it refuses them, and where.

The article is the bot's only source, but it is less careful than the bot must be in a
few places: it states links without a hedge ("van meditatie is aangetoond dat ..."),
calls probiotics "heel effectief tegen diarree", and closes on a slogan. Read with the
EFSA caution set (as a nudge about these links would carry it), the gate refuses exactly
those sentences and no careful one; this test pins the list, so a rule change that
refuses more of the article, or lets one of these through, shows up here.
"""

import re
from pathlib import Path

from nudgebot.pack.claims import find_claims, split_sentences

ARTICLE = Path(__file__).resolve().parents[2] / "content" / "article.nl.txt"
LESS_CAREFUL = (
    "Een gebalanceerd microbieel ecosysteem in de darmen helpt om ziekteverwekkers",
    "Volgens studies zijn probiotica eigenlijk heel effectief tegen diarree",
    "Deze produceren vervolgens belangrijke metabolieten uit de vezel",
    "(Interessant feit: van meditatie is aangetoond",
    "Studies tonen aan dat mensen met een chronisch slaaptekort",
    "Leefstijlfactoren mogen niet worden verwaarloosd",
    "De beloning is niet alleen een betere spijsvertering",
    "Met dit in gedachten: Goede voeding, goede bacteriën, goede afweer!",
)
"""Sentences the article states more firmly than the bot may, in the article's order."""


def article_lines():
    raw = ARTICLE.read_text("utf-8")
    text = re.sub(r"【\d+】", "", raw[: raw.index("- [1]")]).replace("*", "")
    return text.splitlines()


def test_the_gate_refuses_only_the_articles_less_careful_sentences():
    refused = [
        hit.sentence for line in article_lines() for hit in find_claims(line, "nl", efsa=True)
    ]

    assert len(refused) == len(LESS_CAREFUL)
    for sentence, start in zip(refused, LESS_CAREFUL, strict=True):
        assert sentence.startswith(start), sentence


def test_the_refusal_rate_on_the_article():
    sentences = sum(len(split_sentences(line)) for line in article_lines())
    refused = {
        hit.sentence for line in article_lines() for hit in find_claims(line, "nl", efsa=True)
    }

    assert sentences == 129
    assert len(refused) / sentences < 0.07
