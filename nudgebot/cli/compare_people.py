"""The simulated people of ``nudgebot simulate --compare``: their tastes, stated up front.

Every number here was fixed before the learning code was tuned (and it was not tuned on
them afterwards); the report prints :data:`DISTRIBUTIONS` so that a reader can judge
the population the lift was measured on. They are assumptions, not findings: nothing
here was fitted to real subscribers.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from nudgebot.core.content import Item, Kind

NOTHING_HELPS = 0.15
LIKED_TAG, DISLIKED_TAG = 0.25, 0.15
LIKED, DISLIKED = 1.8, 0.4
MAX_CHANCE = 0.97

DISTRIBUTIONS = (
    f"{NOTHING_HELPS:.0%} are people for whom nothing helps: they answer 3% of nudges, "
    "whatever comes, and opt out after an unanswered one with a chance of 2-8%.",
    "Everyone else answers an average nudge with a chance drawn from Beta(2.5, 2.5) "
    "(mean 50%), times a taste per kind drawn from LogNormal(0, 0.25).",
    f"Each tag of the pack is liked by {LIKED_TAG:.0%} of them (x{LIKED}) and disliked by "
    f"{DISLIKED_TAG:.0%} (x{DISLIKED}); an item counts the mean over its tags.",
    "Fatigue: a tag seen d days ago lowers the chance by f x 0.5^(d-1), f ~ Uniform(0, 0.6).",
    "Fading: the chance halves every h days after sign-up, h ~ Uniform(30, 240).",
    "After an unanswered nudge they opt out with a chance ~ Uniform(0, 3%).",
    f"The chance of answering is capped at {MAX_CHANCE:.0%}; everyone gets a nudge every day.",
)
"""The population, in words, as the report and docs/learning.md state it."""


@dataclass(frozen=True, slots=True)
class Person:
    """One simulated subscriber's tastes (see :data:`DISTRIBUTIONS`)."""

    base: float
    kinds: dict[Kind, float]
    tags: dict[str, float]
    fatigue: float
    fade_days: float
    quits: float

    def chance(self, item: Item, day: int, tag_seen: dict[str, int]) -> float:
        """The chance they answer ``item`` on ``day`` (days since sign-up).

        ``tag_seen`` holds the day each tag was last sent to them.
        """
        chance = self.base * self.kinds.get(item.kind, 1.0) * math.pow(0.5, day / self.fade_days)
        if item.tags:
            chance *= sum(self.tags.get(tag, 1.0) for tag in item.tags) / len(item.tags)
            recent = max(
                (math.pow(0.5, day - tag_seen[tag] - 1) for tag in item.tags if tag in tag_seen),
                default=0.0,
            )
            chance *= 1.0 - self.fatigue * recent
        return min(chance, MAX_CHANCE)


def draw_people(rng: random.Random, count: int, tags: Sequence[str]) -> list[Person]:
    """``count`` people drawn from :data:`DISTRIBUTIONS`, the same for the same ``rng``."""
    people = []
    for _ in range(count):
        if rng.random() < NOTHING_HELPS:
            people.append(Person(0.03, {}, {}, 0.0, 1e9, rng.uniform(0.02, 0.08)))
            continue
        liked: dict[str, float] = {}
        for tag in tags:
            roll = rng.random()
            if roll < LIKED_TAG:
                liked[tag] = LIKED
            elif roll < LIKED_TAG + DISLIKED_TAG:
                liked[tag] = DISLIKED
        people.append(
            Person(
                base=rng.betavariate(2.5, 2.5),
                kinds={kind: rng.lognormvariate(0.0, 0.25) for kind in Kind},
                tags=liked,
                fatigue=rng.uniform(0.0, 0.6),
                fade_days=rng.uniform(30.0, 240.0),
                quits=rng.uniform(0.0, 0.03),
            )
        )
    return people
