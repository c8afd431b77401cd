"""The item rules around the claims check: cautions, 'today', and citing the article."""

import pytest
import yaml

from nudgebot.core.content import Kind
from nudgebot.pack.loading import check_pack, load_pack
from tests.pack.test_rules import (
    QUOTE_5,
    QUOTE_NONE,
    REFERENCE,
    challenge,
    only_problem,
    tip,
    write_pack,
)

ARTICLE = {
    "nl": {"title": "Een gezonde darm", "note": "het bronartikel"},
    "en": {"title": "A healthy gut", "note": "the source article"},
}


def with_text(item, lang, **fields):
    changed = dict(item)
    changed[lang] = {**item[lang], **fields}
    return changed


@pytest.mark.parametrize(
    ("lang", "body", "words"),
    [
        pytest.param("en", "Probiotics are live bacteria.", "'Probiotics'", id="en-probiotic"),
        pytest.param("nl", "Probiotica zijn levende bacteriën.", "'Probiotica'", id="nl-probiotic"),
        pytest.param(
            "en",
            "A balanced gut flora helps keep your immune system trained.",
            "'balanced' + 'immune'",
            id="en-immune",
        ),
        pytest.param(
            "nl",
            "Een darmflora in balans helpt je afweer getraind te houden.",
            "'balans' + 'afweer'",
            id="nl-immune",
        ),
    ],
)
def test_a_probiotic_or_immune_statement_needs_the_efsa_caution(tmp_path, lang, body, words):
    problem = only_problem(write_pack(tmp_path / "pack", tips=[with_text(tip(), lang, body=body)]))

    assert (problem.file, problem.item_id, problem.field) == (
        "pack/tips.yaml",
        "tip-small",
        f"{lang}.body",
    )
    assert problem.message.startswith(f"efsa_unconfirmed missing: {words} in “")
    assert "not confirmed by EFSA" in problem.message
    flagged = with_text(tip(efsa_unconfirmed=True), lang, body=body)
    assert check_pack(write_pack(tmp_path / "ok", tips=[flagged])).problems == []


def test_fermented_food_to_rebuild_the_gut_flora_implies_a_probiotic_effect(tmp_path):
    item = with_text(
        tip(),
        "en",
        body="After antibiotics you want to rebuild your gut flora. Eat fermented food daily.",
    )

    problem = only_problem(write_pack(tmp_path / "pack", tips=[item]))

    assert problem.message.startswith(
        "efsa_unconfirmed missing: 'fermented' + 'rebuild your gut flora'"
    )


def test_a_sentence_that_states_the_efsa_status_needs_no_flag(tmp_path):
    item = with_text(
        tip(),
        "nl",
        body="Er zijn geen goedgekeurde gezondheidsclaims van de EFSA voor probiotica.",
    )

    assert check_pack(write_pack(tmp_path / "pack", tips=[item])).problems == []


@pytest.mark.parametrize(
    ("lang", "action"),
    [
        pytest.param("en", "Eat a forkful of raw sauerkraut.", id="en-raw"),
        pytest.param("en", "Find a product that says 'unpasteurised'.", id="en-unpasteurised"),
        pytest.param("nl", "Eet een vork rauwe zuurkool.", id="nl-rauw"),
        pytest.param("nl", "Kies yoghurt met levende culturen.", id="nl-levende-culturen"),
        pytest.param("en", "Drink a glass of kefir.", id="en-kefir"),
        pytest.param("nl", "Schep een lepel kimchi bij je maaltijd.", id="nl-kimchi"),
    ],
)
def test_the_check_sets_the_doctor_caution_on_a_challenge_asking_for_live_cultures(
    tmp_path, lang, action
):
    asking = with_text(challenge(), lang, action=action)

    (loaded,) = load_pack(write_pack(tmp_path / "pack", challenges=[asking])).of_kind(
        Kind.CHALLENGE
    )

    assert loaded.live_culture_caution


def test_a_challenge_asking_for_no_ferment_has_no_doctor_caution(tmp_path):
    plain = with_text(challenge(), "en", action="Eat a bowl of oats.")
    plain = with_text(plain, "nl", action="Eet een kom havermout.", body="Haver.")
    plain = with_text(plain, "en", body="Oats.")

    (loaded,) = load_pack(write_pack(tmp_path / "pack", challenges=[plain])).of_kind(Kind.CHALLENGE)

    assert not loaded.live_culture_caution


@pytest.mark.parametrize("name", ["live_culture_caution", "probiotic_caution"])
def test_an_editor_does_not_write_a_caution_the_check_sets(tmp_path, name):
    problem = only_problem(write_pack(tmp_path / "pack", challenges=[challenge(**{name: True})]))

    assert (problem.item_id, problem.field) == ("challenge-small", name)
    assert "set by the check" in problem.message


def test_a_tip_that_mentions_probiotics_gets_the_probiotic_caution(tmp_path):
    item = with_text(tip(efsa_unconfirmed=True), "en", body="Probiotics come in capsules.")

    (loaded,) = load_pack(write_pack(tmp_path / "pack", tips=[item])).of_kind(Kind.TIP)

    assert loaded.probiotic_caution and not loaded.live_culture_caution


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        ("en", "Probiotics are considered safe."),
        ("nl", "Probiotica gelden als veilig."),
    ],
)
def test_calling_probiotics_safe_without_generally_is_named(tmp_path, lang, body):
    item = with_text(tip(efsa_unconfirmed=True), lang, body=body)

    problem = only_problem(write_pack(tmp_path / "pack", tips=[item]))

    assert (problem.item_id, problem.field) == ("tip-small", f"{lang}.body")
    assert "generally" in problem.message
    hedged = body.replace("considered", "generally considered").replace(
        "gelden als", "gelden over het algemeen als"
    )
    fixed = with_text(tip(efsa_unconfirmed=True), lang, body=hedged)
    assert check_pack(write_pack(tmp_path / "ok", tips=[fixed])).problems == []


def test_a_tip_about_raw_sauerkraut_needs_no_live_culture_caution(tmp_path):
    item = with_text(tip(), "en", body="Raw sauerkraut has live cultures.")

    assert check_pack(write_pack(tmp_path / "pack", tips=[item])).problems == []


@pytest.mark.parametrize(("lang", "word"), [("en", "today"), ("nl", "vandaag")])
def test_a_challenge_says_today_only_once(tmp_path, lang, word):
    repeating = with_text(challenge(), lang, action=f"Drink it {word}.")

    problem = only_problem(write_pack(tmp_path / "pack", challenges=[repeating]))

    assert (problem.item_id, problem.field) == ("challenge-small", f"{lang}.action")
    assert "'today'" in problem.message


def test_an_item_may_cite_the_article_itself(tmp_path):
    directory = write_pack(
        tmp_path / "pack", tips=[tip(refs=["article", 5], quotes=[QUOTE_NONE, QUOTE_5])]
    )
    (directory / "article.yaml").write_text(yaml.safe_dump(ARTICLE), "utf-8")

    pack = load_pack(directory)

    assert pack.items[0].refs == ("article", 5)
    assert pack.article is not None and pack.article.words("en").title == "A healthy gut"


def test_citing_the_article_without_article_yaml_is_named(tmp_path):
    cites = tip(refs=["article"], quotes=[QUOTE_NONE])
    problem = only_problem(write_pack(tmp_path / "pack", tips=[cites]))

    assert (problem.item_id, problem.field) == ("tip-small", "refs")
    assert "article.yaml is missing" in problem.message


def test_an_unknown_source_word_is_refused(tmp_path):
    problem = only_problem(write_pack(tmp_path / "pack", tips=[tip(refs=["wikipedia"])]))

    assert (problem.item_id, problem.field) == ("tip-small", "refs")
    assert problem.message == "'wikipedia' is neither a reference number nor 'article'"


def test_a_claim_message_names_file_item_language_words_and_reason(tmp_path):
    item = with_text(tip(refs=[REFERENCE["number"]]), "en", body="Fibre fights diarrhoea.")

    problem = only_problem(write_pack(tmp_path / "pack", tips=[item]))

    assert str(problem) == (
        "pack/tips.yaml: tip-small: en.body: claim: 'fights' + 'diarrhoea' in "
        "“Fibre fights diarrhoea.”: a health claim: EU Regulation 1924/2006 forbids saying "
        "a food prevents, treats or cures a disease, and allows only authorised health claims"
    )
