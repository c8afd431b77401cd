"""Export and erasure cover every table that refers to a subscriber, on SQLite and PostgreSQL.

The expected rows come from :mod:`tests.support.personal_data`, which walks foreign keys in
Python over a dump of the whole database; the rows themselves come from real use
(subscribing, nudges, taps in a private chat and in a group) plus one made-up row per
table for each subscriber, so tables added later are tested without new test data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from nudgebot.commands import Commands
from nudgebot.core.chats import Chat, Recipient
from nudgebot.store.db import Sessions, open_store
from nudgebot.store.personal import (
    SHOWN_WITH_ROWS,
    UNRELATED_TABLES,
    Subject,
    erase,
    export_references,
    export_rows,
    forget,
    metadata,
    personal_tables,
)
from nudgebot.store.tables import PERSON_ID
from tests.support.personal_data import dump, fill_every_table, keys_in_export, keys_of, rows_about

ANN = Recipient("telegram", "5550001")  # Ann's private chat: her user id
BEN = Recipient("telegram", "5550002")
GROUP = Recipient("telegram", "-1005550003")  # Ann and Ben tap the group's nudges
SLACK_ANN = Recipient("slack", "U5550001", "T1")  # the same id in another place: not Ann
NOW = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'personal.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
async def store(store_url) -> AsyncIterator[Sessions]:
    async with open_store(store_url) as sessions:
        yield sessions


@pytest.fixture
async def lived_in(store, pack, settings):
    """Three chats with a few days of nudges and taps, then a made-up row in every table."""
    clock = [NOW]
    commands = Commands(sessions=store, pack=pack, settings=settings, clock=lambda: clock[0])
    for recipient in (ANN, BEN, GROUP, SLACK_ANN):
        await commands.handle(Chat(recipient), "/start")
    for day in range(3):
        clock[0] = NOW.replace(day=1 + day)
        for recipient, actors in ((ANN, [""]), (BEN, [""]), (GROUP, [ANN.address, BEN.address])):
            nudge = (await commands.handle(Chat(recipient), "/today")).messages[0]
            for actor in actors:
                await commands.press(Chat(recipient, actor=actor), nudge.buttons[0].action)
    async with store() as session:
        rows = (await session.exec(select(metadata().tables["subscriber"].c.id))).all()
    await fill_every_table(store, [subscriber_id for (subscriber_id,) in rows])
    return store


def test_every_table_either_refers_to_subscribers_or_says_why_not():
    personal = {table.name for table in personal_tables()}
    for table in metadata().sorted_tables:
        assert table.name in personal or table.name in UNRELATED_TABLES, (
            f"table {table.name!r} has no foreign key path to subscriber: give it one, or "
            "add it with the reason to UNRELATED_TABLES in nudgebot/store/personal.py"
        )
        assert not (table.name in personal and table.name in UNRELATED_TABLES), table.name


PERSONISH = ("subscriber", "actor", "user", "member", "chat", "address", "person")


def test_columns_naming_a_person_in_personal_tables_are_keys_or_marked():
    """A column like ``member_id`` in a table about subscribers must be found by erasure."""
    for table in personal_tables():
        if table.name == "subscriber":
            continue
        for column in table.columns:
            if any(word in column.name for word in PERSONISH):
                assert column.foreign_keys or column.info.get(PERSON_ID), (
                    f"{table.name}.{column.name} looks like it names a person: make it a "
                    "foreign key, or mark it with info={PERSON_ID: True}"
                )


async def test_the_export_holds_every_row_about_the_subject_and_no_one_elses(lived_in):
    before = await dump(lived_in)
    for recipient in (ANN, GROUP, SLACK_ANN):
        subject = Subject(recipient.platform, recipient.workspace, recipient.address)
        expected = rows_about(before, subject)
        async with lived_in() as session:
            exported = await export_rows(session, subject)
        assert keys_in_export(exported) == expected
        # Every table that can hold something about a subscriber is in the export.
        assert set(exported) == {table.name for table in personal_tables()}
    async with lived_in() as session:
        ann = await export_rows(session, Subject("telegram", "", ANN.address))
        shown = await export_references(session, ann)
    assert {row["actor"] for row in ann["engagement"]} <= {"", ANN.address}
    # What the rows refer to in tables about nobody: only the columns meant to be shown.
    for name, rows in shown.items():
        table = metadata().tables[name]
        assert {tuple(row) for row in rows} == {SHOWN_WITH_ROWS[name]}
        wanted = {
            row[key.parent.name]
            for child in ann
            for key in metadata().tables[child].foreign_keys
            if key.column.table is table
            for row in ann[child]
        }
        assert {row["id"] for row in rows} == wanted
    assert set(shown) == {
        key.column.table.name
        for child in ann
        for key in metadata().tables[child].foreign_keys
        if key.column.table.name in SHOWN_WITH_ROWS
    }


async def test_erasing_a_person_leaves_no_row_about_them_in_any_table(lived_in):
    before = await dump(lived_in)
    subject = Subject("telegram", "", ANN.address)
    doomed = rows_about(before, subject)
    assert {name for name, _ in doomed} == {table.name for table in personal_tables()}
    async with lived_in() as session:
        deleted = await erase(session, subject)
        await session.commit()
    after = await dump(lived_in)
    assert keys_of(after) == keys_of(before) - doomed
    assert sum(deleted.values()) == len(doomed)
    assert rows_about(after, subject) == set()
    _assert_no_reference(after, ANN.address)
    # Ben, the group and the other platform's "U5550001" keep everything else.
    for other in (BEN, GROUP, SLACK_ANN):
        other_subject = Subject(other.platform, other.workspace, other.address)
        assert rows_about(after, other_subject) == rows_about(before, other_subject) - doomed


async def test_erasing_a_workspace_erases_each_of_its_chats_and_nothing_else(lived_in):
    before = await dump(lived_in)
    workspace = Subject("slack", "T1", None)
    async with lived_in() as session:
        await erase(session, workspace)
        await session.commit()
    after = await dump(lived_in)
    assert keys_of(after) == keys_of(before) - rows_about(before, workspace)
    assert not [row for row in after["subscriber"] if row["platform"] == "slack"]
    assert len(after["subscriber"]) == 3


def _assert_no_reference(data, address: str) -> None:
    """The address appears nowhere, and no key points at a subscriber that is gone."""
    subscribers = {row["id"] for row in data["subscriber"]}
    for table in metadata().sorted_tables:
        for row in data[table.name]:
            assert address not in {str(value) for value in row.values()}, (table.name, row)
            for key in table.foreign_keys:
                if key.column.table.name == "subscriber" and row[key.parent.name] is not None:
                    assert row[key.parent.name] in subscribers, (table.name, row)


async def test_an_erased_address_is_gone_from_the_sqlite_files_too(tmp_path, pack, settings):
    """Deleted rows leave no readable copy in the database or its write-ahead log."""
    path = tmp_path / "forget.db"
    async with open_store(f"sqlite+aiosqlite:///{path}") as sessions:
        commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=lambda: NOW)
        await commands.handle(Chat(ANN), "/start")
        await commands.handle(Chat(BEN), "/start")
        nudge = (
            await commands.handle(Chat(GROUP), "/start"),
            await commands.handle(Chat(GROUP), "/today"),
        )[1]
        await commands.press(Chat(GROUP, actor=ANN.address), nudge.messages[0].buttons[0].action)
        await forget(sessions, Subject("telegram", "", ANN.address))
        files = b"".join(p.read_bytes() for p in tmp_path.glob("forget.db*"))
        assert ANN.address.encode() not in files
        assert BEN.address.encode() in files
