"""A correction reaches exactly the subscribers who received the old text, once, in a nudge.

On SQLite and PostgreSQL: subscribers with different histories of a corrected item (the
home-fermenting challenge, corrected to version 2) get their next nudges from the
engine; only who received version 1 in the last 30 days reads the correction line, in
the next nudge only, and never as a message of its own.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import ContentPack
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions
from nudgebot.store.tables import CorrectionNotice, Delivery, DeliveryStatus, Subscriber
from tests.conftest import FakeClock
from tests.engine.test_batches import MONDAY_DUE
from tests.support.fakes.recording import FakeAdapter

JAR = "challenge-start-a-jar"
FIRST_DAY = MONDAY_DUE.date()
HISTORY: dict[str, list[tuple[int, int, DeliveryStatus]]] = {
    # name: (days before the first nudge, version received, status)
    "old-reader": [(10, 1, DeliveryStatus.SENT)],
    "maybe-reader": [(3, 1, DeliveryStatus.UNKNOWN)],
    "long-ago": [(31, 1, DeliveryStatus.SENT)],
    "new-reader": [(5, 2, DeliveryStatus.SENT)],
    "old-then-new": [(20, 1, DeliveryStatus.SENT), (4, 2, DeliveryStatus.SENT)],
    "never-sent": [(6, 1, DeliveryStatus.FAILED)],
    "stranger": [],
}
TOLD = {"old-reader", "maybe-reader"}


async def _history(sessions: Sessions, names: dict[str, int]) -> None:
    async with sessions() as session:
        for name, rows in HISTORY.items():
            for days_before, version, status in rows:
                session.add(
                    Delivery(
                        subscriber_id=names[name],
                        local_date=FIRST_DAY - timedelta(days=days_before),
                        item_id=JAR,
                        item_version=version,
                        kind="challenge",
                        status=status,
                    )
                )
        await session.commit()


async def test_a_correction_reaches_exactly_who_read_the_old_text(
    sessions: Sessions, pack: ContentPack, settings: Settings
) -> None:
    clock = FakeClock(MONDAY_DUE - timedelta(hours=1))  # subscribed before 08:00 Monday
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    adapter = FakeAdapter()
    engine = DeliveryEngine(sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=clock)
    for name in HISTORY:
        await commands.handle(Chat(recipient=Recipient("fake", name)), "/start")
    async with sessions() as session:
        rows = (await session.exec(select(Subscriber.address, Subscriber.id))).all()
    names = {address: subscriber_id for address, subscriber_id in rows if subscriber_id}
    await _history(sessions, names)
    clock.set(MONDAY_DUE)
    before = len(adapter.sent)

    await engine.tick()

    first = dict(adapter.sent[before:])
    assert set(first) == set(HISTORY), "one nudge each, no extra message"
    told = {name for name, message in first.items() if "✏️" in message.plain()}
    assert told == TOLD
    corrected = pack.get(JAR)
    assert corrected is not None
    for name in TOLD:
        line = corrected.correction_line("nl") or ""
        english = corrected.correction_line("en") or ""
        assert line in first[name].plain() or english in first[name].plain()
    async with sessions() as session:
        notices = (await session.exec(select(CorrectionNotice))).all()
    assert {(n.subscriber_id, n.item_id, n.version) for n in notices} == {
        (names[name], JAR, 2) for name in TOLD
    }

    clock.set(MONDAY_DUE + timedelta(days=1))
    before = len(adapter.sent)
    await engine.tick()

    second = dict(adapter.sent[before:])
    assert set(second) == set(HISTORY)
    assert not any("✏️" in message.plain() for message in second.values()), "told once"
    async with sessions() as session:
        versions = (
            await session.exec(
                select(Delivery.item_id, Delivery.item_version).where(
                    col(Delivery.local_date) >= FIRST_DAY
                )
            )
        ).all()
    current = {item_id: getattr(pack.get(item_id), "version", 0) for item_id, _ in versions}
    assert all(version == current[item_id] for item_id, version in versions)


def test_the_first_day_is_a_monday() -> None:
    assert date(2026, 6, 1) == FIRST_DAY
