"""Shared fixtures: a clean environment, a migrated SQLite file per test, the shipped pack."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from nudgebot.core.content import ContentPack
from nudgebot.pack.loading import load_pack
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions, open_store
from tests.support.network_guard import LoopbackOnly
from tests.support.paths import REPO_ROOT
from tests.support.postgres import fresh_database

# Fuzz budgets (tests/fuzz): "ci", the default, keeps the suite fast; HYPOTHESIS_PROFILE=dev
# runs a hundred times as many examples locally. Examples share one store per test, as a
# running bot does, so function-scoped fixtures are deliberate there.
for _name, _examples in (("ci", 25), ("dev", 2500)):
    hypothesis_settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No NUDGEBOT_* variable or .env file of the developer leaks into a test."""
    for name in list(os.environ):
        if name.startswith("NUDGEBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that tries to reach a non-loopback address (tests/support/network_guard.py)."""
    guard = LoopbackOnly(monkeypatch)
    yield
    assert guard.reached == [], f"the test tried to leave the machine: {guard.reached}"


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(REPO_ROOT / "content")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")


@pytest.fixture
async def sessions(settings: Settings) -> AsyncIterator[Sessions]:
    async with open_store(settings.database_url) as factory:
        yield factory


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, now_utc: datetime) -> None:
        self.now_utc = now_utc

    def __call__(self) -> datetime:
        return self.now_utc

    def set(self, now_utc: datetime) -> None:
        self.now_utc = now_utc


@pytest.fixture
def clock() -> FakeClock:
    # A Monday: the weekly rhythm makes it a tip day.
    return FakeClock(datetime(2026, 6, 1, 5, 0, tzinfo=UTC))


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database for one test (tests marked ``pg``), dropped after."""
    async with fresh_database() as url:
        yield url
