"""Which item a subscriber gets on a given local date.

Two rules, both deterministic so that a retry, a restart or a second instance pick the
same item: a weekly rhythm decides the kind (tips most days, challenges and myths in
between), and within a kind no item repeats before the subscriber has seen every item
of that kind. The order inside a round is a per-subscriber shuffle, so two colleagues in
one Slack channel and their DMs do not all read the same tip on the same day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
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


def _rank(seed: str, round_no: int, item_id: str) -> bytes:
    return hashlib.blake2b(f"{seed}|{round_no}|{item_id}".encode(), digest_size=8).digest()


def pick_item(
    *,
    pack: ContentPack,
    local_date: date,
    seed: str,
    history: Sequence[str],
    frequency: Frequency = Frequency.DAILY,
) -> Item:
    """Today's item.

    Args:
        pack: the content.
        local_date: the subscriber's local date the nudge is for.
        seed: a stable per-subscriber string (its id).
        history: ids of items already delivered to the subscriber, oldest first, any kind.
        frequency: the subscriber's schedule, which sets the rhythm of kinds.
    """
    kind = kind_for(local_date, frequency)
    items = pack.of_kind(kind) or pack.items
    ids = {item.id for item in items}
    seen: set[str] = set()
    round_no = 0
    for item_id in history:
        if item_id in ids:
            seen.add(item_id)
            if seen == ids:
                seen.clear()
                round_no += 1
    fresh = [item for item in items if item.id not in seen]
    return min(fresh, key=lambda item: _rank(seed, round_no, item.id))
