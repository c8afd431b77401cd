"""Which of today's allowed items comes first, learned from answers: a recovering, sleeping bandit.

The rotation (:mod:`nudgebot.core.planner`) still decides which items *may* come today:
today's kind of the weekly mix, none repeated inside the round, series steps apart, and
only items of the loaded pack (which passed its checks). This module only orders those
candidates, after the recovering, sleeping bandit of Duolingo's reminders (Yancey &
Settles, KDD 2020):

* **sleeping**: an arm only counts where it applies. Items are compared only with the
  other candidates of the same day, and an item's audience value is its answer rate
  relative to its kind's (the days it could have been chosen), so a myth is never
  judged against a tip's easier "got it".
* **value from answers**, pooled over the audience as the prior and per subscriber as
  they answer: the subscriber's answers per tag shrink towards the audience's value,
  so a new subscriber gets what works for everyone and a regular gets what works for
  them. An unanswered nudge counts as "no"; "done", "got it" and a myth judged count as
  "yes".
* **recovering**: an item, and more so its tags, lose value when sent recently and
  regain it with every day of rest.

There is no randomness: a small exploration bonus for tags the subscriber has seen
little replaces sampling, and ties go to the subscriber's shuffle, so the choice is a
pure function of the state (a retry, a restart and a second instance agree, and tests
can pin it). The constants are fixed, stated here and in docs/learning.md; they were set
before the simulation measured anything, not tuned on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from nudgebot.core.content import Item
from nudgebot.core.planner import Chooser, shuffle_rank

AUDIENCE_WEIGHT = 20.0
"""How many answers' worth the kind's rate weighs against an item's own audience rate."""

SUBSCRIBER_WEIGHT = 4.0
"""How many answers' worth the audience's value weighs against a subscriber's own, per tag."""

EXPLORATION = 0.3
"""Weight of the bonus for tags a subscriber has seen little (an upper confidence bound)."""

TAG_REST_DAYS = 2.0
"""A tag sent yesterday is worth half; the loss halves again every this many days."""

ITEM_REST_DAYS = 14.0
"""An item's own recovery: the loss after a send halves every this many days."""


@dataclass(frozen=True, slots=True)
class Tally:
    """Nudges sent and answered (of one item, kind or tag)."""

    sent: int = 0
    answered: int = 0

    def add(self, answered: bool) -> Tally:
        return Tally(self.sent + 1, self.answered + answered)

    def rate(self, prior: float, weight: float) -> float:
        """The answer rate, shrunk towards ``prior`` as if it held ``weight`` answers."""
        return (self.answered + prior * weight) / (self.sent + weight)


_NONE = Tally()


@dataclass(frozen=True, slots=True)
class Audience:
    """Answers pooled over every subscriber who learns: per item and per kind."""

    items: Mapping[str, Tally] = field(default_factory=dict)
    kinds: Mapping[str, Tally] = field(default_factory=dict)

    def value(self, item: Item) -> float:
        """The item's answer rate, shrunk towards its kind's (its sleeping baseline)."""
        # Kind is a StrEnum: the member finds its value's key, without the slow ``.value``.
        kind = self.kinds.get(item.kind, _NONE).rate(0.5, 2.0)
        return self.items.get(item.id, _NONE).rate(kind, AUDIENCE_WEIGHT)

    def after(self, item: Item, answered: bool) -> Audience:
        kind = item.kind.value
        return Audience(
            {**self.items, item.id: self.items.get(item.id, Tally()).add(answered)},
            {**self.kinds, kind: self.kinds.get(kind, Tally()).add(answered)},
        )


@dataclass(frozen=True, slots=True)
class Taste:
    """What one subscriber's answers say, and when each item and tag was last sent.

    ``overall`` holds every answer of theirs (their own baseline); ``tags`` the answers to
    items carrying each tag; the dates drive recovery.
    """

    overall: Tally = Tally()
    tags: Mapping[str, Tally] = field(default_factory=dict)
    last_tag: Mapping[str, date] = field(default_factory=dict)
    last_item: Mapping[str, date] = field(default_factory=dict)

    def sent(self, item: Item, local_date: date) -> Taste:
        """The taste once ``item`` went out on ``local_date`` (before any answer)."""
        return replace(
            self,
            last_tag={**self.last_tag, **dict.fromkeys(item.tags, local_date)},
            last_item={**self.last_item, item.id: local_date},
        )

    def answered(self, item: Item, answered: bool) -> Taste:
        """The taste once ``item``'s nudge was answered, or its day ended without one."""
        tags = dict(self.tags)
        for tag in item.tags:
            tags[tag] = tags.get(tag, Tally()).add(answered)
        return replace(self, overall=self.overall.add(answered), tags=tags)


def _rested(last: date | None, today: date, half_life: float) -> float:
    """1.0 for never sent; a half after one day, recovering towards 1.0 with rest."""
    if last is None:
        return 1.0
    days = max((today - last).days, 1)
    return 1.0 - 0.5 * math.pow(0.5, (days - 1) / half_life)


def score(item: Item, *, taste: Taste, audience: Audience, local_date: date) -> float:
    """The item's value for this subscriber today: higher comes first.

    Audience value × the subscriber's lift for the item's tags (+ exploration), × the
    recovery of the item and of its most recently sent tag.
    """
    prior = audience.value(item)
    own = taste.overall.rate(prior, SUBSCRIBER_WEIGHT)
    lift, seen = 1.0, 0.0
    if item.tags:
        lifts = []
        for tag in item.tags:
            tally = taste.tags.get(tag, _NONE)
            lifts.append(tally.rate(own, SUBSCRIBER_WEIGHT) / own)
            seen += tally.sent
        lift, seen = sum(lifts) / len(lifts), seen / len(item.tags)
    value = min(prior * lift, 1.0)
    bonus = EXPLORATION * math.sqrt(value * (1.0 - value) / (SUBSCRIBER_WEIGHT + seen))
    tag_rest = min(
        (_rested(taste.last_tag.get(tag), local_date, TAG_REST_DAYS) for tag in item.tags),
        default=1.0,
    )
    item_rest = _rested(taste.last_item.get(item.id), local_date, ITEM_REST_DAYS)
    return (value + bonus) * tag_rest * item_rest


def choose(
    candidates: Sequence[Item],
    *,
    taste: Taste,
    audience: Audience,
    local_date: date,
    seed: str,
    round_no: int,
) -> Item:
    """The candidate with the highest :func:`score`; ties go to the subscriber's shuffle.

    ``candidates`` are the items the rotation allows today; nothing else can come out.
    """
    if not candidates:
        raise ValueError("nothing to choose from")
    rank = shuffle_rank(seed, round_no)
    return min(
        candidates,
        key=lambda item: (
            -round(score(item, taste=taste, audience=audience, local_date=local_date), 9),
            rank(item),
        ),
    )


def chooser(*, taste: Taste, audience: Audience, local_date: date) -> Chooser:
    """:func:`choose` for one subscriber's day, in the shape the planner takes."""

    def learned(candidates: Sequence[Item], seed: str, round_no: int) -> Item:
        return choose(
            candidates,
            taste=taste,
            audience=audience,
            local_date=local_date,
            seed=seed,
            round_no=round_no,
        )

    return learned
