"""``nudgebot simulate``: the real commands, engine and store on a simulated clock.

Subscribers in many time zones sign up through the same commands a chat user types,
the engine ticks whenever something is due (no sleeping), a recording adapter plays the
platform, and simulated people tap their buttons (sometimes twice). The report shows
what a product owner would ask: nudges per day and kind, duplicates and misses (both
must be 0), repeats inside a kind, and how streaks are distributed. The run starts on
1 March 2026 so that it crosses the American and European spring-forward days.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import func
from sqlmodel import select

from nudgebot.adapters.base import Delivered, SendResult
from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.outbound import Message
from nudgebot.core.render import parse_nudge_action
from nudgebot.core.timing import due_utc_on, next_due
from nudgebot.engine.delivery import DeliveryEngine, TickReport
from nudgebot.packs import load_pack
from nudgebot.settings import Settings
from nudgebot.store.db import open_store
from nudgebot.store.tables import Delivery, StreakRow, Subscriber

START_UTC = datetime(2026, 3, 1, tzinfo=UTC)
ZONES = (
    "Europe/Amsterdam",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
)


class SimClock:
    def __init__(self, start: datetime) -> None:
        self.now_utc = start

    def __call__(self) -> datetime:
        return self.now_utc


@dataclass
class SimPerson:
    chat: Chat
    zone: ZoneInfo
    local_time: time
    diligence: float

    def due_on(self, local_date: date) -> datetime:
        return due_utc_on(local_date, self.local_time, self.zone)


@dataclass
class RecordingAdapter:
    """Plays the platform: records every send, queues the person's taps for later."""

    platform: str = "sim"
    sends: list[tuple[str, int, str]] = field(default_factory=list)
    taps: list[tuple[str, str]] = field(default_factory=list)

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, recipient: Recipient, message: Message) -> SendResult:
        parsed = parse_nudge_action(message.buttons[0].action) if message.buttons else None
        delivery_id = parsed[0] if parsed else -1
        self.sends.append((recipient.address, delivery_id, message.title or ""))
        self.taps.extend((recipient.address, b.action) for b in message.buttons)
        return Delivered(ref=str(len(self.sends)))


async def simulate(
    settings: Settings,
    *,
    days: int,
    subscribers: int,
    seed: int,
    database_url: str | None,
    console: Console,
) -> int:
    """Run the simulation and print its report; exit code 1 if any duplicate or miss."""
    pack = load_pack(settings.content_dir)
    rng = random.Random(seed)
    clock = SimClock(START_UTC)
    with tempfile.TemporaryDirectory() as scratch:
        url = database_url or f"sqlite+aiosqlite:///{Path(scratch) / 'simulate.db'}"
        async with open_store(url) as sessions:
            commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
            adapter = RecordingAdapter()
            engine = DeliveryEngine(
                sessions=sessions, pack=pack, adapters={"sim": adapter}, clock=clock
            )
            started = perf_counter()
            people = await _sign_up(commands, rng, subscribers)
            by_address = {person.chat.recipient.address: person for person in people}
            windows = {p.chat.recipient.address: _window(p, days) for p in people}
            end_utc = max(
                person.due_on(windows[address][1]) for address, person in by_address.items()
            )
            totals = TickReport()
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("simulating", total=(end_utc - START_UTC).total_seconds())
                while clock.now_utc <= end_utc:
                    totals.add(await engine.tick())
                    await _tap(commands, adapter, by_address, rng)
                    progress.update(task, completed=(clock.now_utc - START_UTC).total_seconds())
                    async with sessions() as session:
                        upcoming = (
                            await session.exec(select(func.min(Subscriber.next_due_utc)))
                        ).one()
                    if upcoming is None:
                        break
                    clock.now_utc = max(upcoming, clock.now_utc + timedelta(seconds=30))
            elapsed = perf_counter() - started
            async with sessions() as session:
                rows = (
                    await session.exec(select(Delivery, Subscriber.address).join(Subscriber))
                ).all()
                streaks = (await session.exec(select(StreakRow))).all()
    return _report(
        console,
        rows=[(d, a) for d, a in rows],
        streaks=list(streaks),
        windows=windows,
        adapter=adapter,
        kinds_total={k.value: len(pack.of_kind(k)) for k in {i.kind for i in pack.items}},
        elapsed=elapsed,
        totals=totals,
    )


async def _sign_up(commands: Commands, rng: random.Random, count: int) -> list[SimPerson]:
    people = []
    for n in range(count):
        zone = ZONES[n % len(ZONES)]
        # Some wall times sit inside a spring-forward gap on purpose (02:30).
        hour, minute = (2, 30) if n % 25 == 0 else (rng.randint(6, 21), rng.choice((0, 15, 30, 45)))
        person = SimPerson(
            chat=Chat(recipient=Recipient("sim", f"p{n}"), language_hint=rng.choice(("nl", "en"))),
            zone=ZoneInfo(zone),
            local_time=time(hour, minute),
            diligence=rng.uniform(0.3, 0.98),
        )
        for text in ("/start", f"/tz {zone}", f"/time {person.local_time:%H:%M}"):
            await commands.handle(person.chat, text)
        people.append(person)
    return people


def _window(person: SimPerson, days: int) -> tuple[date, date]:
    """The local dates this person must get a nudge on: ``days`` of them from sign-up."""
    first, _ = next_due(local_time=person.local_time, tz=person.zone, after_utc=START_UTC)
    return first, first + timedelta(days=days - 1)


async def _tap(
    commands: Commands,
    adapter: RecordingAdapter,
    people: dict[str, SimPerson],
    rng: random.Random,
) -> None:
    """People answer their nudges: most of the time, now and then twice."""
    pending, adapter.taps = adapter.taps, []
    buttons: dict[str, list[str]] = defaultdict(list)
    for address, action in pending:
        buttons[address].append(action)
    for address, actions in buttons.items():
        person = people[address]
        action = rng.choice(actions)
        if rng.random() > person.diligence:
            continue
        await commands.press(person.chat, action)
        if rng.random() < 0.05:
            await commands.press(person.chat, action)


def _report(
    console: Console,
    *,
    rows: list[tuple[Delivery, str]],
    streaks: list[StreakRow],
    windows: dict[str, tuple[date, date]],
    adapter: RecordingAdapter,
    kinds_total: dict[str, int],
    elapsed: float,
    totals: TickReport,
) -> int:
    per_day: dict[date, Counter[str]] = defaultdict(Counter)
    got: dict[str, list[Delivery]] = defaultdict(list)
    for delivery, address in rows:
        first, last = windows[address]
        if first <= delivery.local_date <= last and delivery.status == "sent":
            per_day[delivery.local_date][delivery.kind] += 1
            got[address].append(delivery)
    send_counts = Counter(delivery_id for _, delivery_id, _ in adapter.sends)
    duplicates = sum(n - 1 for n in send_counts.values() if n > 1)
    missed = sum(
        (last - first).days + 1 - len(got[address]) for address, (first, last) in windows.items()
    )
    repeats = sum(
        _repeats(sorted(got[a], key=lambda d: d.local_date), kinds_total) for a in windows
    )

    table = Table(title="Nudges sent per local day")
    table.add_column("date")
    for kind in sorted(kinds_total):
        table.add_column(kind, justify="right")
    for day in sorted(per_day):
        table.add_row(str(day), *(str(per_day[day][k]) for k in sorted(kinds_total)))
    console.print(table)
    buckets = Counter(_bucket(s.best) for s in streaks)
    streak_table = Table(title="Best streak per subscriber (days)")
    streak_table.add_column("streak")
    streak_table.add_column("subscribers", justify="right")
    for bucket in ("0", "1", "2-3", "4-7", "8-14", "15+"):
        streak_table.add_row(
            bucket, str(buckets.get(bucket, 0) if bucket != "0" else len(windows) - len(streaks))
        )
    console.print(streak_table)
    per_subscriber = Counter(len(got[a]) for a in windows)
    console.print(
        f"subscribers: {len(windows)}; nudges each: {dict(per_subscriber)}", soft_wrap=True
    )
    console.print(
        f"sent: {len(adapter.sends)}  duplicates: {duplicates}  missed: {missed}  "
        f"repeats inside a kind before it ran out: {repeats}  retries: {totals.retried}  "
        f"skipped late: {totals.skipped_late}",
        soft_wrap=True,
    )
    console.print(f"wall time: {elapsed:.1f} s")
    return 0 if duplicates == 0 and missed == 0 and repeats == 0 else 1


def _repeats(deliveries: list[Delivery], kinds_total: dict[str, int]) -> int:
    """Items seen again before every item of their kind was seen once."""
    count = 0
    seen: dict[str, set[str]] = defaultdict(set)
    for delivery in deliveries:
        bag = seen[delivery.kind]
        if len(bag) == kinds_total[delivery.kind]:
            bag.clear()
        if delivery.item_id in bag:
            count += 1
        bag.add(delivery.item_id)
    return count


def _bucket(best: int) -> str:
    if best <= 1:
        return str(best)
    for upper, label in ((3, "2-3"), (7, "4-7"), (14, "8-14")):
        if best <= upper:
            return label
    return "15+"
