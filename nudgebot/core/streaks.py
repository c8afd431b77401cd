"""Streak arithmetic (invariant 5): a streak counts local days, each day once.

A day counts when the subscriber answers that day's nudge: ✅ done on a challenge, an
answer on a myth, 👌 got it on a tip. Taps on one day after the first change nothing,
whatever the number of taps, members or instances.

A streak is a run of *answered nudges*. Days without a nudge (a pause, a day off in a
weekdays or three-times-a-week schedule, a day skipped after downtime, a failed send)
neither count nor break it. A nudge received and left unanswered ends the streak, unless
the subscriber holds a *freeze*: one is earned for every :data:`FREEZE_EVERY` answered
nudges in a row, at most :data:`MAX_FREEZES` held, and a missed nudge uses one instead.

The state is stored, never recomputed from the delivery history, so deleting old rows
(retention) changes nobody's streak. Whether a nudge went unanswered is known only when
the next one is prepared: :meth:`Streak.settled` books it then, and the nudge being
prepared says what happened ("your streak is safe: 1 freeze used, 0 left"). The store
applies each transition with a compare-and-set, so these functions are the whole rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

MILESTONES = (3, 7, 14, 30, 60, 100)
FREEZE_EVERY = 7
MAX_FREEZES = 2


@dataclass(frozen=True, slots=True)
class Settlement:
    """What booking the missed nudges did, for the line in the next nudge."""

    freezes_used: int = 0
    freezes_left: int = 0
    broken: bool = False
    missed: int = 0


@dataclass(frozen=True, slots=True)
class Streak:
    """A subscriber's streak.

    Attributes:
        current: answered nudges in a row (frozen ones bridge, they do not count).
        best: the longest ``current`` ever.
        last_day: the last local day that was answered, or bridged by a freeze.
        settled_day: the last nudge received whose outcome is booked.
        freezes: freezes held.
        run: answered nudges in a row towards the next freeze.
        milestone: a milestone reached and not yet congratulated (0: none).
    """

    current: int = 0
    best: int = 0
    last_day: date | None = None
    settled_day: date | None = None
    freezes: int = 0
    run: int = 0
    milestone: int = 0

    def counted(self, local_date: date, *, max_freezes: int = MAX_FREEZES) -> Streak:
        """The streak once ``local_date`` is answered; unchanged if that day or a later one was.

        The streak continues when the nudge before (``settled_day``) was answered or
        frozen; :meth:`settled` has booked it when today's nudge was prepared.
        """
        if self.last_day is not None and local_date <= self.last_day:
            return self
        continues = self.last_day is not None and self.last_day == self.settled_day
        current = self.current + 1 if continues else 1
        run = self.run + 1 if continues else 1
        freezes = self.freezes
        if run >= FREEZE_EVERY:
            run = 0
            freezes = min(max_freezes, freezes + 1)
        return replace(
            self,
            current=current,
            best=max(self.best, current),
            last_day=local_date,
            freezes=freezes,
            run=run,
            milestone=current if current in MILESTONES else self.milestone,
        )

    def settled(self, received: Iterable[date]) -> tuple[Streak, Settlement]:
        """Book nudges received after ``settled_day``: answered, frozen, or the end of it.

        ``received`` are the local dates of nudges surely received before the one being
        prepared, in any order; dates already settled are ignored.
        """
        streak, used, broken, missed = self, 0, False, 0
        for day in sorted(received):
            if streak.settled_day is not None and day <= streak.settled_day:
                continue
            answered = streak.last_day is not None and day <= streak.last_day
            if answered:
                streak = replace(streak, settled_day=day)
                continue
            missed += 1
            if streak.freezes > 0:
                used += 1
                streak = replace(
                    streak, freezes=streak.freezes - 1, last_day=day, settled_day=day, run=0
                )
            else:
                broken = broken or streak.current > 0
                streak = replace(streak, current=0, run=0, settled_day=day)
        settlement = Settlement(
            freezes_used=used, freezes_left=streak.freezes, broken=broken, missed=missed
        )
        return streak, settlement

    def announced(self) -> Streak:
        """The streak once its pending milestone has been congratulated."""
        return replace(self, milestone=0)


def next_milestone(current: int) -> int:
    """The next goal after ``current``: a milestone, then every further 50 days."""
    for milestone in MILESTONES:
        if milestone > current:
            return milestone
    return (current // 50 + 1) * 50


def replay(days: Iterable[tuple[date, bool]], *, max_freezes: int = MAX_FREEZES) -> Streak:
    """The streak after a history of nudges (local date, answered), oldest first.

    For reports and tests only (``nudgebot simulate`` compares streaks with and without
    freezes): the bot itself never recomputes a streak from history.
    """
    streak = Streak()
    for day, answered in days:
        if answered:
            streak = streak.counted(day, max_freezes=max_freezes)
        streak, _ = streak.settled([day])
    return streak


def last_days_marks(
    *, answered: set[date], received: set[date], today: date, count: int = 14
) -> str:
    """The last ``count`` days, oldest first: ✅ answered, ❌ left unanswered, · no nudge.

    Today's nudge, while today lasts, is ▫️ (still open), not ❌.
    """
    marks = []
    for offset in range(count - 1, -1, -1):
        day = today - timedelta(days=offset)
        if day in answered:
            marks.append("✅")
        elif day in received:
            marks.append("▫️" if day == today else "❌")
        else:
            marks.append("·")
    return "".join(marks)
