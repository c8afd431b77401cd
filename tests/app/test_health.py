"""/healthz and /readyz as a load balancer or Kubernetes sees them, over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from nudgebot.app.health import Readiness
from nudgebot.app.wiring import build_web_app
from nudgebot.core.clock import utc_clock
from nudgebot.engine.delivery import DeliveryEngine
from nudgebot.engine.scheduler import Ticker
from nudgebot.store.db import create_engine, create_sessions
from nudgebot.store.tables import Subscriber
from tests.support.fakes.recording import FakeAdapter
from tests.support.waiting import eventually


async def readyz(readiness: Readiness) -> tuple[int, dict[str, Any]]:
    async with TestClient(TestServer(build_web_app(readiness))) as client:
        response = await client.get("/readyz")
        return response.status, await response.json()


@pytest.fixture
async def ticking(sessions, pack) -> AsyncIterator[tuple[Ticker, FakeAdapter]]:
    adapter = FakeAdapter()
    engine = DeliveryEngine(
        sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=utc_clock
    )
    ticker = Ticker(engine, interval_seconds=0.1)
    ticker.start()
    try:
        yield ticker, adapter
    finally:
        if adapter.gate is not None:
            adapter.gate.set()
        await ticker.stop(wait_seconds=1)


async def test_ready_when_the_database_answers_and_the_ticker_ticks(sessions, ticking):
    ticker, adapter = ticking
    readiness = Readiness(sessions)
    readiness.watch(ticker=ticker, adapters=[adapter])
    status, body = await readyz(readiness)
    assert status == 200
    assert body["status"] == "ready"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["ticker"]["ok"] is True


async def test_not_ready_before_the_ticker_runs(sessions):
    status, body = await readyz(Readiness(sessions))
    assert status == 503
    assert body["checks"]["ticker"] == {"ok": False, "detail": "not started"}


async def test_a_stalled_ticker_turns_readiness_to_503(sessions, ticking):
    ticker, adapter = ticking
    adapter.gate = asyncio.Event()  # the platform call never returns
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    local = now.astimezone(ZoneInfo("Europe/Amsterdam"))
    async with sessions() as session:
        session.add(
            Subscriber(
                platform="fake",
                address="stuck",
                language="en",
                timezone="Europe/Amsterdam",
                local_time=local.time(),
                next_local_date=local.date(),
                next_due_utc=now,
            )
        )
        await session.commit()
    readiness = Readiness(sessions)
    readiness.watch(ticker=ticker, adapters=[adapter])
    await eventually(lambda: asyncio.sleep(0, adapter.in_call), lambda calls: calls == 1)
    await asyncio.sleep(3 * ticker.interval_seconds)
    status, body = await readyz(readiness)
    assert status == 503
    assert body["checks"]["ticker"]["ok"] is False
    assert "stuck: no progress" in body["checks"]["ticker"]["detail"]
    assert body["checks"]["database"]["ok"] is True


async def test_a_long_fan_out_that_moves_stays_ready(sessions, pack):
    """A tick that outlasts three intervals is ready while its sends keep ending."""
    adapter = FakeAdapter(delay=0.1)  # 40 sends one at a time: about 4 s, the limit 1.5 s
    engine = DeliveryEngine(
        sessions=sessions, pack=pack, adapters={"fake": adapter}, clock=utc_clock, concurrency=1
    )
    ticker = Ticker(engine, interval_seconds=0.5)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    local = now.astimezone(ZoneInfo("Europe/Amsterdam"))
    async with sessions() as session:
        for n in range(40):
            session.add(
                Subscriber(
                    platform="fake",
                    address=f"slow-{n}",
                    language="en",
                    timezone="Europe/Amsterdam",
                    local_time=local.time(),
                    next_local_date=local.date(),
                    next_due_utc=now,
                )
            )
        await session.commit()
    readiness = Readiness(sessions)
    readiness.watch(ticker=ticker, adapters=[adapter])
    ticker.start()
    try:
        await eventually(lambda: asyncio.sleep(0, ticker.ticking), lambda ticking: ticking)
        seen = []
        while ticker.ticking:
            status, body = await readyz(readiness)
            seen.append((status, body["checks"]["ticker"]["detail"]))
            await asyncio.sleep(0.2)
    finally:
        await ticker.stop(wait_seconds=1)
    assert len(adapter.sent) == 40
    assert len(seen) >= 3 * ticker.interval_seconds / 0.2  # it did outlast three intervals
    assert {status for status, _ in seen} == {200}, seen
    assert any("delivering" in detail for _, detail in seen)


async def test_an_unreachable_database_turns_readiness_to_503(ticking):
    ticker, adapter = ticking
    engine = create_engine("postgresql+asyncpg://nudgebot@127.0.0.1:1/nowhere")
    try:
        readiness = Readiness(create_sessions(engine))
        readiness.watch(ticker=ticker, adapters=[adapter])
        status, body = await readyz(readiness)
    finally:
        await engine.dispose()
    assert status == 503
    assert body["status"] == "not ready"
    assert body["checks"]["database"]["ok"] is False
    assert "unreachable" in body["checks"]["database"]["detail"]


async def test_a_database_that_does_not_answer_within_a_second_is_not_ready(ticking):
    ticker, adapter = ticking

    accepted: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)  # accepts the connection and never answers

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    engine = create_engine(f"postgresql+asyncpg://nudgebot@127.0.0.1:{port}/silent")
    try:
        readiness = Readiness(create_sessions(engine))
        readiness.watch(ticker=ticker, adapters=[adapter])
        started = asyncio.get_running_loop().time()
        status, body = await readyz(readiness)
        took = asyncio.get_running_loop().time() - started
    finally:
        server.close()
        for writer in accepted:
            writer.close()
        await server.wait_closed()
        await engine.dispose()
    assert status == 503
    assert body["checks"]["database"] == {"ok": False, "detail": "no answer within 1 s"}
    assert took < 2


async def test_liveness_does_not_depend_on_the_database():
    engine = create_engine("postgresql+asyncpg://nudgebot@127.0.0.1:1/nowhere")
    try:
        app = build_web_app(Readiness(create_sessions(engine)))
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/healthz")
            assert response.status == 200
            assert await response.json() == {"status": "ok"}
    finally:
        await engine.dispose()
