"""The capacity forecast: one queue at the platform's rate, the grace window as its edge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nudgebot.core.capacity import Slot, forecast, warning_text

SEVEN = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)  # 07:00 in Amsterdam
GRACE = timedelta(hours=3)
EARLY = SEVEN - timedelta(hours=1)


def test_a_hundred_thousand_at_seven_take_55_minutes_at_30_a_second() -> None:
    day = forecast("telegram", [Slot(SEVEN, 100_000)], rate=30, grace=GRACE, now_utc=EARLY)
    (slot,) = day.slots
    assert slot.lateness == timedelta(seconds=100_000 / 30)  # 55 min 33 s
    assert (slot.skipped, day.skipped, day.short) == (0, 0, ())


def test_past_the_grace_window_the_rest_of_a_slot_is_skipped() -> None:
    day = forecast("telegram", [Slot(SEVEN, 400_000)], rate=30, grace=GRACE, now_utc=EARLY)
    (slot,) = day.slots
    assert slot.skipped == 400_000 - 3 * 3600 * 30  # 324,000 fit in three hours
    assert slot.lateness == GRACE
    assert day.short == (slot,)
    text = warning_text(day)
    assert "76,000 of today's 400,000" in text and "05:00 UTC" in text and "30 messages/s" in text


@pytest.mark.parametrize(("audience", "short"), [(324_000, False), (324_001, True)])
def test_the_warning_starts_exactly_where_the_window_ends(audience: int, short: bool) -> None:
    day = forecast("telegram", [Slot(SEVEN, audience)], rate=30, grace=GRACE, now_utc=EARLY)
    assert bool(day.short) is short


def test_a_slot_waits_for_the_backlog_of_the_slots_before_it() -> None:
    slots = [Slot(SEVEN, 90_000), Slot(SEVEN + timedelta(minutes=30), 9_000)]
    day = forecast("telegram", slots, rate=30, grace=GRACE, now_utc=EARLY)
    first, second = day.slots
    assert first.lateness == timedelta(minutes=50)
    # 20 minutes of the first slot are still queued when the second falls due.
    assert second.waiting == 20 * 60 * 30
    assert second.lateness == timedelta(minutes=20 + 5)
    assert [hour.count for hour in day.hourly()] == [99_000]


def test_slots_already_due_queue_from_now() -> None:
    now = SEVEN + timedelta(hours=2, minutes=50)  # the bot was down; ten minutes of grace left
    day = forecast("telegram", [Slot(SEVEN, 30_000)], rate=30, grace=GRACE, now_utc=now)
    assert day.slots[0].skipped == 30_000 - 600 * 30
    assert day.slots[0].waiting == 0


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="above zero"):
        forecast("telegram", [], rate=0, grace=GRACE, now_utc=EARLY)
