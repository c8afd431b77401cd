"""Every statement of the batch path reads through an index, whatever the planner knows.

A long morning grows ``delivery`` by hundreds of thousands of rows, and on a server that
does not analyze (autovacuum off, or not yet caught up) the planner has no statistics
for them: it then guesses that an ``IN`` list of a batch's ids matches most of a table,
and a received-days query that took a millisecond became a parallel sequential scan of
``delivery`` that grew with the morning (317 nudges/s falling to 175/s). These tests
build tables of a realistic shape that were never analyzed, run one batch through the
engine, and ``EXPLAIN`` each statement it sent with the parameters it sent.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event

from nudgebot.core.content import ContentPack
from nudgebot.core.sending import Delivered
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.work import Outcome
from nudgebot.store.db import Sessions, open_store
from tests.support.fakes.recording import FakeAdapter
from tests.support.postgres import fresh_database

pytestmark = [pytest.mark.pg, pytest.mark.slow]

SUBSCRIBERS = 60_000
DUE = 500
NOW = datetime(2026, 6, 14, 6, 0, tzinfo=UTC)  # a Sunday: the weekly summary's queries run too
TABLES = ("subscriber", "delivery", "streak", "rotation", "series_progress", "engagement")

_SEED = f"""
INSERT INTO subscriber (platform, workspace, address, language, timezone, local_time,
    status, next_due_utc, next_local_date, failed_days, frequency, summary_day, created_utc)
SELECT 'fake', '', 'u' || n, 'en', 'Europe/Amsterdam', '08:00', 'active',
    $1::timestamptz + CASE WHEN n <= {DUE} THEN interval '-1 minute' ELSE interval '1 day' END,
    date '2026-06-14', 0, 'daily', 6, $1::timestamptz - interval '30 days'
FROM generate_series(1, {SUBSCRIBERS}) AS n;
INSERT INTO delivery (subscriber_id, local_date, item_id, kind, status, attempts, claimed_utc)
SELECT s, date '2026-06-14' - d, 'tip-x', 'tip', 'sent', 1, $1::timestamptz - d * interval '1 day'
FROM generate_series(1, {SUBSCRIBERS}) AS s, generate_series(1, 4) AS d;
INSERT INTO streak (subscriber_id, current, best, last_day, settled_day, freezes, run,
    milestone, unanswered, reengage, notes_day, notes, version)
SELECT s, 1, 1, date '2026-06-12', date '2026-06-12', 0, 1, 0, 0, '', date '2026-06-13',
    '', 3
FROM generate_series(1, {SUBSCRIBERS}) AS s;
INSERT INTO rotation (subscriber_id, kind, round_no, seen)
SELECT s, k, 0, '' FROM generate_series(1, {SUBSCRIBERS}) AS s,
    unnest(ARRAY['tip', 'challenge', 'myth']) AS k;
INSERT INTO series_progress (subscriber_id, series_id, steps_done, joined_on, finished_on)
SELECT s, 'fermented-week', 7, date '2026-05-01', date '2026-05-08'
FROM generate_series(1, {SUBSCRIBERS}) AS s;
INSERT INTO engagement (delivery_id, subscriber_id, actor, answer, local_date, created_utc)
SELECT id, subscriber_id, 'self', 'done', local_date, claimed_utc FROM delivery;
"""


@pytest.fixture
async def never_analyzed() -> AsyncIterator[tuple[str, Sessions]]:
    """A migrated database with the tables filled and never analyzed (autovacuum off)."""
    async with fresh_database() as url, open_store(url) as sessions:
        connection = await asyncpg.connect(url.replace("+asyncpg", ""))
        try:
            for table in TABLES:
                await connection.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
            async with connection.transaction():
                for statement in filter(str.strip, _SEED.split(";")):
                    await connection.execute(statement, *([NOW] if "$1" in statement else []))
            analyzed = await connection.fetchval(
                "SELECT count(*) FROM pg_stat_user_tables"
                " WHERE last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL"
            )
            assert analyzed == 0
        finally:
            await connection.close()
        yield url, sessions


def _capture(sessions: Sessions, into: list[tuple[str, Any]]) -> Any:
    def listener(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        rows = params if many and params and isinstance(params[0], list | tuple) else [params]
        into.append((sql, rows[0]))  # one plan per statement: the rows share its shape

    engine = sessions.kw["bind"].sync_engine
    event.listen(engine, "before_cursor_execute", listener)
    return lambda: event.remove(engine, "before_cursor_execute", listener)


def unbound_scans(plan: dict[str, Any]) -> list[str]:
    """The scans in a JSON plan that read a table or index whole, not by a condition.

    A sequential scan, and an index scan without an index condition (a full index scan,
    which pricing sequential scans out could otherwise buy).
    """
    node = plan["Node Type"]
    found = []
    if node == "Seq Scan" or (node.endswith("Index Scan") and "Index Cond" not in plan):
        found.append(f"{node} on {plan.get('Relation Name') or plan.get('Index Name')}")
    for child in plan.get("Plans", []):
        found.extend(unbound_scans(child))
    return found


async def test_every_statement_of_a_batch_reads_through_an_index(
    never_analyzed: tuple[str, Sessions], pack: ContentPack
) -> None:
    url, sessions = never_analyzed
    engine = DeliveryEngine(
        sessions=sessions, pack=pack, adapters={"fake": FakeAdapter()}, clock=lambda: NOW
    )
    sent: list[tuple[str, Any]] = []
    stop = _capture(sessions, sent)
    try:
        batch = await engine.nudges.open_batch(
            now_utc=NOW, lease_until=NOW + timedelta(minutes=1), limit=DUE
        )
        outcomes: list[Outcome] = [Delivered(ref="1")] * len(batch.sends)
        await engine.nudges.record(batch, outcomes, now_utc=NOW)
    finally:
        stop()
    assert len(batch.sends) == DUE
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    unbound: dict[str, list[str]] = {}
    try:
        for sql, params in sent:
            if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE")):
                async with connection.transaction():
                    # As the batch path plans them (nudgebot.store.db.bind_to_indexes).
                    await connection.execute("SET LOCAL enable_seqscan = off")
                    plan = await connection.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *params)
                if scans := unbound_scans(json.loads(plan)[0]["Plan"]):
                    unbound[" ".join(sql.split())[:120]] = scans
    finally:
        await connection.close()
    assert len(sent) >= 12  # the lease, the day rows, rotations, streaks, summaries, record
    assert [sql for sql, _ in sent].count("SET LOCAL enable_seqscan = off") == 2  # both batches
    assert unbound == {}
