"""Who hears of a correction: the rule, with no I/O.

When an item's text changes with its version (``correction`` in the content pack, not a
typo fix marked ``typo``), everyone who received an older version in the last
:data:`WINDOW_DAYS` days reads one line about it inside their next nudge, in their
language; never an extra message, and never twice for the same version. The store
hands :func:`corrections_due` what a subscriber received and was already told; the
nudge carries the notices it returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from nudgebot.core.content import ContentPack, Item, Lang

WINDOW_DAYS = 30
"""How far back a delivery of the old text still calls for the correction."""
MAX_NOTICES = 3
"""At most this many correction lines in one nudge; the rest wait for the next."""


@dataclass(frozen=True, slots=True)
class Received:
    """An item a subscriber received: which version, on which local day."""

    item_id: str
    version: int
    local_date: date


@dataclass(frozen=True, slots=True, order=True)
class Notice:
    """A correction to tell: the item and the version that corrected it."""

    item_id: str
    version: int


def corrected_items(pack: ContentPack) -> dict[str, int]:
    """Every item (series steps included) whose current version carries a correction."""
    items = [*pack.items, *(step for series in pack.series for step in series.steps)]
    return {item.id: item.version for item in items if item.correction_line("nl") is not None}


def corrections_due(
    received: Iterable[Received],
    told: Iterable[Notice],
    pack: ContentPack,
    *,
    today: date,
) -> tuple[Notice, ...]:
    """The corrections a subscriber's nudge on ``today`` carries, oldest item id first.

    An item counts when its newest version received in the window (today excluded: the
    day's own nudge is being decided) is older than the pack's, the pack's version tells
    a correction, and this version was not told yet.
    """
    corrected = corrected_items(pack)
    since = today - timedelta(days=WINDOW_DAYS)
    newest: dict[str, int] = {}
    for one in received:
        if one.item_id in corrected and since <= one.local_date < today:
            newest[one.item_id] = max(newest.get(one.item_id, 0), one.version)
    already = set(told)
    due = sorted(
        Notice(item_id, corrected[item_id])
        for item_id, version in newest.items()
        if version < corrected[item_id] and Notice(item_id, corrected[item_id]) not in already
    )
    return tuple(due[:MAX_NOTICES])


def notice_line(pack: ContentPack, notice: Notice, lang: Lang) -> tuple[str, str] | None:
    """The corrected item's title and its correction line in ``lang``, or None if gone."""
    item: Item | None = pack.get(notice.item_id)
    if item is None or item.version != notice.version:
        return None
    line = item.correction_line(lang)
    return None if line is None else (item.words(lang).title, line)
