"""Who hears of a correction: exactly who received an older version in the last 30 days."""

from datetime import date, timedelta

import pytest

from nudgebot.core.corrections import (
    MAX_NOTICES,
    WINDOW_DAYS,
    Notice,
    Received,
    corrected_items,
    corrections_due,
    notice_line,
)
from nudgebot.core.notes import NudgeNotes, render_nudge

TODAY = date(2026, 12, 7)
JAR = "challenge-start-a-jar"


def test_the_shipped_corrections_are_found_and_typo_fixes_are_not(pack):
    corrected = corrected_items(pack)

    assert corrected[JAR] == 2
    assert corrected["series-fermented-7-home-jar"] == 2
    assert all(pack.get(item_id).version > 1 for item_id in corrected)
    typo = pack.get(JAR).model_copy(update={"correction": "typo"})
    assert typo.correction_line("en") is None


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        pytest.param([Received(JAR, 1, TODAY - timedelta(days=3))], (Notice(JAR, 2),), id="old"),
        pytest.param([Received(JAR, 2, TODAY - timedelta(days=3))], (), id="already-new"),
        pytest.param(
            [Received(JAR, 1, TODAY - timedelta(days=WINDOW_DAYS))], (Notice(JAR, 2),), id="day-30"
        ),
        pytest.param([Received(JAR, 1, TODAY - timedelta(days=WINDOW_DAYS + 1))], (), id="day-31"),
        pytest.param([Received(JAR, 1, TODAY)], (), id="today-itself"),
        pytest.param(
            [
                Received(JAR, 1, TODAY - timedelta(days=9)),
                Received(JAR, 2, TODAY - timedelta(days=2)),
            ],
            (),
            id="old-then-new",
        ),
        pytest.param(
            [Received("tip-drink-enough", 1, TODAY - timedelta(days=2))], (), id="uncorrected"
        ),
    ],
)
def test_a_correction_is_due_exactly_for_an_old_version_inside_the_window(pack, received, expected):
    assert corrections_due(received, (), pack, today=TODAY) == expected


def test_a_correction_is_told_once(pack):
    received = [Received(JAR, 1, TODAY - timedelta(days=3))]

    assert corrections_due(received, [Notice(JAR, 2)], pack, today=TODAY) == ()


def test_a_nudge_carries_at_most_a_few_corrections(pack):
    received = [
        Received(item_id, 1, TODAY - timedelta(days=1)) for item_id in corrected_items(pack)
    ]

    due = corrections_due(received, (), pack, today=TODAY)

    assert len(due) == MAX_NOTICES
    assert list(due) == sorted(due)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "Correctie bij 'Zelf fermenteren'"), ("en", "A correction to 'Ferment your own'")],
)
def test_the_line_rides_inside_the_nudge_in_the_subscribers_language(pack, lang, words):
    item = pack.get("tip-drink-enough")
    notes = NudgeNotes(corrections=(Notice(JAR, 2),))

    message = render_nudge(pack, item, lang, delivery_id=1, notes=notes)

    text = message.plain()
    assert words in text
    assert pack.get(JAR).correction_line(lang) in text
    assert text.count("✏️") == 1
    assert NudgeNotes.from_json(notes.to_json()) == notes


def test_a_notice_for_a_version_the_pack_no_longer_has_says_nothing(pack):
    assert notice_line(pack, Notice(JAR, 1), "en") is None
    assert notice_line(pack, Notice("gone-item", 2), "en") is None
    assert NudgeNotes.from_json('{"milestone": 3}').corrections == ()
