from dataclasses import replace

from nudgebot.core.content import Kind
from nudgebot.core.notes import REENGAGE_ACTIONS, NudgeNotes, decorate
from nudgebot.core.render import render_item
from nudgebot.core.summary import WeeklySummary


def nudge(pack, notes, item=None, lang="en"):
    item = item or pack.of_kind(Kind.TIP)[0]
    message = render_item(pack, item, lang, delivery_id=5)
    return decorate(message, notes=notes, item=item, lang=lang, pack=pack)


def test_a_freeze_used_is_one_line_inside_the_nudge(pack):
    message = nudge(pack, NudgeNotes(freezes_used=1, freezes_left=0))
    assert message.text.startswith("🧊 Your streak is safe: 1 freeze used, 0 left.\n\n")
    assert len(message.buttons) == 1


def test_a_milestone_names_the_next_goal(pack):
    assert "🎉 7 days in a row! Next goal: 14." in nudge(pack, NudgeNotes(milestone=7)).text
    assert (
        "🎉 30 dagen op rij! Volgend doel: 60."
        in nudge(pack, NudgeNotes(milestone=30), lang="nl").text
    )


def test_the_re_engagement_question_adds_its_three_buttons(pack):
    message = nudge(pack, NudgeNotes(reengage="ask", frequency="weekdays"))
    assert "keep coming on weekdays" in message.text
    assert [b.action for b in message.buttons[1:]] == list(REENGAGE_ACTIONS)


def test_a_series_step_says_which_day_it_is(pack):
    series = pack.series[0]
    message = nudge(pack, NudgeNotes(), item=series.steps[2])
    assert message.title.startswith(f"{series.words('en').title} · day 3 of {len(series.steps)}")


def test_the_weekly_summary_is_a_paragraph_of_the_nudge(pack):
    summary = WeeklySummary(5, 4, 4, 1, 2, pack.series[1].id)
    message = nudge(pack, NudgeNotes(summary=summary))
    assert "📊 Your week: 4 of 5 nudges answered · streak 4 days · myths right: 1 of 2." in (
        message.text
    )
    assert pack.series[1].words("en").title in message.text


def test_notes_survive_the_store_as_json():
    notes = NudgeNotes(
        freezes_used=1, milestone=14, reengage="switch", summary=WeeklySummary(1, 1, 1, 0, 0, "x")
    )
    assert NudgeNotes.from_json(notes.to_json()) == notes
    assert NudgeNotes.from_json("") == NudgeNotes()
    assert replace(notes, summary=None).to_json() != notes.to_json()
