"""Each pack rule, shown failing on a small broken pack that names file, id and field."""

from pathlib import Path

import pytest
import yaml

from nudgebot.errors import ContentError
from nudgebot.pack.claims import find_claims
from nudgebot.pack.loading import MAX_BODY, PackProblem, check_pack, load_pack
from nudgebot.pack.quotes import ARTICLE_TEXT_FILE

CONTENT = Path(__file__).resolve().parents[2] / "content"
QUOTE_5 = (
    "In een review van 6 klinische studies met meer dan 1500 deelnemers, verminderde de "
    "regelmatige inname van probiotica de kans op het krijgen van een verkoudheid(infectie "
    "van de bovenste luchtwegen) met ongeveer 23%."
)
"""An article sentence that carries the 【5】 marker, as every small item's refs [5] need."""
QUOTE_NONE = "Ongeveer 70% van de immuuncellen bevindt zich in het darmgebied."
"""An article sentence without a marker: an item quoting it cites the article itself."""

REFERENCE = {
    "number": 5,
    "authors": "Li, L., Hong, K., & Li, C.",
    "year": 2020,
    "title": "Probiotics for preventing upper respiratory tract infections in adults",
    "journal": "Evidence-Based Complementary and Alternative Medicine",
    "citation": "2020, 8734140",
    "doi": "10.1155/2020/8734140",
}


def tip(**changes):
    item = {
        "id": "tip-small",
        "version": 1,
        "refs": [5],
        "quotes": [QUOTE_5],
        "tags": ["fibre"],
        "nl": {"title": "Vezels", "body": "Eet vandaag een extra portie groente."},
        "en": {"title": "Fibre", "body": "Have an extra portion of veg today."},
    }
    return {**item, **changes}


def challenge(**changes):
    item = {
        "id": "challenge-small",
        "refs": [5],
        "quotes": [QUOTE_5],
        "nl": {
            "title": "Zuurkoolsap",
            "body": "Zuurkoolsap is zuur.",
            "action": "Drink een glaasje zuurkoolsap.",
            "done_when": "Glas leeg.",
        },
        "en": {
            "title": "Sauerkraut juice",
            "body": "Sauerkraut juice is sour.",
            "action": "Drink a small glass of sauerkraut juice.",
            "done_when": "Glass empty.",
        },
    }
    return {**item, **changes}


def myth(**changes):
    item = {
        "id": "myth-small",
        "refs": [5],
        "quotes": [QUOTE_5],
        "verdict": "myth",
        "nl": {
            "title": "Pro",
            "body": "Hm.",
            "statement": "Alles helpt.",
            "explanation": "Niet alles helpt (Li et al., 2020).",
        },
        "en": {
            "title": "Pro",
            "body": "Hm.",
            "statement": "Everything helps.",
            "explanation": "Not everything helps (Li et al., 2020).",
        },
    }
    return {**item, **changes}


def write_pack(directory: Path, *, tips=None, challenges=None, myths=None, references=None):
    directory.mkdir(exist_ok=True)
    files = {
        "references.yaml": references if references is not None else [REFERENCE],
        "tips.yaml": tips if tips is not None else [tip()],
        "challenges.yaml": challenges if challenges is not None else [challenge()],
        "myths.yaml": myths if myths is not None else [myth()],
    }
    for name, entries in files.items():
        (directory / name).write_text(yaml.safe_dump(entries, allow_unicode=True), "utf-8")
    article = (CONTENT / ARTICLE_TEXT_FILE).read_text("utf-8")
    (directory / ARTICLE_TEXT_FILE).write_text(article, "utf-8")
    return directory


def only_problem(directory):
    problems = check_pack(directory).problems
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_small_valid_pack_has_no_problems(tmp_path):
    report = check_pack(write_pack(tmp_path / "pack"))

    assert report.problems == []
    assert report.counts[("tip", "en")] == 1


def test_missing_language_is_named(tmp_path):
    broken = tip()
    del broken["en"]

    problem = only_problem(write_pack(tmp_path / "pack", tips=[broken]))

    assert (problem.file, problem.item_id, problem.field) == ("pack/tips.yaml", "tip-small", "en")


def test_unknown_reference_is_named(tmp_path):
    problems = check_pack(write_pack(tmp_path / "pack", myths=[myth(refs=[5, 99])])).problems

    assert "pack/myths.yaml: myth-small: refs: reference 99 is not in references.yaml" in [
        str(problem) for problem in problems
    ]


@pytest.mark.parametrize(
    ("lang", "body", "word"),
    [
        pytest.param("en", "Sauerkraut cures a cold.", "cures", id="en-cures"),
        pytest.param("en", "Kefir prevents diarrhoea.", "prevents", id="en-prevents"),
        pytest.param("en", "Fibre heals your gut wall.", "heals", id="en-heals"),
        pytest.param("en", "Kimchi treats bloating.", "treats", id="en-treats-verb"),
        pytest.param("en", "A proven treatment for IBS.", "treatment", id="en-treatment"),
        pytest.param("en", "Start a 3-day detox.", "detox", id="en-detox"),
        pytest.param("en", "Results guaranteed.", "guaranteed", id="en-guaranteed"),
        pytest.param("nl", "Zuurkool geneest verkoudheid.", "geneest", id="nl-geneest"),
        pytest.param("nl", "Kefir voorkomt diarree.", "voorkomt", id="nl-voorkomt"),
        pytest.param("nl", "Eet dit om ziekte te voorkomen.", "voorkomen", id="nl-te-voorkomen"),
        pytest.param("nl", "Dit behandelt je klachten.", "behandelt", id="nl-behandelt"),
        pytest.param("nl", "Een darmdetoxkuur helpt.", "darmdetoxkuur", id="nl-detoxkuur"),
        pytest.param("nl", "Resultaat gegarandeerd.", "gegarandeerd", id="nl-gegarandeerd"),
    ],
)
def test_forbidden_claim_is_named(tmp_path, lang, body, word):
    broken = tip()
    broken[lang] = {**broken[lang], "body": body}

    problem = only_problem(write_pack(tmp_path / "pack", tips=[broken]))

    assert (problem.file, problem.item_id, problem.field) == (
        "pack/tips.yaml",
        "tip-small",
        f"{lang}.body",
    )
    assert repr(word) in problem.message


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        pytest.param("nl", "Ze komen van nature voor in zuurkool.", id="nl-komen-van-nature-voor"),
        pytest.param("nl", "Bacteriën die vaak voorkomen in yoghurt.", id="nl-vaak-voorkomen"),
        pytest.param("nl", "Gisten die van nature voorkomen.", id="nl-van-nature-voorkomen"),
        pytest.param("en", "Keep cake as a sweet treat.", id="en-sweet-treat"),
        pytest.param("en", "Sugary treats, now and then.", id="en-sugary-treats"),
        pytest.param("en", "A healthy, varied diet.", id="en-healthy"),
    ],
)
def test_harmless_words_are_not_flagged(tmp_path, lang, text):
    assert list(find_claims(text, lang)) == []
    ok = tip()
    ok[lang] = {**ok[lang], "body": text}
    assert check_pack(write_pack(tmp_path / "pack", tips=[ok])).problems == []


def test_a_debunked_claim_may_be_quoted_in_a_myth_statement(tmp_path):
    debunked = myth()
    debunked["en"] = {**debunked["en"], "statement": "A detox cure cleans your gut."}

    assert check_pack(write_pack(tmp_path / "pack", myths=[debunked])).problems == []
    fact = {**debunked, "verdict": "fact"}
    problems = check_pack(write_pack(tmp_path / "fact", myths=[fact])).problems
    assert {problem.field for problem in problems} == {"en.statement"}


def test_too_long_body_is_named_with_its_length(tmp_path):
    broken = tip()
    broken["en"] = {**broken["en"], "body": "x" * (MAX_BODY + 1)}

    problem = only_problem(write_pack(tmp_path / "pack", tips=[broken]))

    assert str(problem) == "pack/tips.yaml: tip-small: en.body: 401 characters, the limit is 400"


def test_body_of_exactly_the_limit_is_fine(tmp_path):
    ok = tip()
    ok["en"] = {**ok["en"], "body": "x" * MAX_BODY}

    assert check_pack(write_pack(tmp_path / "pack", tips=[ok])).problems == []


def test_message_too_long_for_slack_is_named(tmp_path):
    broken = challenge()
    broken["nl"] = {**broken["nl"], "action": "Eet " + "zuurkool " * 400}

    problem = only_problem(write_pack(tmp_path / "pack", challenges=[broken]))

    assert (problem.file, problem.item_id, problem.field) == (
        "pack/challenges.yaml",
        "challenge-small",
        "nl",
    )
    assert "the limit is 3000" in problem.message


def test_duplicate_id_across_files_is_named(tmp_path):
    problem = only_problem(write_pack(tmp_path / "pack", challenges=[challenge(id="tip-small")]))

    assert (problem.item_id, problem.field) == ("tip-small", "id")
    assert "pack/challenges.yaml" in problem.message and "pack/tips.yaml" in problem.message


def test_bad_yaml_names_file_and_line(tmp_path):
    directory = write_pack(tmp_path / "pack")
    (directory / "tips.yaml").write_text("- id: tip-x\n  nl: {title: [unclosed\n", "utf-8")

    problem = only_problem(directory)

    assert problem.file == "pack/tips.yaml"
    assert problem.field.startswith("line ")
    assert problem.message.startswith("bad YAML")


def test_key_written_twice_is_refused(tmp_path):
    directory = write_pack(tmp_path / "pack")
    text = (directory / "tips.yaml").read_text("utf-8")
    (directory / "tips.yaml").write_text(text.replace("  tags:", "  refs: [5]\n  tags:"), "utf-8")

    problem = only_problem(directory)

    assert "appears twice" in problem.message


def test_wrong_kind_in_file_is_named(tmp_path):
    problem = only_problem(write_pack(tmp_path / "pack", tips=[tip(kind="myth")]))

    assert (problem.file, problem.item_id, problem.field) == ("pack/tips.yaml", "tip-small", "kind")


def test_missing_challenge_action_is_named(tmp_path):
    broken = challenge()
    broken["en"] = {key: value for key, value in broken["en"].items() if key != "action"}

    problem = only_problem(write_pack(tmp_path / "pack", challenges=[broken]))

    assert (problem.item_id, problem.field) == ("challenge-small", "en.action")


def test_uncited_reference_is_a_warning_not_an_error(tmp_path):
    extra = {**REFERENCE, "number": 6, "doi": "10.1038/nrgastro.2014.66"}

    report = check_pack(write_pack(tmp_path / "pack", references=[REFERENCE, extra]))

    assert report.problems == []
    assert [str(w) for w in report.warnings] == [
        "pack/references.yaml: ref 6: no item cites this reference"
    ]


def test_load_pack_raises_with_every_problem(tmp_path):
    broken = tip(refs=[99])
    broken["nl"] = {**broken["nl"], "body": "Dit geneest alles."}

    with pytest.raises(ContentError) as raised:
        load_pack(write_pack(tmp_path / "pack", tips=[broken]))

    problems = [p for p in raised.value.problems if isinstance(p, PackProblem)]
    assert len(problems) == len(raised.value.problems)
    fields = sorted(problem.field for problem in problems)
    assert fields == ["nl.body", "refs", "refs"]


def test_an_explanation_that_repeats_the_verdict_is_named(tmp_path):
    broken = myth()
    broken["en"] = {**broken["en"], "explanation": "Myth. Not everything helps (Li et al., 2020)."}

    problem = only_problem(write_pack(tmp_path / "pack", myths=[broken]))

    assert (problem.item_id, problem.field) == ("myth-small", "en.explanation")
    assert "verdict" in problem.message
