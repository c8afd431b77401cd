import pytest

from nudgebot.core.frequency import Frequency
from nudgebot.core.reengage import Reengagement, Stage, Step


def run(frequency: Frequency, missed: int) -> list[Step | None]:
    """The step of each nudge prepared after each of ``missed`` unanswered ones."""
    state, steps = Reengagement(), []
    for _ in range(missed):
        state = state.missed()
        state, step = state.next_step(frequency)
        steps.append(step)
    return steps


def test_the_nudge_after_seven_unanswered_asks_once():
    steps = run(Frequency.DAILY, 13)
    assert steps.index(Step.ASK) == 6
    assert steps.count(Step.ASK) == 1
    assert Step.SWITCH not in steps


def test_seven_more_unanswered_switch_to_three_times_a_week_once():
    steps = run(Frequency.DAILY, 60)
    assert steps.index(Step.SWITCH) == 13
    assert steps.count(Step.SWITCH) == 1
    assert steps.count(Step.ASK) == 1


def test_someone_already_on_three_times_a_week_is_asked_but_not_switched():
    steps = run(Frequency.THRICE, 30)
    assert steps.count(Step.ASK) == 1 and Step.SWITCH not in steps


@pytest.mark.parametrize("stage", list(Stage), ids=lambda s: s.name)
def test_a_tap_starts_it_all_over(stage):
    state = Reengagement(unanswered=20, stage=stage).pressed()
    assert state == Reengagement()
    assert state.next_step(Frequency.DAILY) == (state, None)
