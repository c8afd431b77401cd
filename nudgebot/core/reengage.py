"""Quiet re-engagement: nobody is nagged daily for months.

After :data:`ASK_AFTER` unanswered nudges in a row, the next nudge asks once whether to
keep the pace, go to three times a week, or stop. With no answer after
:data:`SWITCH_AFTER` more, the bot moves a daily or weekdays subscriber to three times a
week by itself and says so once; after that it asks nothing more. A press on any
button starts it all over. Pure: the store keeps the state and applies the steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nudgebot.core.frequency import Frequency

ASK_AFTER = 7
SWITCH_AFTER = 7


class Stage(StrEnum):
    QUIET = ""
    ASKED = "asked"
    SWITCHED = "switched"


class Step(StrEnum):
    """What the nudge being prepared does about it."""

    ASK = "ask"
    SWITCH = "switch"


@dataclass(frozen=True, slots=True)
class Reengagement:
    unanswered: int = 0
    stage: Stage = Stage.QUIET

    def missed(self, count: int = 1) -> Reengagement:
        return Reengagement(unanswered=self.unanswered + count, stage=self.stage)

    def pressed(self) -> Reengagement:
        """Any press on any button, a nudge's or another: it all starts over."""
        return Reengagement()

    def next_step(self, frequency: Frequency) -> tuple[Reengagement, Step | None]:
        """The state and the step for the nudge now being prepared."""
        if self.stage is Stage.QUIET and self.unanswered >= ASK_AFTER:
            return Reengagement(self.unanswered, Stage.ASKED), Step.ASK
        if self.stage is Stage.ASKED and self.unanswered >= ASK_AFTER + SWITCH_AFTER:
            switched = Reengagement(self.unanswered, Stage.SWITCHED)
            if frequency is Frequency.THRICE:
                return switched, None
            return switched, Step.SWITCH
        return self, None
