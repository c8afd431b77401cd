"""What an editor sees from `nudgebot content check` and `nudgebot content show`."""

from pathlib import Path

import pytest
from rich.console import Console

from nudgebot.cli.content import check_command, diff_command, show_command

CONTENT = Path(__file__).resolve().parents[2] / "content"


def recording_console():
    return Console(record=True, width=200, color_system=None)


def test_check_of_shipped_pack_prints_counts_and_succeeds():
    console = recording_console()

    assert check_command(CONTENT, console) == 0
    output = console.export_text()
    assert "challenge" in output and "The pack is valid." in output


def test_check_of_broken_pack_prints_every_problem_and_fails(tmp_path):
    broken = tmp_path / "content"
    broken.mkdir()
    for name in ("references.yaml", "tips.yaml", "challenges.yaml"):
        (broken / name).write_text((CONTENT / name).read_text("utf-8"), "utf-8")
    console = recording_console()

    assert check_command(broken, console) == 1
    assert "content/myths.yaml: file is missing" in console.export_text()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        pytest.param("en", "Myth or fact? Stress can make your gut wall", id="en"),
        pytest.param("nl", "Mythe of feit? Stress kan je darmwand", id="nl"),
    ],
)
def test_show_renders_an_item_with_its_buttons(lang, expected):
    console = recording_console()

    assert show_command(CONTENT, "myth-stress-gut-barrier", lang, console) == 0
    output = console.export_text()
    assert expected in output
    assert "https://doi.org/10.1186/s12876-014-0189-7" in output
    assert output.count("[ ") == 2


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        pytest.param("en", "Source: A healthy gut – strong defences (nudgebot's Dutch", id="en"),
        pytest.param("nl", "Bron: Een gezonde darm – sterke afweer (het Nederlandstalige", id="nl"),
    ],
)
def test_show_names_the_article_itself_without_a_link(lang, expected):
    console = recording_console()

    assert show_command(CONTENT, "myth-leaky-gut-diagnosis", lang, console) == 0
    output = console.export_text()
    assert expected in output
    assert "doi.org" not in output


@pytest.mark.parametrize(
    ("item_id", "lang", "expected"),
    [
        pytest.param("tip-nope", "en", "No item with id 'tip-nope'", id="unknown-id"),
        pytest.param("sauerkraut", "en", "Did you mean: challenge-sauerkraut", id="suggests"),
        pytest.param("tip-eat-the-rainbow", "de", "Unknown language 'de'", id="unknown-lang"),
    ],
)
def test_show_answers_a_friendly_line_for_a_wrong_argument(item_id, lang, expected):
    console = recording_console()

    assert show_command(CONTENT, item_id, lang, console) == 1
    assert expected in console.export_text()


def _copy_pack(target: Path) -> Path:
    target.mkdir()
    for source in CONTENT.iterdir():
        if source.is_file():
            (target / source.name).write_bytes(source.read_bytes())
    return target


def test_diff_lists_a_correction_with_its_versions(tmp_path):
    old = _copy_pack(tmp_path / "old")
    new = _copy_pack(tmp_path / "new")
    tips = (new / "tips.yaml").read_text("utf-8")
    changed = tips.replace(
        "- id: tip-drink-enough\n  version: 1\n",
        "- id: tip-drink-enough\n  version: 2\n  correction: typo\n",
    ).replace("bij voorkeur water of kruidenthee", "liefst water of kruidenthee")
    (new / "tips.yaml").write_text(changed, "utf-8")
    console = recording_console()

    assert show_command(new, "tip-drink-enough", "nl", recording_console()) == 0
    assert diff_command(old, new, console) == 0
    output = console.export_text()
    assert "~ tip-drink-enough (v1 -> v2): correction, nl.body" in output
    assert "1 item(s) differ; 0 changed without a new version." in output


def test_diff_flags_a_text_changed_without_a_new_version(tmp_path):
    old = _copy_pack(tmp_path / "old")
    new = _copy_pack(tmp_path / "new")
    tips = (new / "tips.yaml").read_text("utf-8")
    (new / "tips.yaml").write_text(tips.replace("1,5 tot 2 liter", "2 liter"), "utf-8")
    console = recording_console()

    assert diff_command(old, new, console) == 1
    assert "without a new version: nobody will be told" in console.export_text()


def test_diff_of_a_missing_directory_says_so(tmp_path):
    console = recording_console()

    assert diff_command(tmp_path / "nope", CONTENT, console) == 1
    assert "No content directory" in console.export_text()
