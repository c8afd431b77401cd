"""The console's pages show the database's figures, and a broadcast goes from form to outbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from nudgebot.store.tables import Delivery, Engagement
from tests.app.admin.console_client import console
from tests.support.broadcast_seeding import Seed, seed


@pytest.fixture
async def admin(settings, sessions, pack):
    ids = await seed(
        sessions,
        [Seed("telegram", "nl", streak=4), Seed("slack", "en", "T1"), Seed("telegram", "en")],
    )
    async with console(settings, sessions, pack) as running:
        today = running.clock().date()
        async with sessions() as db:
            for back in range(3):
                row = Delivery(
                    subscriber_id=ids[0], local_date=today - timedelta(days=back),
                    item_id="tip-fiber", kind="tip", status="sent",
                )  # fmt: skip
                db.add(row)
                await db.flush()
                if back == 0:
                    db.add(
                        Engagement(
                            delivery_id=row.id or 0,
                            subscriber_id=ids[0],
                            actor="x",
                            answer="ok",
                            local_date=today,
                        )
                    )
            await db.commit()
        await running.sign_in()
        yield running


async def test_overview_shows_the_figures_of_the_database(admin):
    page = await (await admin.client.get("/admin/")).text()
    assert 'id="subscriber-total">3<' in page
    assert re.search(r"<td>tip</td><td class=\"n\">3 · 33%</td>", page)
    assert "<svg" in page and "nudges delivered and answered per day" in page
    streaks = dict(re.findall(r"<tr><td>([0-9+-]+)</td><td class=\"n\">(\d+)</td></tr>", page))
    assert streaks["0"] == "2" and streaks["3-6"] == "1"
    assert "database: sqlite+aiosqlite:///" in page


async def test_the_daily_figures_export_as_csv(admin):
    response = await admin.client.get("/admin/export/daily.csv")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    lines = (await response.text()).splitlines()
    assert lines[0] == "date,delivered,answered,answer_rate"
    assert len(lines) == 31
    assert lines[-1].endswith(",1,1,1.000")  # today: one nudge, answered


async def test_compose_preview_send_and_follow_a_broadcast(admin):
    token = await admin.csrf()
    form = {
        "csrf": token, "text_nl": "Maandag begint de kefir-week!", "text_en": "Kefir week!",
        "platform": "telegram", "language": "", "min_streak": "", "link": "https://example.org/k",
    }  # fmt: skip
    preview = await (await admin.client.post("/admin/broadcasts/preview", data=form)).text()
    assert 'id="audience-size">2<' in preview
    assert "Maandag begint de kefir-week!" in preview and "Kefir week!" in preview
    sent = await admin.client.post("/admin/broadcasts", data=form, allow_redirects=False)
    assert sent.status == 303
    page = await (await admin.client.get(sent.headers["Location"])).text()
    assert 'id="state">sending<' in page and 'id="count-pending">2<' in page
    progress = await (await admin.client.get(sent.headers["Location"] + "/progress")).json()
    assert progress["total"] == 2 and not progress["done"]
    cancelled = await admin.client.post(sent.headers["Location"] + "/cancel", data={"csrf": token})
    assert 'id="state">cancelled<' in await cancelled.text()


async def test_bad_compose_input_gets_an_english_line_and_stores_nothing(admin):
    token = await admin.csrf()
    response = await admin.client.post(
        "/admin/broadcasts", data={"csrf": token, "text_en": "only English"}
    )
    assert response.status == 400
    assert "The nl text (the default language) is missing or empty." in await response.text()
    listing = await (await admin.client.get("/admin/broadcasts")).text()
    assert "No broadcasts yet." in listing


async def test_content_shows_items_with_sources_and_the_check(admin):
    page = await (await admin.client.get("/admin/content")).text()
    assert 'id="check-ok"' in page
    assert "https://doi.org/10." in page
    assert "tip-eat-the-rainbow" in page
