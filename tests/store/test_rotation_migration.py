"""Migration 0004 computes each subscriber's rotation from the deliveries they already had."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from nudgebot.core.planner import Rotation, pick_item
from nudgebot.store.db import create_engine, create_sessions, upgrade
from nudgebot.store.rotation import load_rotations

TUESDAY = date(2026, 6, 2)  # a challenge day


def challenges_sent(pack, days: int) -> list[str]:
    """The challenges a subscriber got on ``days`` challenge days in a row."""
    rotation, sent = Rotation(), []
    for _ in range(days):
        item, rotation = pick_item(pack=pack, local_date=TUESDAY, seed="1", rotation=rotation)
        sent.append(item.id)
    return sent


async def migrated_rotation(url: str, sent: list[str], ids: tuple[int, ...] = (1,)) -> Rotation:
    """Write ``sent`` as schema-0003 rows of each subscriber in ``ids``, upgrade, and read
    the rotation it became (the same for all of them, or this fails)."""
    await upgrade(url, "0003")
    database = create_engine(url)
    try:
        async with database.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO subscriber (id, platform, workspace, address, language, "
                    "timezone, local_time, status, failed_days, created_utc) VALUES (:id, "
                    "'fake', '', :address, 'nl', 'Europe/Amsterdam', '08:00', 'active', 0, "
                    "CURRENT_TIMESTAMP)"
                ),
                [{"id": n, "address": f"a{n}"} for n in ids],
            )
            if sent:
                await connection.execute(
                    text(
                        "INSERT INTO delivery (subscriber_id, local_date, item_id, kind, status, "
                        "attempts, claimed_utc) VALUES (:id, :day, :item, 'challenge', 'sent', "
                        "1, CURRENT_TIMESTAMP)"
                    ),
                    [
                        {"id": n, "day": TUESDAY + timedelta(weeks=w), "item": i}
                        for n in ids
                        for w, i in enumerate(sent)
                    ],
                )
        await upgrade(url)
        async with create_sessions(database)() as session:
            keys = [(n, "challenge") for n in ids]
            rotations = await load_rotations(session, keys)
        assert len({rotations[key] for key in keys}) == 1, rotations
        return rotations[keys[0]]
    finally:
        await database.dispose()


@pytest.mark.parametrize("days", [0, 3, 9, 14])
async def test_existing_deliveries_continue_their_round_after_the_migration(tmp_path, pack, days):
    sent = challenges_sent(pack, days + 1)
    rotation = await migrated_rotation(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}", sent[:-1])
    # The next challenge is the one the whole history would have chosen: the round goes
    # on, with no repeat before every challenge was seen.
    item, _ = pick_item(pack=pack, local_date=TUESDAY, seed="1", rotation=rotation)
    assert item.id == sent[-1]


@pytest.mark.pg
async def test_the_rotation_migration_runs_on_postgres(pg_url, pack):
    sent = challenges_sent(pack, 10)
    rotation = await migrated_rotation(pg_url, sent[:-1])
    assert pick_item(pack=pack, local_date=TUESDAY, seed="1", rotation=rotation)[0].id == sent[-1]


async def test_histories_on_both_sides_of_a_page_of_subscribers_are_all_migrated(tmp_path, pack):
    """The migration reads a thousand subscriber ids at a time: none is left between pages."""
    sent = challenges_sent(pack, 10)
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    rotation = await migrated_rotation(url, sent[:-1], ids=(1, 999, 1000, 1001, 2000, 2600))
    assert pick_item(pack=pack, local_date=TUESDAY, seed="1", rotation=rotation)[0].id == sent[-1]
