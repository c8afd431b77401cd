"""The claims check against its corpus: every forbidden sentence fails, every allowed one passes.

The corpus (``claims_corpus.yaml``) holds at least 40 of each per language, including the
article's own careful sentences. A forbidden sentence must fail twice over: as text for
:func:`find_claims`, and as the body of a tip, where ``nudgebot content check`` fails.
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


def sentences(verdict):
    return [
        pytest.param(lang, text, id=f"{lang}-{index:02d}")
        for lang in LANGUAGES
        for index, text in enumerate(CORPUS[lang][verdict])
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_corpus_is_big_enough(lang):
    assert len(CORPUS[lang]["forbidden"]) >= 40
    assert len(CORPUS[lang]["allowed"]) >= 40


@pytest.mark.parametrize(("lang", "text"), sentences("forbidden"))
def test_a_forbidden_sentence_is_a_claim(lang, text):
    hits = list(find_claims(text, lang))

    assert hits, text
    assert all(word.lower() in text.lower() for hit in hits for word in hit.words)


@pytest.mark.parametrize(("lang", "text"), sentences("allowed"))
def test_an_allowed_sentence_is_no_claim(lang, text):
    assert [hit.describe() for hit in find_claims(text, lang)] == []


@pytest.mark.parametrize(("lang", "text"), sentences("forbidden"))
def test_content_check_fails_on_a_forbidden_sentence(tmp_path, lang, text):
    broken = tip()
    broken[lang] = {**broken[lang], "body": text}
    directory = write_pack(tmp_path / "pack", tips=[broken])
    console = Console(record=True, width=400, color_system=None)

    assert check_command(directory, console) == 1
    assert f"pack/tips.yaml: tip-small: {lang}.body:" in console.export_text()


def test_content_check_passes_every_allowed_sentence(tmp_path):
    count = min(len(CORPUS[lang]["allowed"]) for lang in LANGUAGES)
    tips = [
        tip(
            id=f"tip-ok-{index:02d}",
            efsa_unconfirmed=True,
            **{lang: {"title": "Ok", "body": CORPUS[lang]["allowed"][index]} for lang in LANGUAGES},
        )
        for index in range(count)
    ]

    assert check_pack(write_pack(tmp_path / "pack", tips=tips)).problems == []
