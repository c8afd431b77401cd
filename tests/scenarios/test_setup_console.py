"""The first minutes on the console: set-up answered by typing, and the rough edges gone.

The real console adapter, commands and SQLite store (tests/scenarios/console_life.py);
what is asserted is what the user reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from tests.scenarios.console_life import ConsoleLife


@pytest.fixture
async def life(sessions, pack, settings, clock) -> ConsoleLife:
    return ConsoleLife(sessions=sessions, pack=pack, settings=settings, clock=clock)


async def test_a_set_up_answered_by_typing_reaches_all_set(life):
    assert "Which language" in await life.type("/start") or "Welke taal" in life.out.getvalue()
    assert "Which time zone" in await life.type("english")
    shown = await life.type("lisbon")
    assert "Time zone changed to Europe/Lisbon" in shown and "What time" in shown
    shown = await life.type("7.45pm")
    assert "Time changed to 19:45" in shown and "how often" in shown
    shown = await life.type("weekdays")
    assert "All set! You'll get a nudge on weekdays at 19:45 (Europe/Lisbon)" in shown
    assert shown.count("All set!") == 1
    subscriber = await life.subscriber()
    assert (subscriber.language, subscriber.timezone, subscriber.local_time) == (
        "en",
        "Europe/Lisbon",
        time(19, 45),
    )
    assert (subscriber.frequency, subscriber.setup_step) == ("weekdays", None)


async def test_a_set_up_answered_by_number_and_command_reaches_all_set(life):
    await life.type("/start")
    await life.type("2")  # English
    assert "What time" in await life.type("/tz Europe/Brussels")
    assert "how often" in await life.type("1")  # 07:00
    assert "All set! You'll get a nudge every day at 07:00 (Europe/Brussels)" in await life.type(
        "1"
    )


async def test_a_wrong_answer_asks_the_question_again_and_changes_nothing(life):
    await life.type("/start")
    await life.type("english")
    before = await life.subscriber()
    shown = await life.type("Atlantis")
    assert "'Atlantis' isn't a time zone I know" in shown and "Which time zone" in shown
    shown = await life.type("/start")
    assert "Which time zone" in shown  # /start in the middle asks the open question again
    after = await life.subscriber()
    assert after.model_dump() == before.model_dump()


async def test_an_uncertain_city_is_asked_about_not_guessed(life):
    await life.type("/start")
    await life.type("english")
    shown = await life.type("york")
    assert "'york' isn't exactly a time zone" in shown and "[1] America/New_York" in shown
    assert (await life.subscriber()).timezone == "Europe/Amsterdam"
    shown = await life.type("1")
    assert "Time zone changed to America/New_York" in shown and "What time" in shown


async def test_outside_the_set_up_a_bare_city_or_time_changes_nothing(life):
    await life.sign_up()
    before = await life.subscriber()
    for line in ("Lisbon", "07:45"):
        assert "Type the command with it, e.g. /time 7.45pm" in await life.type(line)
    assert "I don't know that command" in await life.type("hello there")
    assert (await life.subscriber()).model_dump() == before.model_dump()
    assert "Time zone changed to Europe/Lisbon" in await life.type("/tz lisbon")


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [("/time 7.45pm", "19:45"), ("/time 7:45 pm", "19:45"), ("/time 19u45", "19:45"),
     ("/time 19.45", "19:45"), ("/time 12.30pm", "12:30")],
)  # fmt: skip
async def test_times_are_read_as_people_write_them(life, typed, wanted):
    await life.sign_up()
    assert f"Time changed to {wanted}" in await life.type(typed)


async def test_help_on_the_console_lists_quit(life):
    await life.sign_up()
    assert "/quit – leave (or Ctrl-D)" in await life.type("/help")


async def test_today_after_stop_says_unsubscribed_instead_of_a_nudge(life):
    await life.sign_up()
    await life.type("/stop")
    shown = await life.type("/today")
    assert "You're unsubscribed, so no nudges come. Send /start" in shown
    assert "📚 Source" not in shown and await life.deliveries() == []


async def test_a_summary_day_without_a_nudge_says_which_nudge_carries_it(life):
    await life.sign_up("/often 3x")
    shown = await life.type("/summary sat")
    assert "You get no nudge on Saturday" in shown and "comes with Friday's nudge" in shown
    assert "comes with Sunday's nudge" in await life.type("/often daily") + await life.type(
        "/summary sun"
    )


async def test_erasing_counts_records_in_the_right_number(life):
    await life.sign_up()
    await life.type("/delete")
    shown = await life.type("1")
    assert "records" in shown or " 1 record," in shown
    assert " 1 records" not in shown


async def test_the_chosen_language_sticks_through_stop_and_delete_then_the_hint(life):
    await life.type("/start")
    await life.type("nederlands")
    await life.type("/stop")
    assert "Je bent afgemeld" in await life.type("/today")
    await life.type("/delete")
    assert "Gewist:" in await life.type("1")
    # The data is gone: the console's locale (none here) decides again: the default.
    assert "Je bent nog niet aangemeld" in await life.type("/streak")


async def test_a_new_weekdays_subscribers_first_nudge_has_no_empty_week_summary(life, clock):
    clock.set(datetime(2026, 6, 5, 5, 0, tzinfo=UTC))  # Friday: the summary's day on weekdays
    await life.sign_up("/often weekdays")
    shown = await life.morning(date(2026, 6, 5))
    assert "📚 Source" in shown and "Your week" not in shown
