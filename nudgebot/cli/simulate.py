"""``nudgebot simulate``: the real commands, engine and store on a simulated clock.

Subscribers in many time zones sign up through the same commands a chat user types,
the engine ticks whenever something is due (no sleeping), a recording adapter plays the
platform, and simulated people tap their buttons (sometimes twice). The report shows
what a product owner would ask: nudges per day and kind, duplicates and misses (both
must be 0), repeats inside a kind, and how streaks are distributed. The run starts on
1 March 2026 so that it crosses the American and European spring-forward days.

A run kept in a database of the operator's (``--database``) is for looking at with
``nudgebot stats`` or the admin console, whose windows end today: it starts
:func:`recent_start` instead, so that its last nudges fall just before now.
"""

from __future__ import annotations

import random
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import Progress
from sqlmodel import select

from nudgebot.cli.simulate_report import gather_habits, print_report
from nudgebot.commands import Commands
from nudgebot.core.actions import JoinSeries, NudgeAnswer, encode, parse_action
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.frequency import Frequency
from nudgebot.core.outbound import Message
from nudgebot.core.sending import Delivered, SendResult, Starting
from nudgebot.core.timing import due_utc_on, next_due
from nudgebot.engine.delivery import DeliveryEngine, TickReport
from nudgebot.pack.loading import load_pack
from nudgebot.settings import Settings
from nudgebot.store.db import open_store
from nudgebot.store.due import earliest_due
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


def recent_start(days: int, now_utc: datetime) -> datetime:
    """A start from which ``days`` nudges each end before ``now_utc`` (whole minutes)."""
    return now_utc.replace(second=0, microsecond=0) - timedelta(days=days + 1)


class SimClock:
    def __init__(self, start: datetime) -> None:
        self.now_utc = start

    def __call__(self) -> datetime:
        return self.now_utc


@dataclass
class SimPerson:
    """A simulated subscriber and their habits.

    Attributes:
        diligence: the chance they answer a nudge.
        fades_after: after this many nudges they stop answering for good (None: never).
        often: the frequency they pick at sign-up.
        series: the challenge series they join at sign-up ('' for none).
    """

    chat: Chat
    zone: ZoneInfo
    local_time: time
    diligence: float
    fades_after: int | None = None
    often: Frequency = Frequency.DAILY
    series: str = ""
    nudges: int = 0

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

    texts: dict[int, str] = field(default_factory=dict)

    async def send(
        self, recipient: Recipient, message: Message, *, starting: Starting | None = None
    ) -> SendResult:
        if starting is not None:
            await starting()
        parsed = parse_action(message.buttons[0].action) if message.buttons else None
        delivery_id = parsed.delivery_id if isinstance(parsed, NudgeAnswer) else -1
        self.sends.append((recipient.address, delivery_id, message.title or ""))
        self.texts[delivery_id] = message.text
        answers = [
            b.action for b in message.buttons if isinstance(parse_action(b.action), NudgeAnswer)
        ]
        self.taps.extend((recipient.address, action) for action in answers)
        return Delivered(ref=str(len(self.sends)))


async def simulate(
    settings: Settings,
    *,
    days: int,
    subscribers: int,
    seed: int,
    database_url: str | None,
    console: Console,
    start_utc: datetime = START_UTC,
) -> int:
    """Run the simulation and print its report; exit code 1 if any duplicate or miss."""
    pack = load_pack(settings.content_dir)
    rng = random.Random(seed)
    clock = SimClock(start_utc)
    with tempfile.TemporaryDirectory() as scratch:
        url = database_url or f"sqlite+aiosqlite:///{Path(scratch) / 'simulate.db'}"
        async with open_store(url) as sessions:
            commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
            adapter = RecordingAdapter()
            engine = DeliveryEngine(
                sessions=sessions, pack=pack, adapters={"sim": adapter}, clock=clock
            )
            started = perf_counter()
            people = await _sign_up(commands, rng, subscribers, [s.id for s in pack.series])
            by_address = {person.chat.recipient.address: person for person in people}
            windows = {p.chat.recipient.address: _window(p, days, start_utc) for p in people}
            end_utc = max(
                person.due_on(windows[address][1]) for address, person in by_address.items()
            )
            totals = TickReport()
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("simulating", total=(end_utc - start_utc).total_seconds())
                while clock.now_utc <= end_utc:
                    totals.add(await engine.tick())
                    await _tap(commands, adapter, by_address, rng)
                    progress.update(task, completed=(clock.now_utc - start_utc).total_seconds())
                    async with sessions() as session:
                        upcoming = await earliest_due(session)
                    if upcoming is None:
                        break
                    clock.now_utc = max(upcoming, clock.now_utc + timedelta(seconds=30))
            elapsed = perf_counter() - started
            async with sessions() as session:
                rows = (
                    await session.exec(select(Delivery, Subscriber.address).join(Subscriber))
                ).all()
                streaks = (await session.exec(select(StreakRow))).all()
                habits = await gather_habits(session)
    code = print_report(
        console,
        pack=pack,
        chosen={address: person.often for address, person in by_address.items()},
        rows=[(d, a) for d, a in rows],
        streaks=list(streaks),
        habits=habits,
        windows=windows,
        sends=adapter.sends,
        texts=adapter.texts,
        summary_line=f"retries: {totals.retried}  skipped late: {totals.skipped_late}",
    )
    console.print(f"wall time: {elapsed:.1f} s")
    return code


async def _sign_up(
    commands: Commands, rng: random.Random, count: int, series_ids: list[str]
) -> list[SimPerson]:
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
            # One in eight loses interest after a few days: re-engagement's audience.
            fades_after=rng.randint(3, 20) if n % 8 == 5 else None,
            often={3: Frequency.WEEKDAYS, 7: Frequency.THRICE}.get(n % 10, Frequency.DAILY),
            series=rng.choice(series_ids) if series_ids and n % 5 == 1 else "",
        )
        for text in _sign_up_lines(n, person):
            await commands.handle(person.chat, text)
        if person.series:
            await commands.press(person.chat, encode(JoinSeries(person.series)))
        people.append(person)
    return people


def _sign_up_lines(n: int, person: SimPerson) -> tuple[str, ...]:
    """What this person types to sign up: mostly one line, now and then step by step.

    ``/start 07:45 Europe/Amsterdam daily`` is one command where the steps are four, and
    sign-up is a fixed cost of every run; one in seven (every zone and frequency among
    them) still takes the steps, so that ``/tz``, ``/time`` and ``/often`` stay part of
    the run. Both end in the same subscription.
    """
    wall_time, zone, often = f"{person.local_time:%H:%M}", person.zone.key, person.often.value
    if n % 7 == 0:
        return ("/start", f"/tz {zone}", f"/time {wall_time}", f"/often {often}")
    return (f"/start {wall_time} {zone} {often}",)


def _window(person: SimPerson, days: int, start_utc: datetime) -> tuple[date, date]:
    """The local dates this person must get a nudge on: ``days`` of them from sign-up."""
    first, _ = next_due(local_time=person.local_time, tz=person.zone, after_utc=start_utc)
    return first, first + timedelta(days=days - 1)


async def _tap(
    commands: Commands,
    adapter: RecordingAdapter,
    people: dict[str, SimPerson],
    rng: random.Random,
) -> None:
    """People answer their nudges: most of the time, now and then twice; faders never."""
    pending, adapter.taps = adapter.taps, []
    buttons: dict[str, list[str]] = defaultdict(list)
    for address, action in pending:
        buttons[address].append(action)
    for address, actions in buttons.items():
        person = people[address]
        action = rng.choice(actions)
        person.nudges += 1
        faded = person.fades_after is not None and person.nudges > person.fades_after
        if faded or rng.random() > person.diligence:
            continue
        await commands.press(person.chat, action)
        if rng.random() < 0.05:
            await commands.press(person.chat, action)
