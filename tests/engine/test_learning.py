"""What the bandit learns, stored: on SQLite and PostgreSQL (tests/engine/conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from nudgebot.commands import Commands
from nudgebot.core.bandit import Tally, Taste
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import ContentPack, Item, Kind
from nudgebot.core.outbound import Message
from nudgebot.core.planner import Rotation, pick_item
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.store.db import Sessions
from nudgebot.store.learning import (
    Learned,
    add_to_audience,
    decode,
    encode,
    load_audience,
    load_learned,
    save_learned,
)
from nudgebot.store.tables import AudienceTally, Delivery, Subscriber, TasteRow
from tests.conftest import FakeClock
from tests.support.fakes.recording import FakeAdapter

TODAY = date(2026, 6, 1)


async def _subscriber(session) -> int:
    row = Subscriber(
        platform="fake", address="ann", language="en", timezone="UTC", local_time=time(8, 0)
    )
    session.add(row)
    await session.flush()
    assert row.id is not None
    return row.id


def test_a_taste_round_trips_and_forgets_old_items() -> None:
    taste = Taste(
        overall=Tally(5, 3),
        tags={"fibre": Tally(2, 2)},
        last_tag={"fibre": TODAY},
        last_item={"tip-a": TODAY, "tip-old": TODAY - timedelta(days=200)},
    )
    again = decode(encode(taste, TODAY))
    assert again.overall == taste.overall and again.tags == taste.tags
    assert again.last_item == {"tip-a": TODAY}
    assert decode("") == Taste()


async def test_states_and_the_audience_are_stored(sessions) -> None:
    async with sessions() as session:
        sid = await _subscriber(session)
        assert (await load_learned(session, [sid]))[sid] == Learned(enabled=False)
        state = Learned(True, Taste(overall=Tally(1, 1)), 42, "tip-a")
        await save_learned(session, {sid: state}, TODAY)
        await save_learned(session, {sid: state}, TODAY)  # an upsert, not a second row
        await add_to_audience(session, {("tip-a", "tip"): Tally(2, 1)})
        await add_to_audience(
            session, {("tip-a", "tip"): Tally(1, 1), ("tip-b", "tip"): Tally(1, 0)}
        )
        await session.commit()
    async with sessions() as session:
        assert (await load_learned(session, [sid]))[sid] == state
        audience = await load_audience(session)
        assert audience.items == {"tip-a": Tally(3, 2), "tip-b": Tally(1, 0)}
        assert audience.kinds == {"tip": Tally(4, 2)}
        assert len((await session.exec(select(AudienceTally))).all()) == 2


@dataclass
class Bot:
    """The real commands and engine over the test's store, on a clock the test moves."""

    sessions: Sessions
    commands: Commands
    engine: DeliveryEngine
    adapter: FakeAdapter
    clock: FakeClock
    pack: ContentPack

    async def morning(self, day: date) -> dict[str, Message]:
        """Nudge time on ``day`` (08:00 Amsterdam): each subscriber's nudge by address."""
        before = len(self.adapter.sent)
        self.clock.set(datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC))
        await self.engine.tick()
        return dict(self.adapter.sent[before:])

    async def item_on(self, address: str, day: date) -> Item:
        async with self.sessions() as session:
            statement = (
                select(Delivery.item_id)
                .join(Subscriber)
                .where(Subscriber.address == address, Delivery.local_date == day)
            )
            item = self.pack.get((await session.exec(statement)).one())
        assert item is not None
        return item

    async def taste_of(self, address: str) -> TasteRow | None:
        async with self.sessions() as session:
            statement = select(TasteRow).join(Subscriber).where(Subscriber.address == address)
            return (await session.exec(statement)).first()


@pytest.fixture
async def bot(sessions, pack, settings) -> Bot:
    clock = FakeClock(datetime(2026, 6, 1, 5, 0, tzinfo=UTC))
    adapter = FakeAdapter()
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    engine = DeliveryEngine(sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=clock)
    for name in ("ann", "bob"):
        chat = Chat(recipient=Recipient("fake", name), language_hint="en")
        await commands.handle(chat, "/start")
        await commands.handle(chat, "/learning on")
    return Bot(sessions, commands, engine, adapter, clock, pack)


async def test_the_batch_learns_from_answers_and_their_absence(bot, pack) -> None:
    monday = await bot.morning(TODAY)
    ann_item = await bot.item_on("ann", TODAY)
    await bot.commands.press(
        Chat(recipient=Recipient("fake", "ann")), monday["ann"].buttons[0].action
    )
    await bot.morning(TODAY + timedelta(days=1))
    ann, bob = await bot.taste_of("ann"), await bot.taste_of("bob")
    assert ann is not None and bob is not None
    assert decode(ann.data).overall == Tally(1, 1)
    assert decode(bob.data).overall == Tally(1, 0)
    assert all(decode(ann.data).tags[tag] == Tally(1, 1) for tag in ann_item.tags)
    assert TODAY + timedelta(days=1) in decode(ann.data).last_tag.values()
    async with bot.sessions() as session:
        audience = await load_audience(session)
    assert sum(t.sent for t in audience.items.values()) == 2
    assert sum(t.answered for t in audience.items.values()) == 1


async def test_the_choice_follows_the_stored_taste(bot, pack) -> None:
    """Ann has answered every fermented item and no other: her tip is a fermented one."""
    async with bot.sessions() as session:
        ann_id = (
            await session.exec(select(Subscriber.id).where(Subscriber.address == "ann"))
        ).one()
        tags = {tag for item in pack.of_kind(Kind.TIP) for tag in item.tags}
        taste = Taste(
            overall=Tally(40, 10),
            tags={tag: Tally(10, 10 if tag == "fermented" else 0) for tag in tags},
        )
        await save_learned(session, {ann_id: Learned(True, taste)}, TODAY)
        await session.commit()
    monday = await bot.morning(TODAY)
    assert "ann" in monday
    assert "fermented" in (await bot.item_on("ann", TODAY)).tags


async def test_off_means_the_fixed_rotation_and_nothing_learned(bot, pack) -> None:
    async with bot.sessions() as session:
        ann_id = (
            await session.exec(select(Subscriber.id).where(Subscriber.address == "ann"))
        ).one()
        loved = Taste(overall=Tally(40, 10), tags={"fermented": Tally(10, 10)})
        await save_learned(session, {ann_id: Learned(False, loved)}, TODAY)
        await session.commit()
    monday = await bot.morning(TODAY)
    fixed, _ = pick_item(pack=pack, local_date=TODAY, seed=str(ann_id), rotation=Rotation())
    assert "ann" in monday
    assert (await bot.item_on("ann", TODAY)).id == fixed.id
    ann = await bot.taste_of("ann")
    assert ann is not None and not ann.enabled and ann.data == ""


async def test_what_is_learned_is_in_mydata_and_gone_with_delete(bot) -> None:
    ann = Chat(recipient=Recipient("fake", "ann"), language_hint="en")
    monday = await bot.morning(TODAY)
    await bot.commands.press(ann, monday["ann"].buttons[0].action)
    await bot.morning(TODAY + timedelta(days=1))
    document = (await bot.commands.handle(ann, "/mydata")).document
    assert document is not None
    taste = json.loads(document.content)["tables"]["taste"][0]
    assert json.loads(taste["data"])["answers"] == [1, 1]
    erase = (await bot.commands.handle(ann, "/delete")).messages[0].buttons[0]
    await bot.commands.press(ann, erase.action)
    assert await bot.taste_of("ann") is None
    assert await bot.taste_of("bob") is not None


@pytest.mark.parametrize(
    ("typed", "reply", "enabled"),
    [
        ("/learning off", "Off: you get the fixed order", False),
        ("/learning on", "On: I choose each day's nudge", True),
        ("/learning maybe", "Choose /learning on or /learning off.", True),
        ("/learning", "Choose /learning on or /learning off.", True),
    ],
)
async def test_learning_is_turned_off_and_on_by_a_command(bot, typed, reply, enabled) -> None:
    ann = Chat(recipient=Recipient("fake", "ann"), language_hint="en")
    await bot.morning(TODAY)
    await bot.morning(TODAY + timedelta(days=1))
    learned = await bot.taste_of("ann")
    assert learned is not None and learned.data
    answer = await bot.commands.handle(ann, typed)
    assert reply in answer.messages[0].text
    row = await bot.taste_of("ann")
    assert row is not None and row.enabled is enabled
    assert (row.data == learned.data) is enabled  # off erases; on or a typo keeps it


async def test_off_then_on_starts_from_nothing(bot) -> None:
    ann = Chat(recipient=Recipient("fake", "ann"), language_hint="en")
    await bot.morning(TODAY)
    await bot.morning(TODAY + timedelta(days=1))
    await bot.commands.handle(ann, "/learning off")
    await bot.commands.handle(ann, "/learning on")
    row = await bot.taste_of("ann")
    assert row is not None and row.enabled and row.pending_delivery_id is None
    assert decode(row.data) == Taste()


async def test_learning_is_opt_in(sessions, pack, settings) -> None:
    """Someone who never typed /learning on gets the fixed rotation, and nothing is stored."""
    clock = FakeClock(datetime(2026, 6, 1, 5, 0, tzinfo=UTC))
    adapter = FakeAdapter()
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    engine = DeliveryEngine(sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=clock)
    await commands.handle(Chat(recipient=Recipient("fake", "cas"), language_hint="en"), "/start")
    bot = Bot(sessions, commands, engine, adapter, clock, pack)
    await bot.morning(TODAY)
    async with sessions() as session:
        cas_id = (await session.exec(select(Subscriber.id))).one()
        assert (await session.exec(select(TasteRow))).all() == []
    fixed, _ = pick_item(pack=pack, local_date=TODAY, seed=str(cas_id), rotation=Rotation())
    assert (await bot.item_on("cas", TODAY)).id == fixed.id
