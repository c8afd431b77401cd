"""Who may enter the console, and what a session may see: every route, every way in."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from aiohttp import web
from sqlmodel import select

from nudgebot.app.admin import PUBLIC
from nudgebot.app.admin.session import COOKIE, Signer
from nudgebot.store.tables import AdminAudit, Broadcast
from tests.app.admin.console_client import SECRET, console
from tests.support.broadcast_seeding import Seed, seed


@pytest.fixture
async def admin(settings, sessions, pack):
    async with console(settings, sessions, pack) as running:
        yield running


def _walk(app: web.Application) -> list[tuple[str, str, str]]:
    """(method, concrete path, route name) of every route, straight from the router."""
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter", "")
        # Mounted at /admin, the sub-application's resources carry the prefix already.
        assert path.startswith("/admin/"), path
        concrete = path.replace("{id}", "1").replace("{name}", "admin.css")
        found.append((route.method, concrete, route.name or ""))
    return found


async def test_every_route_but_the_sign_in_page_needs_a_session(admin):
    routes = _walk(admin.app)
    assert len(routes) >= 10
    guarded = [r for r in routes if r[2] not in PUBLIC and r[0] != "HEAD"]
    for method, path, _name in guarded:
        response = await admin.client.request(method, path, allow_redirects=False)
        if method == "GET":
            assert response.status == 303, (path, response.status)
            assert response.headers["Location"] == "/admin/login"
        else:
            assert response.status == 401, (method, path, response.status)
    # What is public is named, and it is only the sign-in page and the CSS/JS files.
    assert {name for _, _, name in routes} >= PUBLIC
    assert {"login", "static"} == PUBLIC
    assert {path for method, path, name in routes if name in PUBLIC and method == "POST"} == {
        "/admin/login"
    }


async def test_a_link_signs_in_once_with_a_strict_http_only_cookie(admin):
    token = await admin.link()
    landing = await admin.client.get(f"/admin/login?token={token}")
    assert landing.status == 200 and 'id="sign-in"' in await landing.text()
    # Opening the page (as a link preview would) did not use the link.
    response = await admin.client.post("/admin/login", data={"token": token}, allow_redirects=False)
    assert response.status == 303
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert "Max-Age=28800" in cookie  # eight hours by default
    assert (await admin.client.get("/admin/", allow_redirects=False)).status == 200
    admin.client.session.cookie_jar.clear()
    again = await admin.client.post("/admin/login", data={"token": token}, allow_redirects=False)
    assert again.status == 403
    assert "used already" in await again.text()


async def test_an_expired_or_forged_link_is_refused(admin):
    token = await admin.link()
    admin.clock.now_utc += timedelta(minutes=10, seconds=1)
    expired = await admin.client.post("/admin/login", data={"token": token})
    assert expired.status == 403
    for forged in ("x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"), ""):
        refused = await admin.client.post("/admin/login", data={"token": forged})
        assert refused.status == 403
    assert not admin.client.session.cookie_jar.filter_cookies(admin.client.make_url("/admin/"))


async def test_a_forged_altered_or_expired_cookie_is_no_session(admin, settings):
    signer = Signer(SECRET)
    now = admin.clock()
    good = signer.issue("cli:op", None, now=now, life=timedelta(hours=1))
    forged = Signer("another-secret-of-at-least-32-characters").issue(
        "cli:op", None, now=now, life=timedelta(hours=1)
    )
    altered = good[:-1] + ("0" if good[-1] != "0" else "1")
    expired = signer.issue("cli:op", None, now=now, life=timedelta(seconds=-1))
    for cookie, status in ((good, 200), (forged, 303), (altered, 303), (expired, 303)):
        response = await admin.client.get(
            "/admin/", headers={"Cookie": f"{COOKIE}={cookie}"}, allow_redirects=False
        )
        assert response.status == status


async def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(admin, settings):
    await admin.sign_in()
    form = {"text_nl": "Hallo allemaal"}
    for data in (form, {**form, "csrf": "0" * 64}):
        for path in ("/admin/broadcasts", "/admin/broadcasts/preview", "/admin/logout"):
            response = await admin.client.post(path, data=data, allow_redirects=False)
            assert response.status == 403, path
    database = settings.database_url.split("///", 1)[1]
    with sqlite3.connect(database) as connection:
        assert connection.execute("select count(*) from broadcast").fetchone()[0] == 0
    token = await admin.csrf()
    made = await admin.client.post(
        "/admin/broadcasts", data={**form, "csrf": token}, allow_redirects=False
    )
    assert made.status == 303 and made.headers["Location"] == "/admin/broadcasts/1"


async def test_a_slack_workspace_admin_sees_and_acts_on_their_workspace_only(admin, sessions):
    await seed(
        sessions,
        [Seed("slack", "en", "T1"), Seed("slack", "nl", "T2"), Seed("telegram", "nl")],
    )
    async with sessions() as db:
        for platform, workspace in (("slack", "T2"), (None, None)):
            db.add(Broadcast(text_nl="x", platform=platform, workspace=workspace, created_by="x"))
        await db.commit()
    await admin.sign_in(workspace="T1")
    overview = await (await admin.client.get("/admin/")).text()
    assert 'id="subscriber-total">1<' in overview  # T1's one subscriber, not all three
    listing = await (await admin.client.get("/admin/broadcasts")).text()
    assert "/admin/broadcasts/1" not in listing and "/admin/broadcasts/2" not in listing
    token = await admin.csrf()
    for broadcast_id in (1, 2):
        assert (await admin.client.get(f"/admin/broadcasts/{broadcast_id}")).status == 404
        assert (await admin.client.get(f"/admin/broadcasts/{broadcast_id}/progress")).status == 404
        cancel = await admin.client.post(
            f"/admin/broadcasts/{broadcast_id}/cancel", data={"csrf": token}
        )
        assert cancel.status == 404
    # Composing with another platform or workspace still reaches T1's Slack members only.
    form = {"csrf": token, "text_nl": "Hoi", "platform": "telegram", "workspace": "T2"}
    shown = await (await admin.client.post("/admin/broadcasts/preview", data=form)).text()
    assert 'id="audience-size">1<' in shown
    made = await admin.client.post("/admin/broadcasts", data=form, allow_redirects=False)
    assert made.status == 303
    async with sessions() as db:
        mine = (await db.exec(select(Broadcast).where(Broadcast.id == 3))).one()
        states = [b.state for b in (await db.exec(select(Broadcast))).all()]
        audit = (await db.exec(select(AdminAudit))).all()
    assert (mine.platform, mine.workspace) == ("slack", "T1")
    assert states[:2] == ["draft", "draft"]  # the other workspace's and the operator's
    assert {entry.workspace for entry in audit} == {"T1"}
    page = await (await admin.client.get("/admin/audit")).text()
    assert "broadcast created" in page and "signed in" in page
