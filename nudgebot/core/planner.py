"""Which item a subscriber gets on a given local date.

Two rules, both deterministic so that a retry, a restart or a second instance pick the
same item: a weekly rhythm decides the kind (tips most days, challenges and myths in
between), and within a kind no item repeats before the subscriber has seen every item
of that kind. The order inside a round is a per-subscriber shuffle, so two colleagues in
one Slack channel and their DMs do not all read the same tip on the same day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from nudgebot.core.content import ContentPack, Item, Kind
from nudgebot.core.frequency import Frequency, scheduled_index

WEEKLY_RHYTHM: tuple[Kind, ...] = (
    Kind.TIP,  # Monday
    Kind.CHALLENGE,
    Kind.MYTH,
    Kind.TIP,
    Kind.CHALLENGE,
    Kind.MYTH,
    Kind.TIP,  # Sunday
)
"""Kinds for seven nudges in a row: 3 tips, 2 challenges and 2 myths.

For daily nudges these are the weekdays; other frequencies run through the same seven
over their own nudge days (see :mod:`nudgebot.core.frequency`).
"""


def rhythm_without(dropped: frozenset[Kind] = frozenset()) -> tuple[Kind, ...]:
    """The weekly rhythm over the kinds kept: their shares stay as they were among them.

    Without myths it is 3 tips and 2 challenges in every 5 nudges; without tips and
    challenges, myths only. At least one kind is always kept (:func:`parse_kinds`), so
    the rhythm is never empty; if it were, every kind would come.
    """
    kept = tuple(kind for kind in WEEKLY_RHYTHM if kind not in dropped)
    return kept or WEEKLY_RHYTHM


def kind_for(
    local_date: date,
    frequency: Frequency = Frequency.DAILY,
    dropped: frozenset[Kind] = frozenset(),
) -> Kind:
    rhythm = rhythm_without(dropped) if dropped else WEEKLY_RHYTHM
    return rhythm[scheduled_index(frequency, local_date) % len(rhythm)]


def parse_kinds(stored: str) -> frozenset[Kind]:
    """The stored comma-separated dropped kinds; unknown names (old data) are ignored."""
    known = {kind.value: kind for kind in Kind}
    dropped = frozenset(known[name] for name in stored.split(",") if name in known)
    return dropped if len(dropped) < len(Kind) else frozenset()


def format_kinds(dropped: frozenset[Kind]) -> str:
    """How dropped kinds are stored: ``"myth"``, ``"challenge,myth"``, or ``""``."""
    return ",".join(sorted(kind.value for kind in dropped))


@dataclass(frozen=True, slots=True)
class Rotation:
    """Where a subscriber stands in one kind's round: O(1) state instead of their history.

    ``seen`` holds the ids already sent in round ``round_no``; items that left the pack
    since are ignored, and a round whose every current item was seen starts the next.
    """

    round_no: int = 0
    seen: frozenset[str] = frozenset()

    def after(self, item_id: str) -> Rotation:
        """The state once ``item_id`` has been sent (a repeat means a new round began)."""
        if item_id in self.seen:
            return Rotation(self.round_no + 1, frozenset((item_id,)))
        return Rotation(self.round_no, self.seen | {item_id})


Chooser = Callable[[Sequence[Item], str, int], Item]
"""Picks one of the fresh items of a round: (candidates, seed, round number) -> item.

The rotation decides *which* items may come today; a chooser only orders them. The
default is the subscriber's shuffle (:func:`shuffled_first`); :mod:`nudgebot.core.bandit`
orders them by what the subscriber's answers say.
"""


def pick_item(
    *,
    pack: ContentPack,
    local_date: date,
    seed: str,
    rotation: Rotation,
    frequency: Frequency = Frequency.DAILY,
    choose: Chooser | None = None,
    dropped: frozenset[Kind] = frozenset(),
) -> tuple[Item, Rotation]:
    """Today's item, and the subscriber's rotation in that kind once it is sent.

    Args:
        pack: the content.
        local_date: the subscriber's local date the nudge is for.
        seed: a stable per-subscriber string (its id).
        rotation: the subscriber's state in :func:`kind_for` ``(local_date, frequency)``.
        frequency: the subscriber's schedule, which sets the rhythm of kinds.
        choose: which of the round's fresh items comes first (default: the shuffle).
        dropped: the kinds the subscriber chose not to get (``/kinds``).
    """
    fresh, rotation = fresh_items(pool_for(pack, local_date, frequency, dropped), rotation)
    item = (choose or shuffled_first)(fresh, seed, rotation.round_no)
    if not any(item is candidate for candidate in fresh):  # identity: cheap, and exact
        raise ValueError(f"the chooser picked {item.id}, which may not come today")
    return item, rotation.after(item.id)


def fresh_items(items: Sequence[Item], rotation: Rotation) -> tuple[Sequence[Item], Rotation]:
    """The items of ``items`` not yet sent this round, and the rotation they belong to.

    A round whose every current item was seen starts the next one with all of them.
    """
    fresh = [item for item in items if item.id not in rotation.seen]
    if not fresh:
        return list(items), Rotation(rotation.round_no + 1)
    return fresh, rotation


def shuffle_rank(seed: str, round_no: int) -> Callable[[Item], bytes]:
    """The subscriber's shuffle of a round: blake2b("seed|round|item id"), lowest first.

    The shared prefix is hashed once per pick: a batch picks for every nudge, and
    formatting the whole key per item showed in its profile.
    """
    prefix = hashlib.blake2b(f"{seed}|{round_no}|".encode(), digest_size=8)

    def rank(item: Item) -> bytes:
        hashed = prefix.copy()
        hashed.update(item.id.encode())
        return hashed.digest()

    return rank


def shuffled_first(candidates: Sequence[Item], seed: str, round_no: int) -> Item:
    """The fixed rotation's choice: the first of the candidates in the subscriber's shuffle."""
    return min(candidates, key=shuffle_rank(seed, round_no))


def pool_for(
    pack: ContentPack,
    local_date: date,
    frequency: Frequency = Frequency.DAILY,
    dropped: frozenset[Kind] = frozenset(),
) -> tuple[Item, ...]:
    """The items a date chooses from: its kind's, or every item if the pack has none."""
    return pack.of_kind(kind_for(local_date, frequency, dropped)) or pack.items
