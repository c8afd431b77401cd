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
    """Answers pooled over every subscriber who learns: per item and per kind.

    Values are cached per item (a batch scores every candidate of every nudge against one
    audience), so the tallies must not change under an Audience: build a new one.
    """

    items: Mapping[str, Tally] = field(default_factory=dict)
    kinds: Mapping[str, Tally] = field(default_factory=dict)
    _values: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def kind_rate(self, kind: str) -> float:
        """The answer rate of a kind: the sleeping baseline of its items."""
        return self.kinds.get(kind, _NONE).rate(0.5, 2.0)

    def value(self, item: Item) -> float:
        """The item's answer rate, shrunk towards its kind's (its sleeping baseline)."""
        found = self._values.get(item.id)
        if found is None:
            # Kind is a StrEnum: the member finds its value's key, without the slow ``.value``.
            kind = self.kind_rate(item.kind)
            found = self._values[item.id] = self.items.get(item.id, _NONE).rate(
                kind, AUDIENCE_WEIGHT
            )
        return found

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


class _Day:
    """One subscriber's day: each tag's lift, exposure and rest worked out once.

    A batch scores every candidate of every nudge; per tag rather than per item and tag
    keeps learning's share of a batch small (benchmarks/pipeline.py).
    """

    __slots__ = ("_tags", "audience", "local_date", "taste")

    def __init__(self, taste: Taste, audience: Audience, local_date: date) -> None:
        self.taste, self.audience, self.local_date = taste, audience, local_date
        self._tags: dict[tuple[str, str], tuple[float, int, float]] = {}

    def _tag(self, kind: str, tag: str) -> tuple[float, int, float]:
        found = self._tags.get((kind, tag))
        if found is None:
            # Their own rate, shrunk towards the kind's: what a tag's rate is compared to.
            own = self.taste.overall.rate(self.audience.kind_rate(kind), SUBSCRIBER_WEIGHT)
            tally = self.taste.tags.get(tag, _NONE)
            rest = _rested(self.taste.last_tag.get(tag), self.local_date, TAG_REST_DAYS)
            lift = tally.rate(own, SUBSCRIBER_WEIGHT) / own if tally.sent else 1.0
            found = (lift, tally.sent, rest)
            self._tags[(kind, tag)] = found
        return found

    def score(self, item: Item) -> float:
        # The hot loop of a batch's learning: cache lookups inlined, no generator.
        prior = self.audience._values.get(item.id)
        if prior is None:
            prior = self.audience.value(item)
        lift, seen, tag_rest = 1.0, 0.0, 1.0
        tags = item.tags
        if tags:
            lifts = 0.0
            cached = self._tags
            for tag in tags:
                found = cached.get((item.kind, tag)) or self._tag(item.kind, tag)
                lifts += found[0]
                seen += found[1]
                if found[2] < tag_rest:
                    tag_rest = found[2]
            lift, seen = lifts / len(tags), seen / len(tags)
        last = self.taste.last_item.get(item.id)
        item_rest = 1.0 if last is None else _rested(last, self.local_date, ITEM_REST_DAYS)
        return _worth(prior * lift, seen, tag_rest * item_rest)


def _worth(value: float, seen: float, rest: float) -> float:
    """Value plus the exploration bonus, times the rest: the score, rounded.

    Rounded to 9 digits, so that float noise never breaks a tie.
    """
    value = min(value, 1.0)
    bonus = EXPLORATION * math.sqrt(value * (1.0 - value) / (SUBSCRIBER_WEIGHT + seen))
    return round((value + bonus) * rest, 9)


def score(item: Item, *, taste: Taste, audience: Audience, local_date: date) -> float:
    """The item's value for this subscriber today: higher comes first.

    Audience value × the subscriber's lift for the item's tags (their answers to each tag
    against their own rate) + exploration, × the recovery of the item and of its most
    recently sent tag. Rounded to 9 digits, so that float noise never breaks a tie.
    """
    return _Day(taste, audience, local_date).score(item)


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
    Only tied candidates are hashed for the shuffle.
    """
    if not candidates:
        raise ValueError("nothing to choose from")
    if not (taste.overall.sent or taste.last_tag or taste.last_item):
        # Nothing known about them yet: every lift is 1, nothing seen, nothing resting,
        # so each score is the audience's value with its bonus: the same numbers as
        # scoring in full, without the per-tag work.
        scores = [_worth(audience.value(item), 0.0, 1.0) for item in candidates]
    else:
        day = _Day(taste, audience, local_date)
        scores = [day.score(item) for item in candidates]
    best = max(scores)
    tied = [item for item, value in zip(candidates, scores, strict=True) if value == best]
    return tied[0] if len(tied) == 1 else min(tied, key=shuffle_rank(seed, round_no))


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
