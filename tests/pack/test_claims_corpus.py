"""The claims gate against its corpus, each sentence in a flagged and an unflagged item.

The corpus (``claims_corpus.yaml``) holds at least 100 forbidden and 60 allowed sentences
per language, including the article's own careful phrasings. A forbidden sentence must
be refused twice over, with and without the EFSA caution set: as text for
:func:`find_claims`, and as the body of a tip, where ``nudgebot content check`` fails
naming the item. An allowed sentence passes both ways; an ``allowed_flagged`` one passes
only in an item that carries the EFSA caution.
"""

from pathlib import Path

import pytest
import yaml
from rich.console import Console

from nudgebot.cli.content import check_command
from nudgebot.core.content import LANGUAGES
from nudgebot.pack.claims import find_claims
from nudgebot.pack.loading import check_pack
from tests.pack.test_rules import tip, write_pack

CORPUS = yaml.safe_load((Path(__file__).parent / "claims_corpus.yaml").read_text("utf-8"))
FLAGS = [pytest.param(False, id="unflagged"), pytest.param(True, id="flagged")]


def sentences(*verdicts):
    return [
        pytest.param(lang, text, id=f"{lang}-{verdict}-{index:03d}")
        for verdict in verdicts
        for lang in LANGUAGES
        for index, text in enumerate(CORPUS[lang][verdict])
    ]


def tip_saying(lang, text, *, efsa, index=0):
    item = tip(id=f"tip-said-{index:03d}", efsa_unconfirmed=efsa)
    item[lang] = {**item[lang], "body": text}
    return item


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_corpus_is_big_enough(lang):
    assert len(CORPUS[lang]["forbidden"]) >= 100
    assert len(CORPUS[lang]["allowed"]) + len(CORPUS[lang]["allowed_flagged"]) >= 60


@pytest.mark.parametrize("efsa", FLAGS)
@pytest.mark.parametrize(("lang", "text"), sentences("forbidden"))
def test_a_forbidden_sentence_is_a_claim(lang, text, efsa):
    hits = list(find_claims(text, lang, efsa=efsa))

    assert hits, text
    assert all(word.lower() in text.lower() for hit in hits for word in hit.words)


@pytest.mark.parametrize("efsa", FLAGS)
@pytest.mark.parametrize(("lang", "text"), sentences("allowed"))
def test_an_allowed_sentence_is_no_claim(lang, text, efsa):
    assert [hit.describe() for hit in find_claims(text, lang, efsa=efsa)] == []


@pytest.mark.parametrize(("lang", "text"), sentences("allowed_flagged"))
def test_a_careful_sentence_passes_with_the_efsa_caution(lang, text):
    assert [hit.describe() for hit in find_claims(text, lang, efsa=True)] == []


def _check_output(directory):
    console = Console(record=True, width=400, color_system=None)
    return check_command(directory, console), console.export_text()


@pytest.mark.parametrize("efsa", FLAGS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_content_check_fails_on_every_forbidden_sentence(tmp_path, lang, efsa):
    """One pack with a tip per sentence: every tip is named, flagged or not."""
    texts = CORPUS[lang]["forbidden"]
    tips = [tip_saying(lang, text, efsa=efsa, index=index) for index, text in enumerate(texts)]

    code, output = _check_output(write_pack(tmp_path / "pack", tips=tips))

    assert code == 1
    named = [index for index in range(len(texts)) if f"tip-said-{index:03d}: {lang}." in output]
    assert named == list(range(len(texts)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_content_check_fails_on_an_unflagged_careful_sentence(tmp_path, lang):
    texts = CORPUS[lang]["allowed_flagged"]
    tips = [tip_saying(lang, text, efsa=False, index=index) for index, text in enumerate(texts)]

    code, output = _check_output(write_pack(tmp_path / "pack", tips=tips))

    assert code == 1
    named = [index for index in range(len(texts)) if f"tip-said-{index:03d}: {lang}." in output]
    assert named == list(range(len(texts)))


@pytest.mark.parametrize(
    ("verdict", "efsa"),
    [("allowed", False), ("allowed", True), ("allowed_flagged", True)],
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_content_check_passes_every_allowed_sentence(tmp_path, lang, verdict, efsa):
    texts = CORPUS[lang][verdict]
    tips = [tip_saying(lang, text, efsa=efsa, index=index) for index, text in enumerate(texts)]

    problems = check_pack(write_pack(tmp_path / "pack", tips=tips)).problems

    assert [str(problem) for problem in problems] == []
