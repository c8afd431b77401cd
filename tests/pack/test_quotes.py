"""Every item quotes the article verbatim, and cites exactly the markers its quotes carry."""

from pathlib import Path

import pytest
from rich.console import Console

from nudgebot.cli.content import check_command, show_command
from nudgebot.core.content import ARTICLE
from nudgebot.pack.loading import check_pack, load_pack
from nudgebot.pack.quotes import ArticleText, expected_refs, normalise, read_article_text
from tests.pack.test_rules import QUOTE_5, QUOTE_NONE, only_problem, tip, write_pack

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_normalising_forgives_line_breaks_markers_and_bold():
    article = ArticleText.parse("Een **vette**   zin\nover darmen【2】【1】. Nog een zin【5】.")

    def markers(quote):
        found = article.find(quote)
        return None if found is None else found.markers

    assert article.text == "Een vette zin over darmen. Nog een zin."
    assert markers("vette zin over   darmen.") == (2, 1)
    assert markers("Nog een zin【5】.") == (5,)
    assert markers("Een vette zin") == ()
    assert markers("een zin die er niet staat") is None
    assert normalise(" “a”\n b ") == '"a" b'


def test_a_quote_carries_the_marker_after_its_closing_bracket():
    article = read_article_text(CONTENT)
    assert article is not None

    found = article.find("in verband gebracht met angst en depressie")
    other_clause = article.find("stress kan de darmbarrière verzwakken")

    assert found is not None and found.markers == (16,)
    assert other_clause is not None and other_clause.markers == ()
    assert expected_refs([found, other_clause]) == {16, ARTICLE}


def test_the_shipped_pack_quotes_the_article_in_every_item():
    pack = load_pack(CONTENT)
    article = read_article_text(CONTENT)
    assert article is not None
    steps = [step for series in pack.series for step in series.steps]

    for item in [*pack.items, *steps]:
        assert item.quotes, item.id
        found = [article.find(quote) for quote in item.quotes]
        assert all(found), item.id
        assert set(item.refs) == expected_refs([one for one in found if one]), item.id


def test_a_quote_the_article_does_not_contain_fails_naming_the_item(tmp_path):
    made_up = tip(quotes=[QUOTE_5, "Kefir geneest alles binnen een week."])

    problem = only_problem(write_pack(tmp_path / "pack", tips=[made_up]))

    assert (problem.item_id, problem.field) == ("tip-small", "quotes.2")
    assert problem.message.startswith("not in the article:")


def test_a_reference_its_quotes_do_not_carry_fails_naming_the_item(tmp_path):
    overcited = tip(refs=[5], quotes=[QUOTE_NONE])

    problem = only_problem(write_pack(tmp_path / "pack", tips=[overcited]))

    assert str(problem).startswith(
        "pack/tips.yaml: tip-small: refs: [5], but its quotes carry [article]"
    )


def test_a_quote_without_a_marker_needs_article_in_the_refs(tmp_path):
    both = tip(refs=[5], quotes=[QUOTE_5, QUOTE_NONE])

    problem = only_problem(write_pack(tmp_path / "pack", tips=[both]))

    assert "its quotes carry [article, 5]" in problem.message
    fixed = tip(refs=[5, "article"], quotes=[QUOTE_5, QUOTE_NONE])
    problems = check_pack(write_pack(tmp_path / "ok", tips=[fixed])).problems
    assert [problem.message for problem in problems] == [
        "cites the article, but article.yaml is missing"
    ]


@pytest.mark.parametrize(
    ("quotes", "field", "message"),
    [
        pytest.param([], "quotes", "missing: quote", id="none"),
        pytest.param(["de darmflora"], "quotes.1", "too short", id="short"),
    ],
)
def test_an_item_without_a_real_quote_fails(tmp_path, quotes, field, message):
    problem = only_problem(write_pack(tmp_path / "pack", tips=[tip(quotes=quotes)]))

    assert (problem.item_id, problem.field) == ("tip-small", field)
    assert message in problem.message


def test_a_pack_without_the_article_text_fails_in_one_line(tmp_path):
    directory = write_pack(tmp_path / "pack")
    (directory / "article.nl.txt").unlink()
    console = Console(record=True, width=300, color_system=None)

    assert check_command(directory, console) == 1
    assert "pack/article.nl.txt: file is missing" in console.export_text()


def test_unknown_guidance_is_named(tmp_path):
    problem = only_problem(write_pack(tmp_path / "pack", tips=[tip(guidance=["grandma"])]))

    assert (problem.item_id, problem.field) == ("tip-small", "guidance")


def test_show_prints_the_quotes_beside_the_text():
    console = Console(record=True, width=240, color_system=None)

    assert show_command(CONTENT, "tip-immune-cells-in-gut", "en", console) == 0
    lines = console.export_text().splitlines()
    assert any("Most of your immune system" in line and "Ongeveer 70%" in line for line in lines)
    assert any("【2】【1】" in line for line in lines)
