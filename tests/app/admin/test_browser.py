"""The console in a real browser: an operator signs in with `nudgebot admin link`, reads
the figures, composes a broadcast, reads its dry run, sends it and watches it finish.

Headless Chromium and chromedriver come from Debian's packages (`chromium`,
`chromium-driver`; `.ci/run` installs them), driven by Selenium with the system's browser
and driver (no download). The bot is the real `nudgebot run` (in this test's loop) with
the Telegram and Slack fakes; Selenium's blocking calls run in a worker thread so that
the loop keeps serving meanwhile. A screenshot of each page is kept as an artifact in
``$NUDGEBOT_TEST_ARTIFACTS``, else ``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from nudgebot.app.wiring import run
from nudgebot.settings import AdminSettings, SlackSettings, TelegramSettings
from nudgebot.store.db import open_store
from nudgebot.store.stats import subscribers_by
from nudgebot.store.tables import Delivery, Engagement
from tests.app.admin.console_client import SECRET
from tests.support.broadcast_seeding import Seed, seed
from tests.support.fakes.slack_api import FakeSlackApi
from tests.support.fakes.slack_world import SIGNING_SECRET
from tests.support.fakes.telegram_api import TOKEN, FakeTelegramApi
from tests.support.fakes.telegram_harness import FAST, limit_settings
from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.slow
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ARTIFACTS = Path(os.environ.get("NUDGEBOT_TEST_ARTIFACTS") or REPO_ROOT / "tests" / "artifacts")
TEXT_NL = "Maandag begint de kefir-week: doe je mee?"
TEXT_EN = "The kefir week starts Monday: join in?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def browser(monkeypatch):
    if CHROMIUM is None or CHROMEDRIVER is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium and chromium-driver (.ci/run)")
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1600",
        "--no-first-run",
        "--disable-background-networking",
    ):
        options.add_argument(argument)
    monkeypatch.setenv("SE_OFFLINE", "true")  # never let Selenium Manager download
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


async def _lived_in(url: str) -> None:
    """Two Telegram subscribers and one Slack member, and a few days of nudges."""
    async with open_store(url) as sessions:
        ids = await seed(
            sessions,
            [Seed("telegram", "nl", streak=3), Seed("telegram", "en"), Seed("slack", "en", "T1")],
        )
        today = datetime.now(UTC).date()
        async with sessions() as db:
            for back in range(4):
                for n, sid in enumerate(ids):
                    day = today - timedelta(days=back + 1)
                    row = Delivery(
                        subscriber_id=sid, local_date=day, item_id="tip-fiber", kind="tip",
                        status="sent", sent_utc=datetime.now(UTC) - timedelta(days=back + 1),
                    )  # fmt: skip
                    db.add(row)
                    await db.flush()
                    if n == 0:
                        db.add(
                            Engagement(
                                delivery_id=row.id or 0,
                                subscriber_id=sid,
                                actor="x",
                                answer="ok",
                                local_date=day,
                            )
                        )
            await db.commit()


def _admin_link(env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "nudgebot", "admin", "link"],
        capture_output=True, text=True, env={**os.environ, **env}, cwd=cwd, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def _operator_session(driver, link: str) -> dict[str, str]:
    """What the operator does and reads, page by page (blocking: runs in a thread)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import WebDriverWait

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    read: dict[str, str] = {}

    def snap(name: str) -> None:
        driver.save_screenshot(str(ARTIFACTS / f"console-{name}.png"))

    driver.get(link)
    snap("sign-in")
    driver.find_element(By.ID, "sign-in").click()
    WebDriverWait(driver, 20).until(shown.presence_of_element_located((By.ID, "subscriber-total")))
    snap("overview")
    read["total"] = driver.find_element(By.ID, "subscriber-total").text
    read["tip"] = driver.find_element(By.XPATH, "//table[@id='kinds']//tr[td='tip']/td[3]").text
    assert driver.get_cookie("nudgebot_admin")["httpOnly"] is True

    driver.find_element(By.LINK_TEXT, "Broadcasts").click()
    driver.find_element(By.ID, "text_nl").send_keys(TEXT_NL)
    driver.find_element(By.ID, "text_en").send_keys(TEXT_EN)
    snap("compose")
    driver.find_element(By.ID, "preview").click()
    WebDriverWait(driver, 20).until(shown.presence_of_element_located((By.ID, "audience-size")))
    snap("preview")
    read["dry_run"] = driver.find_element(By.ID, "audience-size").text
    read["preview_nl"] = driver.find_element(By.ID, "message-nl").text
    read["preview_en"] = driver.find_element(By.ID, "message-en").text

    driver.find_element(By.ID, "send").click()
    WebDriverWait(driver, 20).until(shown.presence_of_element_located((By.ID, "state")))
    read["first_state"] = driver.find_element(By.ID, "state").text
    snap("broadcast-sending")
    # No reload from here on: the page's own short polling moves the figures to done.
    WebDriverWait(driver, 60, poll_frequency=0.5).until(
        shown.text_to_be_present_in_element((By.ID, "state"), "done")
    )
    snap("broadcast-done")
    read["sent"] = driver.find_element(By.ID, "count-sent").text
    read["total_rows"] = driver.find_element(By.ID, "count-total").text

    driver.find_element(By.LINK_TEXT, "Content").click()
    WebDriverWait(driver, 20).until(shown.presence_of_element_located((By.ID, "items")))
    snap("content")
    driver.find_element(By.LINK_TEXT, "Audit").click()
    snap("audit")
    read["audit"] = driver.find_element(By.ID, "audit").text
    return read


async def test_an_operator_signs_in_reads_the_figures_and_sends_a_broadcast(
    browser, settings, tmp_path
):
    telegram = await FakeTelegramApi(limits=FAST).start()
    slack = FakeSlackApi()
    await slack.start()
    slack.add_team("T1")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    configured = settings.model_copy(
        update={
            "telegram": TelegramSettings(
                token=SecretStr(TOKEN), api_url=telegram.api_url, **limit_settings(FAST)
            ),
            "slack": SlackSettings(
                bot_token=SecretStr(slack.teams["T1"].token),
                signing_secret=SecretStr(SIGNING_SECRET),
                api_url=slack.base_url,
            ),
            "admin": AdminSettings(secret=SecretStr(SECRET), url=base),
            "http_port": port,
            "tick_seconds": 0.2,
        }
    )
    await _lived_in(configured.database_url)
    async with open_store(configured.database_url) as sessions, sessions() as db:
        in_database = sum((await subscribers_by(db)).values())
    stop = asyncio.Event()
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    serving = asyncio.create_task(run(configured, stop=stop, listening=listening))
    try:
        await asyncio.wait_for(listening, 30)
        env = {
            "NUDGEBOT_DATABASE_URL": configured.database_url,
            "NUDGEBOT_ADMIN_SECRET": SECRET,
            "NUDGEBOT_ADMIN_URL": base,
        }
        link = await asyncio.to_thread(_admin_link, env, tmp_path)
        assert link.startswith(f"{base}/admin/login?token=")
        read = await asyncio.to_thread(_operator_session, browser, link)
    finally:
        stop.set()
        await asyncio.wait_for(serving, 30)
        await slack.close()
        await telegram.stop()
    assert read["total"] == str(in_database) == "3"
    assert read["tip"] == "12 · 33%"  # 3 subscribers × 4 days, the first always answered
    assert read["dry_run"] == "3"
    assert TEXT_NL in read["preview_nl"] and TEXT_EN in read["preview_en"]
    assert read["first_state"] in ("sending", "done")  # done already if the tick was quick
    assert read["sent"] == read["total_rows"] == "3"
    assert "broadcast created" in read["audit"] and "signed in" in read["audit"]
    telegram_texts = [m.text for chat in (1000, 1001) for m in telegram.messages_to(chat)]
    assert TEXT_NL in telegram_texts and TEXT_EN in telegram_texts
    assert any(TEXT_EN in str(post.get("text", "")) + str(post) for post in slack.posted)
    for page in ("sign-in", "overview", "compose", "preview", "broadcast-done", "content"):
        assert (ARTIFACTS / f"console-{page}.png").stat().st_size > 1000
