"""Which item a subscriber gets on a given local date.

Two rules, both deterministic so that a retry, a restart or a second instance pick the
same item: a weekly rhythm decides the kind (tips most days, challenges and myths in
between), and within a kind no item repeats before the subscriber has seen every item
of that kind. The order inside a round is a per-subscriber shuffle, so two colleagues in
one Slack channel and their DMs do not all read the same tip on the same day.
"""

from __future__ import annotations

import hashlib
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


def kind_for(local_date: date, frequency: Frequency = Frequency.DAILY) -> Kind:
    return WEEKLY_RHYTHM[scheduled_index(frequency, local_date) % len(WEEKLY_RHYTHM)]


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


def pick_item(
    *,
    pack: ContentPack,
    local_date: date,
    seed: str,
    rotation: Rotation,
    frequency: Frequency = Frequency.DAILY,
) -> tuple[Item, Rotation]:
    """Today's item, and the subscriber's rotation in that kind once it is sent.

    Args:
        pack: the content.
        local_date: the subscriber's local date the nudge is for.
        seed: a stable per-subscriber string (its id).
        rotation: the subscriber's state in :func:`kind_for` ``(local_date, frequency)``.
        frequency: the subscriber's schedule, which sets the rhythm of kinds.
    """
    items = pool_for(pack, local_date, frequency)
    fresh = [item for item in items if item.id not in rotation.seen]
    round_no = rotation.round_no
    if not fresh:
        fresh, round_no = list(items), round_no + 1
        rotation = Rotation(round_no)
    # Items are ranked by blake2b("seed|round|item id"), the subscriber's shuffle. The
    # shared prefix is hashed once per pick: a batch picks for every nudge, and
    # formatting the whole key per item showed in its profile.
    prefix = hashlib.blake2b(f"{seed}|{round_no}|".encode(), digest_size=8)

    def rank(item: Item) -> bytes:
        hashed = prefix.copy()
        hashed.update(item.id.encode())
        return hashed.digest()

    item = min(fresh, key=rank)
    return item, rotation.after(item.id)


def pool_for(
    pack: ContentPack, local_date: date, frequency: Frequency = Frequency.DAILY
) -> tuple[Item, ...]:
    """The items a date chooses from: its kind's, or every item if the pack has none."""
    return pack.of_kind(kind_for(local_date, frequency)) or pack.items
