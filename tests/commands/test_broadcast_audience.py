"""Who a broadcast reaches: each audience filter, and filters combined, on a seeded store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import func, select

from nudgebot.commands.broadcasts import Broadcasts
from nudgebot.core.broadcast import Audience, BroadcastText
from nudgebot.core.subscription import Status
from nudgebot.errors import InputError
from nudgebot.store.tables import Broadcast, OutboxRow
from tests.support.broadcast_seeding import Seed, seed

MAY = datetime(2026, 5, 1, tzinfo=UTC)
JUNE = datetime(2026, 6, 1, tzinfo=UTC)

PEOPLE = [
    Seed("telegram", "nl", status="active", streak=5, created_utc=MAY),  # 0
    Seed("telegram", "en", status="active", streak=0, created_utc=JUNE),  # 1
    Seed("telegram", "nl", status="paused", streak=9, created_utc=MAY),  # 2
    Seed("telegram", "en", status="stopped", streak=12, created_utc=MAY),  # 3
    Seed("slack", "en", workspace="T1", status="active", streak=3, created_utc=MAY),  # 4
    Seed("slack", "nl", workspace="T1", status="active", streak=7, created_utc=JUNE),  # 5
    Seed("slack", "en", workspace="T2", status="active", streak=1, created_utc=JUNE),  # 6
    Seed("slack", "en", workspace="T2", status="paused", streak=0, created_utc=MAY),  # 7
    Seed("console", "nl", status="active", streak=2, created_utc=MAY),  # 8
]
TEXT = BroadcastText(texts={"nl": "Hallo allemaal", "en": "Hello everyone"})


@pytest.fixture
async def service(sessions, clock):
    await seed(sessions, PEOPLE)
    return Broadcasts(sessions=sessions, default_language="nl", clock=clock)


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        pytest.param(Audience(), {0, 1, 4, 5, 6, 8}, id="default-active-only"),
        pytest.param(Audience(platform="telegram"), {0, 1}, id="platform"),
        pytest.param(Audience(language="en"), {1, 4, 6}, id="language"),
        pytest.param(Audience(workspace="T1"), {4, 5}, id="workspace"),
        pytest.param(Audience(status=Status.PAUSED), {2, 7}, id="status-paused"),
        pytest.param(Audience(min_streak=5), {0, 5}, id="min-streak"),
        pytest.param(Audience(subscribed_after=date(2026, 5, 15)), {1, 5, 6}, id="after"),
        pytest.param(Audience(subscribed_before=date(2026, 5, 15)), {0, 4, 8}, id="before"),
        pytest.param(
            Audience(platform="slack", language="en", subscribed_after=date(2026, 5, 15)),
            {6},
            id="combined-platform-language-after",
        ),
        pytest.param(
            Audience(platform="slack", workspace="T1", min_streak=4), {5}, id="combined-streak"
        ),
        pytest.param(Audience(platform="telegram", workspace="T1"), set(), id="combined-none"),
    ],
)
async def test_each_filter_and_combinations_reach_exactly_the_matching_subscribers(
    service, sessions, audience, expected
):
    preview = await service.preview(TEXT, audience)
    assert preview.total == len(expected)
    broadcast = await service.create(TEXT, audience, created_by="test")
    assert broadcast.id is not None
    await service.send(broadcast.id)
    async with sessions() as session:
        rows = (await session.exec(select(OutboxRow.subscriber_id))).all()
    assert {sid - 1 for sid in rows} == expected  # seeded ids are 1.. in order


async def test_the_preview_counts_per_platform_and_language(service):
    preview = await service.preview(TEXT, Audience())
    assert preview.audience == {
        ("telegram", "nl"): 1,
        ("telegram", "en"): 1,
        ("slack", "en"): 2,
        ("slack", "nl"): 1,
        ("console", "nl"): 1,
    }
    assert preview.messages["en"].text == "Hello everyone"
    assert preview.messages["nl"].text == "Hallo allemaal"


async def test_a_dry_run_stores_nothing(service, sessions):
    await service.preview(TEXT, Audience(platform="slack"))
    async with sessions() as session:
        assert (await session.exec(select(func.count()).select_from(Broadcast))).one() == 0
        assert (await session.exec(select(func.count()).select_from(OutboxRow))).one() == 0


async def test_a_subscriber_without_text_in_their_language_gets_the_default_language(service):
    preview = await service.preview(BroadcastText(texts={"nl": "Alleen Nederlands"}), Audience())
    assert preview.messages["en"].text == "Alleen Nederlands"


@pytest.mark.parametrize(
    ("text", "audience", "key"),
    [
        pytest.param(BroadcastText(texts={"en": "only English"}), Audience(), "broadcast_no_text"),
        pytest.param(BroadcastText(texts={"nl": "   "}), Audience(), "broadcast_no_text"),
        pytest.param(
            BroadcastText(texts={"nl": "x" * 3001}), Audience(), "broadcast_too_long", id="3001"
        ),
        pytest.param(TEXT, Audience(platform="fax"), "broadcast_bad_platform"),
        pytest.param(TEXT, Audience(min_streak=-1), "broadcast_bad_streak"),
        pytest.param(
            BroadcastText(texts={"nl": "hoi"}, link="javascript:alert(1)"),
            Audience(),
            "broadcast_bad_link",
        ),
    ],
)
async def test_bad_broadcasts_are_refused_and_store_nothing(service, sessions, text, audience, key):
    with pytest.raises(InputError) as refused:
        await service.create(text, audience, created_by="test")
    assert refused.value.key == key
    async with sessions() as session:
        assert (await session.exec(select(func.count()).select_from(Broadcast))).one() == 0


async def test_exactly_3000_characters_is_accepted(service):
    broadcast = await service.create(
        BroadcastText(texts={"nl": "x" * 3000}), Audience(), created_by="test"
    )
    assert broadcast.state == "draft"


async def test_cancel_keeps_pending_rows_unsent_and_a_cancelled_broadcast_cannot_be_sent(service):
    broadcast = await service.create(TEXT, Audience(), created_by="test")
    assert broadcast.id is not None
    await service.send(broadcast.id)
    await service.cancel(broadcast.id)
    with pytest.raises(InputError) as refused:
        await service.send(broadcast.id)
    assert refused.value.key == "broadcast_not_sendable"
    progress = await service.status(broadcast.id)
    assert progress.broadcast.state == "cancelled"
    assert progress.by_status() == {"pending": 6}


async def test_sending_twice_expands_the_audience_once(service):
    broadcast = await service.create(TEXT, Audience(), created_by="test")
    assert broadcast.id is not None
    await service.send(broadcast.id)
    await service.send(broadcast.id)
    assert sum((await service.status(broadcast.id)).counts.values()) == 6


async def test_min_streak_counts_a_streak_broken_by_an_unanswered_nudge_as_broken(
    service, sessions, clock
):
    from nudgebot.store.tables import Delivery, StreakRow

    today = clock.now_utc.date()
    async with sessions() as session:
        streak = await session.get(StreakRow, 1)  # PEOPLE[0]: streak 5
        assert streak is not None
        streak.last_day = today - timedelta(days=5)
        session.add(streak)
        missed = Delivery(
            subscriber_id=1, local_date=today - timedelta(days=3), item_id="x", kind="tip"
        )
        missed.status = "sent"  # received, never answered
        session.add(missed)
        await session.commit()
    preview = await service.preview(TEXT, Audience(min_streak=5))
    assert preview.total == 1  # only PEOPLE[5] (streak 7) still has a current streak of 5+
