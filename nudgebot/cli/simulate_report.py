"""What ``nudgebot simulate`` prints: delivery correctness first, then the habits.

Correctness: nudges per local day and kind, duplicates and misses (both must be 0, a
miss being a day the subscriber's schedule had a nudge and none came), repeats inside a
kind. Habits: streaks with freezes (as stored) beside the same histories replayed
without freezes, how many subscribers re-engagement asked and moved to three times a
week, and how many joined and finished a challenge series.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from rich.console import Console
from rich.table import Table
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.content import LANGUAGES, ContentPack
from nudgebot.core.frequency import Frequency, is_scheduled
from nudgebot.core.streaks import replay
from nudgebot.core.texts import say
from nudgebot.store.streaks import streak_of
from nudgebot.store.tables import Delivery, Engagement, SeriesProgress, StreakRow, Subscriber

BUCKETS = ("0", "1", "2-3", "4-7", "8-14", "15-30", "31+")


@dataclass(frozen=True, slots=True)
class Habits:
    """What the store says about everyone's habits at the end of the run."""

    answered: set[int]
    frequency: dict[str, str]
    series: list[SeriesProgress]


async def gather_habits(session: AsyncSession) -> Habits:
    answered = set((await session.exec(select(Engagement.delivery_id))).all())
    frequency = dict((await session.exec(select(Subscriber.address, Subscriber.frequency))).all())
    series = list((await session.exec(select(SeriesProgress))).all())
    return Habits(answered=answered, frequency=frequency, series=series)


def _said(texts: Mapping[int, str], key: str) -> set[int]:
    """Deliveries whose message carried the catalogue line ``key`` (in any language).

    A line with the pace in it is matched by what comes before the pace.
    """
    lines = {say(lang, key, pace="\0").split("\0")[0] for lang in LANGUAGES}
    return {delivery_id for delivery_id, text in texts.items() if any(x in text for x in lines)}


def _bucket(days: int) -> str:
    if days <= 1:
        return str(days)
    for upper, label in ((3, "2-3"), (7, "4-7"), (14, "8-14"), (30, "15-30")):
        if days <= upper:
            return label
    return "31+"


def _expected(first: date, last: date, chosen: Frequency, moved_on: date | None) -> int:
    """Days in ``first..last`` with a nudge in the schedule of that day."""
    count, day = 0, first
    while day <= last:
        frequency = Frequency.THRICE if moved_on is not None and day > moved_on else chosen
        count += is_scheduled(frequency, day)
        day += timedelta(days=1)
    return count


def print_report(
    console: Console,
    *,
    pack: ContentPack,
    chosen: Mapping[str, Frequency],
    rows: Sequence[tuple[Delivery, str]],
    streaks: Sequence[StreakRow],
    habits: Habits,
    windows: Mapping[str, tuple[date, date]],
    sends: Sequence[tuple[str, int, str]],
    texts: Mapping[int, str],
    summary_line: str,
) -> int:
    """Print everything; 1 if any duplicate, miss or repeat, else 0."""
    kinds_total = {k.value: len(pack.of_kind(k)) for k in {i.kind for i in pack.items}}
    moved_ids = _said(texts, "reengage_switched")
    asked_ids = _said(texts, "reengage_ask")
    per_day: dict[date, Counter[str]] = defaultdict(Counter)
    got: dict[str, list[Delivery]] = defaultdict(list)
    moved_on: dict[str, date] = {}
    asked: set[str] = set()
    for delivery, address in rows:
        if delivery.id in moved_ids:
            moved_on[address] = delivery.local_date
        if delivery.id in asked_ids:
            asked.add(address)
        first, last = windows[address]
        if first <= delivery.local_date <= last and delivery.status == "sent":
            per_day[delivery.local_date][delivery.kind] += 1
            got[address].append(delivery)
    send_counts = Counter(delivery_id for _, delivery_id, _ in sends)
    duplicates = sum(n - 1 for n in send_counts.values() if n > 1)
    missed = sum(
        _expected(first, last, chosen[address], moved_on.get(address)) - len(got[address])
        for address, (first, last) in windows.items()
    )
    repeats = sum(
        _repeats(sorted(got[a], key=lambda d: d.local_date), pack, kinds_total) for a in windows
    )

    table = Table(title="Nudges sent per local day")
    table.add_column("date")
    for kind in sorted(kinds_total):
        table.add_column(kind, justify="right")
    for day in sorted(per_day):
        table.add_row(str(day), *(str(per_day[day][k]) for k in sorted(kinds_total)))
    console.print(table)
    _print_streaks(console, rows=rows, streaks=streaks, habits=habits, subscribers=len(windows))
    per_subscriber = Counter(len(got[a]) for a in windows)
    console.print(
        f"subscribers: {len(windows)}; nudges each: {dict(sorted(per_subscriber.items()))}",
        soft_wrap=True,
    )
    chosen_counts = Counter(f.value for f in chosen.values())
    final_counts = Counter(str(f) for f in habits.frequency.values())  # "3x", not the member
    console.print(
        f"frequency chosen at sign-up: {dict(sorted(chosen_counts.items()))}; at the end: "
        f"{dict(sorted(final_counts.items()))}",
        soft_wrap=True,
    )
    console.print(
        f"re-engagement: asked {len(asked)} subscribers; moved to three times a week: "
        f"{len(moved_on)}",
        soft_wrap=True,
    )
    finished = sum(1 for row in habits.series if row.finished_on is not None)
    console.print(
        f"challenge series: joined {len(habits.series)}; finished {finished}; "
        f"still running {sum(1 for r in habits.series if r.finished_on is None)}",
        soft_wrap=True,
    )
    console.print(
        f"sent: {len(sends)}  duplicates: {duplicates}  missed: {missed}  "
        f"repeats inside a kind before it ran out: {repeats}  {summary_line}",
        soft_wrap=True,
    )
    return 0 if duplicates == 0 and missed == 0 and repeats == 0 else 1


def _print_streaks(
    console: Console,
    *,
    rows: Sequence[tuple[Delivery, str]],
    streaks: Sequence[StreakRow],
    habits: Habits,
    subscribers: int,
) -> None:
    """Best and current streaks as stored (with freezes) and replayed without them."""
    history: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for delivery, _ in sorted(rows, key=lambda row: row[0].local_date):
        if delivery.status == "sent":
            history[delivery.subscriber_id].append(
                (delivery.local_date, delivery.id in habits.answered)
            )
    without = {sid: replay(days, max_freezes=0) for sid, days in history.items()}
    # As /streak shows them: the last nudges, if unanswered, settled (frozen or ended).
    stored = [
        streak_of(row).settled(day for day, _ in history[row.subscriber_id])[0] for row in streaks
    ]
    columns = {
        "best": Counter(_bucket(s.best) for s in stored),
        "best, no freeze": Counter(_bucket(s.best) for s in without.values()),
        "current": Counter(_bucket(s.current) for s in stored),
        "current, no freeze": Counter(_bucket(s.current) for s in without.values()),
    }
    counted = {"with": len(streaks), "without": len(without)}
    table = Table(title="Streaks per subscriber, with freezes and replayed without")
    table.add_column("streak")
    for name in columns:
        table.add_column(name, justify="right")
    for bucket in BUCKETS:
        cells = []
        for name, counts in columns.items():
            kept = counted["without" if name.endswith("no freeze") else "with"]
            cells.append(str(counts.get(bucket, 0) + (subscribers - kept if bucket == "0" else 0)))
        table.add_row(bucket, *cells)
    console.print(table)
    frozen = sum(s.best for s in stored) - sum(s.best for s in without.values())
    console.print(f"days of best streak kept by freezes, all subscribers together: {frozen}")


def _repeats(deliveries: list[Delivery], pack: ContentPack, kinds_total: dict[str, int]) -> int:
    """Items seen again before every item of their kind was seen once (series steps aside)."""
    count = 0
    seen: dict[str, set[str]] = defaultdict(set)
    for delivery in deliveries:
        if pack.step_of(delivery.item_id) is not None:
            continue
        bag = seen[delivery.kind]
        if len(bag) == kinds_total[delivery.kind]:
            bag.clear()
        if delivery.item_id in bag:
            count += 1
        bag.add(delivery.item_id)
    return count
